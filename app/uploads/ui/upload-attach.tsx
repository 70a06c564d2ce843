import { useEffect } from 'react'
import { ATTACHMENTS_FIELD, UPLOAD_ENDPOINT } from '~/uploads/constants'

/**
 * With JavaScript: files pasted or dropped into a textarea marked `data-uploads="post|ticket"`, or
 * picked in its form's "Attach images or files" input, are uploaded one by one to UPLOAD_ENDPOINT
 * and their Markdown is inserted at the cursor. The form's status line (`.uploads-status`) says
 * what is happening and what went wrong. Without JavaScript none of this runs and the file input
 * sends the files with the form instead.
 */

function say(status: Element | null | undefined, text: string, error = false) {
  if (!status) return
  status.textContent = text
  status.classList.toggle('uploads-error', error)
}

function insertAtCursor(textarea: HTMLTextAreaElement, markdown: string) {
  const start = textarea.selectionStart
  const before = start > 0 && textarea.value[start - 1] !== '\n' ? '\n' : ''
  textarea.setRangeText(`${before}${markdown}\n`, start, textarea.selectionEnd, 'end')
  // Tells React (and any other listener) that the text changed, as typing would.
  textarea.dispatchEvent(new Event('input', { bubbles: true }))
}

/** Uploads the files for this textarea and inserts each one's Markdown; usable by any composer. */
export async function uploadInto(textarea: HTMLTextAreaElement, files: File[]) {
  const status = textarea.form?.querySelector('.uploads-status')
  for (const file of files) {
    say(status, `Uploading ${file.name}…`)
    const body = new FormData()
    body.append('target', textarea.dataset.uploads === 'ticket' ? 'ticket' : 'post')
    body.append(ATTACHMENTS_FIELD, file)
    const reply: { markdown?: string; error?: string } = await fetch(UPLOAD_ENDPOINT, { method: 'POST', body })
      .then((response) => response.json())
      .catch(() => ({ error: `“${file.name}” could not be uploaded. Check your connection and try again.` }))
    if (!reply.markdown) {
      say(status, reply.error ?? `“${file.name}” could not be uploaded.`, true)
      return
    }
    insertAtCursor(textarea, reply.markdown)
    say(status, `Uploaded ${file.name}.`)
  }
}

const uploadTextarea = (target: EventTarget | null) => (target instanceof HTMLTextAreaElement && target.dataset.uploads ? target : null)

/** Listens once, on the document, so every marked textarea on every page is covered. */
export function useUploadAttach() {
  useEffect(() => {
    const take = (event: Event, textarea: HTMLTextAreaElement | null | undefined, files: FileList | null | undefined) => {
      if (!textarea || !files?.length) return
      event.preventDefault()
      void uploadInto(textarea, [...files])
    }
    const onPaste = (e: ClipboardEvent) => take(e, uploadTextarea(e.target), e.clipboardData?.files)
    const onDrop = (e: DragEvent) => take(e, uploadTextarea(e.target), e.dataTransfer?.files)
    const onDragOver = (e: DragEvent) => {
      if (uploadTextarea(e.target) && e.dataTransfer?.types.includes('Files')) e.preventDefault()
    }
    const onChange = (e: Event) => {
      const input = e.target
      if (!(input instanceof HTMLInputElement) || input.name !== ATTACHMENTS_FIELD || !input.files) return
      const textarea = input.form?.querySelector<HTMLTextAreaElement>('textarea[data-uploads]')
      const files = input.files
      take(e, textarea, files)
      // Uploaded already: the form must not send them a second time.
      if (textarea) input.value = ''
    }
    const listeners = [
      ['paste', onPaste],
      ['drop', onDrop],
      ['dragover', onDragOver],
      ['change', onChange],
    ] as const
    for (const [name, listener] of listeners) document.addEventListener(name, listener as EventListener)
    return () => {
      for (const [name, listener] of listeners) document.removeEventListener(name, listener as EventListener)
    }
  }, [])
}
