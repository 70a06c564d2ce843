import { useEffect, useRef, type MutableRefObject, type RefObject } from 'react'
import { applyFormat, type FormatLabel } from './composer-format'

/**
 * What the composer (composer.tsx) does with JavaScript, loaded by a dynamic import once the page
 * is hydrated, so none of it counts against the page's first JavaScript (decision 034):
 * - the formatting toolbar, with a Write/Preview toggle;
 * - the live preview: 600 ms after the member stops typing, the text goes to POST /composer/preview
 *   (the pipeline posts are stored with) and the rendered HTML is shown under the textarea; a newer
 *   keystroke aborts the request in flight, and unchanged text is not sent again;
 * - the draft, saved a second after the member stops typing (in the textarea or the title field),
 *   with a plain fetch: a Remix fetcher would reload the page's data after every save. A post of
 *   the form cancels a pending save, so the draft the post deletes is not written again.
 */

export const COMPOSER_PREVIEW_PATH = '/composer/preview'
export const COMPOSER_DRAFTS_PATH = '/composer/drafts'
const PREVIEW_AFTER_MS = 600
const AUTOSAVE_AFTER_MS = 1000

/** The preview's HTML, or a line saying why there is none; `busy` while a newer one is coming. */
export type ComposerPreview = { html?: string; note?: string; busy?: boolean }
/** The draft line: "Draft saved" + the time (shown in the viewer's zone), or a message. */
export type DraftStatus = { text: string; at?: string; saved: boolean } | null
/** What the toolbar and the Discard button ask of the controller. */
export type ComposerApi = { previewNow: () => void; discard: () => void }

type Answer = { html?: string; savedAt?: string | null; message?: string }

/** POSTs fields to one of the composer's resource routes; the JSON answer, or a message on failure. */
async function post(path: string, fields: Record<string, string>, signal?: AbortSignal): Promise<{ ok: boolean; data: Answer } | null> {
  try {
    const response = await fetch(path, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { Accept: 'application/json' },
      signal,
    })
    return { ok: response.ok, data: (await response.json()) as Answer }
  } catch {
    if (signal?.aborted) return null
    return { ok: false, data: { message: 'check your connection' } }
  }
}

/** The toolbar's buttons: a glyph and the name (the name alone on narrow screens, for screen readers). */
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

export function ComposerToolbar({
  id,
  textarea,
  previewing,
  onPreviewing,
  api,
}: {
  id: string
  textarea: RefObject<HTMLTextAreaElement>
  previewing: boolean
  onPreviewing: (previewing: boolean) => void
  api: MutableRefObject<ComposerApi | null>
}) {
  const showWrite = () => {
    onPreviewing(false)
    // Shown at once (React would on its next render) so that it can take the focus back now.
    const element = textarea.current!
    element.hidden = false
    element.focus()
  }
  const showPreview = () => {
    onPreviewing(true)
    api.current?.previewNow()
  }
  return (
    <div className="composer-toolbar" role="toolbar" aria-label="Write, preview and format" aria-controls={id}>
      <button type="button" className="composer-tab" aria-pressed={!previewing} onClick={showWrite}>
        Write
      </button>
      <button type="button" className="composer-tab" aria-pressed={previewing} onClick={showPreview}>
        Preview
      </button>
      {FORMATS.map(([formatLabel, glyph]) => (
        <button key={formatLabel} type="button" className="composer-format" disabled={previewing} onClick={() => applyFormat(formatLabel, textarea.current!)}>
          <span className="composer-glyph" aria-hidden="true">
            {glyph}
          </span>
          <span className="composer-format-label">{formatLabel}</span>
        </button>
      ))}
    </div>
  )
}

