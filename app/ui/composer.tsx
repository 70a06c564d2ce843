import { useLocation } from '@remix-run/react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { formatDateTime } from '~/platform/dates'
import { FieldErrors } from './field'
import type { FormatLabel } from './composer-format'
import composerStyles from './composer.css'

/**
 * The composer: a labelled Markdown textarea for asking, answering, editing and ticket replies.
 *
 * Without JavaScript it is a textarea with a "Preview" button (the page's own form, intent=preview,
 * a server round trip that keeps the text) and, where the page keeps drafts, "Save draft" and
 * "Discard draft" buttons that post the form to the drafts route and come back.
 * With JavaScript it adds a formatting toolbar, a Write/Preview toggle whose preview the server
 * renders (POST /composer/preview, the pipeline posts are stored with: no Markdown library in the
 * browser), and saves the draft as the member pauses typing.
 *
 * The textarea has a stable id (`field-<name>` unless given) and a `data-uploads` slot; file
 * uploads plug in there and in the `attachments` slot below the textarea. Code that inserts text
 * should call `insertIntoComposer` (composer-format.ts), so the draft follows.
 */

/** For the `links` export of every route that shows a composer. */
export const composerLinks = () => [{ rel: 'stylesheet', href: composerStyles }]

export const COMPOSER_PREVIEW_PATH = '/composer/preview'
export const COMPOSER_DRAFTS_PATH = '/composer/drafts'
const AUTOSAVE_AFTER_MS = 1000

export type ComposerDraft = {
  /** The draft's key (app/composer/keys.ts): one draft per member and key. */
  key: string
  /** The form's title field saved with the draft (the ask page's "title", a ticket's "subject"). */
  titleField?: string
  /** The draft as loaded, or null: its text is already in the composer's defaultValue. */
  saved: { updatedAt: string } | null
}

type ComposerProps = {
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

/** The toolbar's buttons; what each does is loaded on the first click (composer-format.ts). */
const FORMATS: [label: FormatLabel, glyph: string][] = [
  ['Bold', 'B'],
  ['Italic', 'I'],
  ['Link', '↗'],
  ['Code', '<>'],
  ['Quote', '“'],
  ['Bulleted list', '•'],
  ['Numbered list', '1.'],
  ['Heading', 'H'],
]

/** POSTs fields to one of the composer's resource routes; the JSON answer, or a message on failure. */
async function post(path: string, fields: Record<string, string>): Promise<{ ok: boolean; data: { html?: string; savedAt?: string | null; message?: string } }> {
  try {
    const response = await fetch(path, { method: 'POST', body: new URLSearchParams(fields), headers: { Accept: 'application/json' } })
    return { ok: response.ok, data: await response.json() }
  } catch {
    return { ok: false, data: { message: 'check your connection' } }
  }
}

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
  const [hydrated, setHydrated] = useState(false)
  // With JavaScript: null while writing; the preview's HTML, or a line saying why there is none.
  const [live, setLive] = useState<{ html?: string; note?: string } | null>(null)
  const [draftStatus, setDraftStatus] = useState(draft?.saved ? `Draft saved ${formatDateTime(draft.saved.updatedAt)}` : '')
  const [hasDraft, setHasDraft] = useState(!!draft?.saved)
  const location = useLocation()
  const autosave = useAutosave(textarea, draft, (status, saved) => {
    setDraftStatus(status)
    setHasDraft(saved)
  })
  useEffect(() => setHydrated(true), [])

  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(' ') || undefined

  const showPreview = async () => {
    const body = textarea.current?.value ?? ''
    if (!body.trim()) return setLive({ note: 'Nothing to preview yet.' })
    setLive({ note: 'Rendering the preview…' })
    const { ok, data } = await post(COMPOSER_PREVIEW_PATH, { body })
    setLive(ok ? { html: data.html } : { note: `No preview: ${data.message ?? 'please try again'}` })
  }

  const showWrite = () => {
    setLive(null)
    // Shown at once (React would on its next render) so that it can take the focus back now.
    const element = textarea.current!
    element.hidden = false
    element.focus()
  }

  const previewing = hydrated && !!live
  const shown = hydrated ? live : preview ? { html: preview } : null

  return (
    <div className="field composer">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {hydrated ? (
        <div className="composer-toolbar" role="toolbar" aria-label="Write, preview and format" aria-controls={id}>
          <button type="button" className="composer-tab" aria-pressed={!previewing} onClick={showWrite}>
            Write
          </button>
          <button type="button" className="composer-tab" aria-pressed={previewing} onClick={showPreview}>
            Preview
          </button>
          {FORMATS.map(([formatLabel, glyph]) => (
            <button key={formatLabel} type="button" className="composer-format" disabled={previewing} onClick={() => void import('./composer-format').then((m) => m.applyFormat(formatLabel, textarea.current!))}>
              <span className="composer-glyph" aria-hidden="true">
                {glyph}
              </span>
              <span className="composer-format-label">{formatLabel}</span>
            </button>
          ))}
        </div>
      ) : null}
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
        onInput={autosave.schedule}
      />
      {/* Attachments control: file uploads (paste, drop, pick) plug in here. */}
      {attachments}
      <FieldErrors id={errorId} errors={errors} />
      {shown ? (
        <section className="composer-preview" aria-labelledby={`${id}-preview`}>
          <h3 id={`${id}-preview`} className="composer-preview-heading">
            Preview
          </h3>
          {shown.html ? <div className="post-body" dangerouslySetInnerHTML={{ __html: shown.html }} /> : <p className="muted">{shown.note}</p>}
        </section>
      ) : null}
      <div className="composer-actions">
        {hydrated ? null : (
          <button type="submit" name="intent" value={previewIntent} className="secondary">
            Preview
          </button>
        )}
        {draft ? (
          <>
            <input type="hidden" name="draftKey" value={draft.key} />
            <input type="hidden" name="draftBodyField" value={name} />
            {draft.titleField ? <input type="hidden" name="draftTitleField" value={draft.titleField} /> : null}
            <input type="hidden" name="draftReturnTo" value={location.pathname + location.search} />
            {hydrated ? null : (
              <button type="submit" name="intent" value="save-draft" formAction={COMPOSER_DRAFTS_PATH} className="secondary">
                Save draft
              </button>
            )}
            {hasDraft ? (
              <button type={hydrated ? 'button' : 'submit'} name="intent" value="discard-draft" formAction={COMPOSER_DRAFTS_PATH} className="secondary" onClick={hydrated ? autosave.discard : undefined}>
                Discard draft
              </button>
            ) : null}
            <p className="composer-draft-status muted" role="status">
              {draftStatus}
            </p>
          </>
        ) : null}
      </div>
    </div>
  )
}

