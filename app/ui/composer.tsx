import { useLocation } from '@remix-run/react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { formatDateTime } from '~/platform/dates'
import { FieldErrors } from './field'
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
 * should call `insertIntoComposer`, so the draft and the preview follow.
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

/** Inserts text at the caret (or over the selection) as typing would: undo works, listeners hear it. */
export function insertIntoComposer(textarea: HTMLTextAreaElement, text: string, select?: { start: number; end: number }) {
  const from = textarea.selectionStart
  textarea.focus()
  // execCommand keeps the browser's undo history; where it is refused, set the text directly.
  if (!document.execCommand('insertText', false, text)) {
    textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, 'end')
    textarea.dispatchEvent(new Event('input', { bubbles: true }))
  }
  if (select) textarea.setSelectionRange(from + select.start, from + select.end)
}

type Format = { label: string; icon: ReactNode; apply: (textarea: HTMLTextAreaElement) => void }

function wrap(before: string, after: string, placeholder: string) {
  return (textarea: HTMLTextAreaElement) => {
    const selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd)
    const inner = selected || placeholder
    insertIntoComposer(textarea, before + inner + after, { start: before.length, end: before.length + inner.length })
  }
}

/** Prefixes every line of the selection (extended to whole lines). */
function prefixLines(prefix: (index: number) => string, placeholder: string) {
  return (textarea: HTMLTextAreaElement) => {
    const { value } = textarea
    const start = value.lastIndexOf('\n', textarea.selectionStart - 1) + 1
    const endAt = value.indexOf('\n', textarea.selectionEnd)
    const end = textarea.selectionEnd > start && value[textarea.selectionEnd - 1] === '\n' ? textarea.selectionEnd - 1 : endAt === -1 ? value.length : endAt
    textarea.setSelectionRange(start, end)
    const lines = (value.slice(start, end) || placeholder).split('\n')
    const text = lines.map((line, i) => prefix(i) + line).join('\n')
    insertIntoComposer(textarea, text, { start: 0, end: text.length })
  }
}

const icon = (d: string) => (
  <svg className="composer-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
    <path d={d} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
  </svg>
)

const FORMATS: Format[] = [
  { label: 'Bold', icon: icon('M4 2.5h5a3 3 0 0 1 0 6H4zM4 8.5h6a3 3 0 0 1 0 6H4z'), apply: wrap('**', '**', 'bold text') },
  { label: 'Italic', icon: icon('M7 2.5h6M3 13.5h6M10 2.5l-4 11'), apply: wrap('_', '_', 'italic text') },
  { label: 'Link', icon: icon('M6.5 9.5l3-3M7 4.5l1.5-1.5a2.8 2.8 0 0 1 4 4L11 8.5M9 11.5l-1.5 1.5a2.8 2.8 0 0 1-4-4L5 7.5'), apply: wrap('[', '](https://)', 'link text') },
  {
    label: 'Code',
    icon: icon('M5.5 4L1.5 8l4 4M10.5 4l4 4-4 4'),
    apply: (textarea) => {
      const multiline = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd).includes('\n')
      return multiline ? wrap('```\n', '\n```', 'code')(textarea) : wrap('`', '`', 'code')(textarea)
    },
  },
  { label: 'Quote', icon: icon('M2.5 4h11M5.5 8h8M5.5 12h8M2.5 7v6'), apply: prefixLines(() => '> ', 'quoted text') },
  { label: 'Bulleted list', icon: icon('M6 4h8M6 8h8M6 12h8M2.5 4h.5M2.5 8h.5M2.5 12h.5'), apply: prefixLines(() => '- ', 'list item') },
  { label: 'Numbered list', icon: icon('M6 4h8M6 8h8M6 12h8M2 3l1-.5V6M2 9.5h1.5L2 12h1.5'), apply: prefixLines((i) => `${i + 1}. `, 'list item') },
  { label: 'Heading', icon: icon('M3 2.5v11M11 2.5v11M3 8h8'), apply: prefixLines(() => '## ', 'Heading') },
]

