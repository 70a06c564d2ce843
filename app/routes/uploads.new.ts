import { json, type ActionFunctionArgs } from '@remix-run/node'
import { getUser } from '~/platform/auth/auth.server'
import { restrictionNotice } from '~/platform/auth/permissions.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { UPLOAD_TARGETS, type UploadTarget } from '~/uploads/constants'
import { readFormWithAttachments } from '~/uploads/form.server'
import { storeUploads } from '~/uploads/uploads.server'

const refuse = (error: string, status = 400, headers?: HeadersInit) => json({ error }, { status, headers })

/**
 * POST /uploads/new: one pasted, dropped or picked file from the composer's client module, as
 * multipart `attachments` and `target` (post or ticket). Answers `{ url, markdown }` to insert
 * into the text, or `{ error }` with 400 (the file), 401, 413 or 429. Ticket uploads are private
 * until the message that links them is sent.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = getUser(context)
  if (!user) return refuse('Log in to upload files.', 401)
  if (request.method !== 'POST') return refuse('Send the file with POST.', 405)
  const form = await readFormWithAttachments(request).catch((response: unknown) => {
    if (response instanceof Response) return response
    throw response
  })
  if (form instanceof Response) return refuse(((await form.json()) as { message: string }).message, form.status)
  const target = form.formData.get('target')
  if (!UPLOAD_TARGETS.includes(target as UploadTarget)) return refuse('Say where the file goes: post or ticket.')
  // A suspended or banned member may still use their tickets, but posts nothing.
  const restriction = target === 'post' ? restrictionNotice(user) : null
  if (restriction) return refuse(restriction, 403)
  if (form.problems.length > 0) return refuse(form.problems.join(' '))
  if (form.files.length !== 1) return refuse('Send one file.')
  const limited = await rateLimitRefusal({ action: 'upload', context })
  if (limited) return refuse(limited.message, 429, { 'Retry-After': String(limited.retryAfterSeconds) })
  const stored = await storeUploads({ ownerId: user.id, files: form.files, private: target === 'ticket' })
  if (!stored.ok) return refuse(stored.messages.join(' '))
  const [upload] = stored.uploads
  return json({ url: upload.url, markdown: upload.markdown }, { status: 201 })
}
