/**
 * With JavaScript: files pasted or dropped into a textarea marked `data-uploads="post|ticket"`, or
 * picked in its form's "Attach images or files" input, are uploaded one by one (upload-send.ts,
 * loaded on first use) and their Markdown is inserted at the cursor. Without JavaScript none of
 * this runs and the file input sends the files with the form instead.
 */

/**
 * Listens on the form that holds `picker` (the "Attach images or files" input): paste and drop on
 * its marked textarea, and files picked in the input. Loaded by AttachField with a dynamic import
 * once the page is hydrated, so it is no part of the page's first JavaScript (decision 034).
 * Returns the function that stops listening.
 */
export function attachUploads(picker: HTMLInputElement) {
  const form = picker.form
  if (!form) return () => {}
  const textareaOf = (target: EventTarget | null) => (target instanceof HTMLTextAreaElement && target.dataset.uploads ? target : null)
  const take = (event: Event, textarea: HTMLTextAreaElement | null, files: FileList | null | undefined) => {
    if (!textarea || !files?.length) return
    event.preventDefault()
    const list = [...files]
    void import('./upload-send').then(({ uploadInto }) => uploadInto(textarea, list))
  }
  const listeners = {
    paste: (e: ClipboardEvent) => take(e, textareaOf(e.target), e.clipboardData?.files),
    drop: (e: DragEvent) => take(e, textareaOf(e.target), e.dataTransfer?.files),
    dragover: (e: DragEvent) => textareaOf(e.target) && e.dataTransfer?.types.includes('Files') && e.preventDefault(),
    change: (e: Event) => {
      if (e.target !== picker) return
      take(e, form.querySelector('textarea[data-uploads]'), picker.files)
      // Uploaded already: the form must not send them a second time.
      picker.value = ''
    },
  }
  for (const [name, listener] of Object.entries(listeners)) form.addEventListener(name, listener as EventListener)
  // Picked before this code arrived (a slow connection, a quick hand): upload them now, as if just picked.
  if (picker.files?.length) picker.dispatchEvent(new Event('change', { bubbles: true }))
  return () => {
    for (const [name, listener] of Object.entries(listeners)) form.removeEventListener(name, listener as EventListener)
  }
}
