import { ATTACHMENTS_FIELD, UPLOAD_ENDPOINT } from '~/uploads/constants'

/**
 * The uploading half of upload-attach.tsx, loaded on the first paste, drop or pick (it is no
 * part of a page's first load): sends each file to UPLOAD_ENDPOINT and inserts its Markdown at the
 * cursor, saying in the form's status line (`.uploads-status`) what is happening or went wrong.
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

