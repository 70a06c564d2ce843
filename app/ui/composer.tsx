import { useLocation } from '@remix-run/react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { FieldErrors } from './field'
import { DateTime } from './time'
import composerStyles from './composer.css'
import type { ComposerApi, ComposerPreview, DraftStatus } from './composer-live'

/**
 * The composer: a labelled Markdown textarea for asking, answering, editing and ticket replies.
 *
 * Without JavaScript it is a textarea with a "Preview" button (the page's own form, intent=preview,
 * a server round trip that keeps the text) and, where the page keeps drafts, "Save draft" and
 * "Discard draft" buttons that post the form to the drafts route and come back.
 * With JavaScript, once the page is hydrated, composer-live.tsx is loaded (a dynamic import: it is
 * no part of the page's first JavaScript, decision 034) and adds the formatting toolbar, a live
 * preview the server renders as the member pauses typing (POST /composer/preview, the pipeline
 * posts are stored with: no Markdown library in the browser), and draft autosave. The round-trip
 * buttons are hidden by CSS wherever scripting is on (composer.css), so nothing moves when they go.
 *
 * The textarea has a stable id (`field-<name>` unless given) and a `data-uploads` slot; file
 * uploads plug in there and in the `attachments` slot below the textarea (see PostComposer in
 * app/uploads/ui/post-composer.tsx). Code that inserts text should call `insertIntoComposer`
 * (composer-format.ts), so the draft and the live preview follow.
 */

/** For the `links` export of every route that shows a composer (it holds the uploads' styles too). */
export const composerLinks = () => [{ rel: 'stylesheet', href: composerStyles }]

export type ComposerDraft = {
  /** The draft's key (app/composer/keys.ts): one draft per member and key. */
  key: string
  /** The form's title field saved with the draft (the ask page's "title", a ticket's "subject"). */
  titleField?: string
  /** The draft as loaded, or null: its text is already in the composer's defaultValue. */
  saved: { updatedAt: string } | null
}

export type ComposerProps = {
  label: string
  name: string
  id?: string
  rows?: number
  defaultValue?: string
  errors?: string[] | null
  hint?: ReactNode
  required?: boolean
  maxLength?: number
  /** A preview the server rendered for a "Preview" round trip (no JavaScript). */
  preview?: string | null
  /** The value of the no-JavaScript Preview button's `intent`. */
  previewIntent?: string
  /** Keep a draft on the server for this composer (signed-in pages only). */
  draft?: ComposerDraft | null
  /** Slot for file uploads: becomes the textarea's `data-uploads` attribute. */
  uploads?: string
  /** Slot for an attachments control (file uploads), shown under the textarea. */
  attachments?: ReactNode
}

type LiveModule = typeof import('./composer-live')

export function Composer({
  label,
  name,
  id = `field-${name}`,
  rows = 8,
  defaultValue = '',
  errors,
  hint,
  required,
  maxLength,
  preview = null,
  previewIntent = 'preview',
  draft = null,
  uploads,
  attachments,
}: ComposerProps) {
  const textarea = useRef<HTMLTextAreaElement>(null)
  const api = useRef<ComposerApi | null>(null)
  // The enhancements, once loaded; until then (and without JavaScript) the plain form's buttons.
  const [live, setLive] = useState<LiveModule | null>(null)
  // With the enhancements: the toolbar's Write/Preview state, and the live preview (undefined until
  // the first one, so a round-trip preview asked for before they loaded stays; null: cleared).
  const [previewing, setPreviewing] = useState(false)
  const [livePreview, setLivePreview] = useState<ComposerPreview | null | undefined>(undefined)
  const [draftStatus, setDraftStatus] = useState<DraftStatus>(draft?.saved ? { text: 'Draft saved', at: draft.saved.updatedAt, saved: true } : null)
  const location = useLocation()
  useEffect(() => {
    let mounted = true
    void import('./composer-live').then((module) => mounted && setLive(module))
    return () => {
      mounted = false
    }
  }, [])

  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(' ') || undefined
  const shown = livePreview !== undefined ? livePreview : preview ? { html: preview } : null
  const hasDraft = !!draftStatus?.saved

  return (
    <div className="field composer">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {/* The toolbar's place is kept from the first paint when scripting is on (composer.css), so
          its arrival after hydration moves nothing (layout shift); without scripting it is hidden. */}
      <div className="composer-toolbar-slot">{live ? <live.ComposerToolbar id={id} textarea={textarea} previewing={previewing} onPreviewing={setPreviewing} api={api} /> : null}</div>
      <textarea
        ref={textarea}
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        required={required}
        maxLength={maxLength}
        hidden={previewing}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        data-uploads={uploads}
      />
      {live ? <live.ComposerController textarea={textarea} draft={draft} api={api} onPreview={setLivePreview} onDraftStatus={setDraftStatus} /> : null}
      {/* Attachments control: file uploads (paste, drop, pick) plug in here. */}
      {attachments}
      <FieldErrors id={errorId} errors={errors} />
      {shown ? (
        <section className="composer-preview" aria-labelledby={`${id}-preview`} aria-busy={shown.busy || undefined}>
          <h3 id={`${id}-preview`} className="composer-preview-heading">
            Preview
          </h3>
          {shown.html !== undefined ? <div className="post-body" dangerouslySetInnerHTML={{ __html: shown.html }} /> : <p className="muted">{shown.note}</p>}
        </section>
      ) : null}
      <div className="composer-actions">
        {/* The round-trip buttons: hidden by CSS from the first paint where scripting is on (the
            live preview and autosave replace them), removed once the enhancements have loaded. */}
        {live ? null : (
          <button type="submit" name="intent" value={previewIntent} className="secondary composer-nojs">
            Preview
          </button>
        )}
        {draft ? (
          <>
            <input type="hidden" name="draftKey" value={draft.key} />
            <input type="hidden" name="draftBodyField" value={name} />
            {draft.titleField ? <input type="hidden" name="draftTitleField" value={draft.titleField} /> : null}
            <input type="hidden" name="draftReturnTo" value={location.pathname + location.search} />
            {live ? null : (
              <button type="submit" name="intent" value="save-draft" formAction="/composer/drafts" className="secondary composer-nojs">
                Save draft
              </button>
            )}
            {hasDraft ? (
              <button
                type={live ? 'button' : 'submit'}
                name="intent"
                value="discard-draft"
                formAction="/composer/drafts"
                className="secondary"
                onClick={live ? () => api.current?.discard() : undefined}
              >
                Discard draft
              </button>
            ) : null}
            <p className="composer-draft-status muted" role="status">
              {draftStatus ? (
                <>
                  {draftStatus.text}
                  {draftStatus.at ? (
                    <>
                      {' '}
                      <DateTime value={draftStatus.at} />
                    </>
                  ) : null}
                </>
              ) : null}
            </p>
          </>
        ) : null}
      </div>
    </div>
  )
}
