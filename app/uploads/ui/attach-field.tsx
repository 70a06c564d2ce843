import { useEffect, useRef } from 'react'
import { FieldErrors } from '~/ui/field'
import { ALLOWED_TYPES_TEXT, ATTACH_LABEL, ATTACHMENTS_FIELD, UPLOAD_ACCEPT } from '~/uploads/constants'

/**
 * "Attach images or files": a plain file input that works without JavaScript (the form sends the
 * files with the post). With JavaScript (upload-attach.tsx), picked files are uploaded at once and
 * their Markdown goes into the text, as pasted or dropped ones do; the status line says how it went.
 */
export function AttachField({ errors, id = `field-${ATTACHMENTS_FIELD}`, privateToTicket = false }: { errors?: string[] | null; id?: string; privateToTicket?: boolean }) {
  const input = useRef<HTMLInputElement>(null)
  // Paste, drop and upload-on-pick arrive after hydration, by a dynamic import (decision 034).
  useEffect(() => {
    let stop: (() => void) | undefined
    let mounted = true
    void import('./upload-attach').then(({ attachUploads }) => {
      if (mounted && input.current) stop = attachUploads(input.current)
    })
    return () => {
      mounted = false
      stop?.()
    }
  }, [])
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  return (
    <div className="field uploads-field">
      <label htmlFor={id}>{ATTACH_LABEL}</label>
      <p className="hint" id={hintId}>
        {ALLOWED_TYPES_TEXT}. {privateToTicket ? 'Private to this request: only its requester and our support team can see them. ' : ''}
        You can also paste or drop them into the text.
      </p>
      <input
        ref={input}
        type="file"
        id={id}
        name={ATTACHMENTS_FIELD}
        multiple
        accept={UPLOAD_ACCEPT}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={[hintId, errors?.length ? errorId : null].filter(Boolean).join(' ')}
      />
      <p className="uploads-status" role="status" aria-live="polite" />
      <FieldErrors id={errorId} errors={errors} />
    </div>
  )
}