/** The live preview and the draft autosave: listens on the textarea and its form; renders nothing. */
export function ComposerController({
  textarea,
  draft,
  api,
  onPreview,
  onDraftStatus,
}: {
  textarea: RefObject<HTMLTextAreaElement>
  draft: { key: string; titleField?: string } | null
  api: MutableRefObject<ComposerApi | null>
  onPreview: (preview: ComposerPreview | null) => void
  onDraftStatus: (status: DraftStatus) => void
}) {
  const report = useRef({ onPreview, onDraftStatus })
  report.current = { onPreview, onDraftStatus }
  const key = draft?.key
  const titleField = draft?.titleField

  useEffect(() => {
    const element = textarea.current
    const form = element?.form
    if (!element) return
    let previewTimer: ReturnType<typeof setTimeout> | undefined
    let saveTimer: ReturnType<typeof setTimeout> | undefined
    let inFlight: AbortController | null = null
    let lastPreviewed: string | null = null
    let lastShown: ComposerPreview | null = null
    let lastSaved = ''
    const show = (preview: ComposerPreview | null) => {
      lastShown = preview
      report.current.onPreview(preview)
    }
    const titleInput = () => (titleField ? (form?.elements.namedItem(titleField) as HTMLInputElement | null) : null)

    const preview = async () => {
      clearTimeout(previewTimer)
      const body = element.value
      if (body === lastPreviewed && lastShown && !lastShown.busy) return
      inFlight?.abort()
      if (!body.trim()) {
        inFlight = null
        lastPreviewed = body
        return show({ note: 'Nothing to preview yet.' })
      }
      const controller = new AbortController()
      inFlight = controller
      show(lastShown?.html !== undefined ? { ...lastShown, busy: true } : { note: 'Rendering the preview…', busy: true })
      const answer = await post(COMPOSER_PREVIEW_PATH, { body }, controller.signal)
      if (!answer || controller.signal.aborted) return
      inFlight = null
      // A refused preview is tried again on the next pause, not remembered as done.
      lastPreviewed = answer.ok ? body : null
      show(answer.ok ? { html: answer.data.html ?? '' } : { note: `No preview: ${answer.data.message ?? 'please try again'}` })
    }

    const save = async (intent: 'save-draft' | 'discard-draft') => {
      clearTimeout(saveTimer)
      const body = element.value
      const title = titleInput()?.value ?? ''
      const snapshot = intent + body + '\u0000' + title
      if (!key || snapshot === lastSaved) return
      lastSaved = snapshot
      const answer = await post(COMPOSER_DRAFTS_PATH, {
        intent,
        draftKey: key,
        body,
        title,
        ...(titleField ? { draftTitleField: 'title' } : {}),
      })
      if (!answer) return
      if (!answer.ok) lastSaved = ''
      report.current.onDraftStatus(
        !answer.ok
          ? {
              text: `Draft not saved: ${answer.data.message ?? 'please try again'}`,
              saved: intent === 'save-draft',
            }
          : intent === 'discard-draft'
          ? { text: 'Draft discarded.', saved: false }
          : answer.data.savedAt
          ? { text: 'Draft saved', at: answer.data.savedAt, saved: true }
          : null
      )
    }

    const onTextInput = () => {
      clearTimeout(previewTimer)
      previewTimer = setTimeout(() => void preview(), PREVIEW_AFTER_MS)
      if (key) {
        clearTimeout(saveTimer)
        saveTimer = setTimeout(() => void save('save-draft'), AUTOSAVE_AFTER_MS)
      }
    }
    const onFormInput = (event: Event) => {
      if (key && titleField && (event.target as HTMLInputElement).name === titleField) {
        clearTimeout(saveTimer)
        saveTimer = setTimeout(() => void save('save-draft'), AUTOSAVE_AFTER_MS)
      }
    }
    const onSubmit = () => {
      clearTimeout(saveTimer)
      clearTimeout(previewTimer)
    }
    api.current = {
      previewNow: () => void preview(),
      discard: () => {
        clearTimeout(saveTimer)
        const title = titleInput()
        element.value = ''
        if (title) title.value = ''
        show(null)
        lastPreviewed = null
        void save('discard-draft')
      },
    }
    element.addEventListener('input', onTextInput)
    form?.addEventListener('input', onFormInput)
    form?.addEventListener('submit', onSubmit)
    // Typed before this code arrived (a slow connection, a quick typist): preview and save it as if
    // it had been typed now, rather than waiting for the next keystroke.
    const title = titleInput()
    if (element.value !== element.defaultValue || (title && title.value !== title.defaultValue)) onTextInput()
    return () => {
      clearTimeout(previewTimer)
      clearTimeout(saveTimer)
      inFlight?.abort()
      api.current = null
      element.removeEventListener('input', onTextInput)
      form?.removeEventListener('input', onFormInput)
      form?.removeEventListener('submit', onSubmit)
    }
  }, [textarea, api, key, titleField])

  return null
}