type PreviewState = { html: string | null; message: string | null; loading: boolean }

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
  const [mode, setMode] = useState<'write' | 'preview'>('write')
  const [live, setLive] = useState<PreviewState>({ html: null, message: null, loading: false })
  const [draftStatus, setDraftStatus] = useState<string | null>(draft?.saved ? `Draft saved ${formatDateTime(draft.saved.updatedAt)}` : null)
  const [hasDraft, setHasDraft] = useState(!!draft?.saved)
  const location = useLocation()
  const autosave = useAutosave(textarea, draft, (status, saved) => {
    setDraftStatus(status)
    setHasDraft(saved)
  })
  useEffect(() => setHydrated(true), [])

  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const previewId = `${id}-preview`
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(' ') || undefined

  const showPreview = async () => {
    setMode('preview')
    const body = textarea.current?.value ?? ''
    if (!body.trim()) return setLive({ html: null, message: 'Nothing to preview yet.', loading: false })
    setLive((l) => ({ ...l, loading: true }))
    try {
      const response = await fetch(COMPOSER_PREVIEW_PATH, { method: 'POST', body: new URLSearchParams({ body }), headers: { Accept: 'application/json' } })
      const data = (await response.json()) as { html?: string; message?: string }
      setLive(response.ok ? { html: data.html ?? '', message: null, loading: false } : { html: null, message: data.message ?? 'The preview could not be shown.', loading: false })
    } catch {
      setLive({ html: null, message: 'The preview could not be shown: check your connection.', loading: false })
    }
  }

  const shownHtml = hydrated && mode === 'preview' ? live.html : hydrated ? null : preview
  const previewShown = hydrated ? mode === 'preview' : !!preview

  return (
    <div className="field composer">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {hydrated ? (
        <div className="composer-toolbar" role="toolbar" aria-label={`${label}: write, preview and format`} aria-controls={id}>
          <button type="button" className="composer-tab" aria-pressed={mode === 'write'} onClick={() => (setMode('write'), textarea.current?.focus())}>
            Write
          </button>
          <button type="button" className="composer-tab" aria-pressed={mode === 'preview'} onClick={showPreview}>
            Preview
          </button>
          <span className="composer-formats">
            {FORMATS.map((format) => (
              <button
                key={format.label}
                type="button"
                className="composer-format"
                disabled={mode === 'preview'}
                onClick={() => textarea.current && format.apply(textarea.current)}
              >
                {format.icon}
                <span className="composer-format-label">{format.label}</span>
              </button>
            ))}
          </span>
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
        hidden={hydrated && mode === 'preview'}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        data-uploads={uploads}
        onInput={autosave.schedule}
      />
      {/* Attachments control: file uploads (paste, drop, pick) plug in here. */}
      {attachments ?? null}
      <FieldErrors id={errorId} errors={errors} />
      {previewShown ? (
        <section className="composer-preview" id={previewId} aria-labelledby={`${previewId}-heading`} aria-busy={live.loading || undefined}>
          <h3 id={`${previewId}-heading`} className="composer-preview-heading">
            Preview
          </h3>
          {shownHtml ? <div className="post-body" dangerouslySetInnerHTML={{ __html: shownHtml }} /> : <p className="muted">{live.loading ? 'Rendering the preview…' : (live.message ?? 'Nothing to preview yet.')}</p>}
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
              <button
                type={hydrated ? 'button' : 'submit'}
                name="intent"
                value="discard-draft"
                formAction={COMPOSER_DRAFTS_PATH}
                className="secondary"
                onClick={hydrated ? () => autosave.discard() : undefined}
              >
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
function useAutosave(textarea: React.RefObject<HTMLTextAreaElement>, draft: ComposerDraft | null, report: (status: string | null, saved: boolean) => void) {
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const lastSent = useRef<string | null>(null)
  const reportRef = useRef(report)
  reportRef.current = report
  const key = draft?.key
  const titleField = draft?.titleField

  const fields = () => {
    const element = textarea.current
    const form = element?.form
    const title = titleField ? form?.elements.namedItem(titleField) : null
    return { body: element?.value ?? '', title: title instanceof HTMLInputElement || title instanceof HTMLTextAreaElement ? title.value : null }
  }

  const send = async (intent: 'save-draft' | 'discard-draft') => {
    if (!key) return
    const { body, title } = fields()
    const snapshot = JSON.stringify([body, title])
    if (intent === 'save-draft' && snapshot === lastSent.current) return
    lastSent.current = intent === 'save-draft' ? snapshot : null
    const data = new URLSearchParams({ intent, draftKey: key, draftBodyField: 'body', body })
    if (titleField && title !== null) data.set('draftTitleField', 'title'), data.set('title', title)
    try {
      const response = await fetch(COMPOSER_DRAFTS_PATH, { method: 'POST', body: data, headers: { Accept: 'application/json' } })
      const result = (await response.json()) as { savedAt?: string | null; message?: string }
      if (!response.ok) {
        lastSent.current = null
        return reportRef.current(`Draft not saved: ${result.message ?? 'please try again.'}`, intent === 'save-draft')
      }
      if (intent === 'discard-draft') return reportRef.current('Draft discarded.', false)
      reportRef.current(result.savedAt ? `Draft saved ${formatDateTime(result.savedAt)}` : null, !!result.savedAt)
    } catch {
      lastSent.current = null
      reportRef.current('Draft not saved: check your connection.', intent === 'save-draft')
    }
  }

  const schedule = () => {
    if (!key) return
    clearTimeout(timer.current)
    timer.current = setTimeout(() => void send('save-draft'), AUTOSAVE_AFTER_MS)
  }

  useEffect(() => {
    const form = textarea.current?.form
    if (!form || !key) return
    const onInput = (event: Event) => {
      if (titleField && (event.target as HTMLInputElement | null)?.name === titleField) schedule()
    }
    const onSubmit = () => clearTimeout(timer.current)
    form.addEventListener('input', onInput)
    form.addEventListener('submit', onSubmit)
    return () => {
      clearTimeout(timer.current)
      form.removeEventListener('input', onInput)
      form.removeEventListener('submit', onSubmit)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, titleField])

  const discard = () => {
    clearTimeout(timer.current)
    const element = textarea.current
    const title = titleField ? element?.form?.elements.namedItem(titleField) : null
    if (element) element.value = ''
    if (title instanceof HTMLInputElement) title.value = ''
    void send('discard-draft')
  }

  return { schedule, discard }
}