/**
 * Saves the draft a second after the member stops typing (in the textarea or the title field),
 * with a plain fetch: a Remix fetcher would reload the page's data after every save. A post of the
 * form cancels a pending save, so the draft the post deletes is not written again.
 */
function useAutosave(textarea: React.RefObject<HTMLTextAreaElement>, draft: ComposerDraft | null, report: (status: string, saved: boolean) => void) {
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const lastSent = useRef('')
  const reportRef = useRef(report)
  reportRef.current = report
  const key = draft?.key
  const titleField = draft?.titleField
  const titleInput = () => (titleField ? (textarea.current?.form?.elements.namedItem(titleField) as HTMLInputElement | null) : null)

  const send = async (intent: 'save-draft' | 'discard-draft') => {
    const body = textarea.current?.value ?? ''
    const title = titleInput()?.value ?? ''
    const snapshot = intent + body + '\u0000' + title
    if (!key || snapshot === lastSent.current) return
    lastSent.current = snapshot
    const { ok, data } = await post(COMPOSER_DRAFTS_PATH, { intent, draftKey: key, body, title, ...(titleField ? { draftTitleField: 'title' } : {}) })
    if (!ok) lastSent.current = ''
    reportRef.current(
      !ok ? `Draft not saved: ${data.message ?? 'please try again'}` : intent === 'discard-draft' ? 'Draft discarded.' : data.savedAt ? `Draft saved ${formatDateTime(data.savedAt)}` : '',
      intent === 'save-draft' && (!ok || !!data.savedAt),
    )
  }

  const schedule = () => {
    clearTimeout(timer.current)
    if (key) timer.current = setTimeout(() => void send('save-draft'), AUTOSAVE_AFTER_MS)
  }

  useEffect(() => {
    const form = textarea.current?.form
    if (!form || !key) return
    const onInput = (event: Event) => {
      if (titleField && (event.target as HTMLInputElement).name === titleField) schedule()
    }
    const onSubmit = () => clearTimeout(timer.current)
    form.addEventListener('input', onInput)
    form.addEventListener('submit', onSubmit)
    return () => {
      clearTimeout(timer.current)
      form.removeEventListener('input', onInput)
      form.removeEventListener('submit', onSubmit)
    }
    // Once per composer: `schedule` only reads refs and these two.
  }, [key, titleField])

  const discard = () => {
    clearTimeout(timer.current)
    const title = titleInput()
    if (textarea.current) textarea.current.value = ''
    if (title) title.value = ''
    void send('discard-draft')
  }

  return { schedule, discard }
}
