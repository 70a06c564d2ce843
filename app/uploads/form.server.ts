import { json } from '@remix-run/node'
import { unstable_parseMultipartFormData as parseMultipartFormData, type UploadHandler } from '@remix-run/node'
import type { SubmissionReply } from '~/platform/form-state'
import { env } from '~/platform/env.server'
import { MAX_FORM_BYTES, readFormData } from '~/platform/request-input.server'
import { ATTACHMENTS_FIELD, MAX_ATTACHMENTS } from './constants'
import { sizeInWords } from './prepare.server'
import { prepareUploads, savePreparedUploads, uploadMarkdown, type StoredUpload } from './uploads.server'

export type IncomingFile = { bytes: Uint8Array; fileName: string }

/** A form's fields, the files sent in its `attachments` input, and what was wrong with them. */
export type FormWithAttachments = { formData: FormData; files: IncomingFile[]; problems: string[] }


/** The most a form with attachments may weigh: every file at the file limit, plus the fields. */
const maxBodyBytes = () => MAX_ATTACHMENTS * env.uploadMaxFileBytes + MAX_FORM_BYTES

class BodyTooLarge extends Error {}
class TooManyParts extends Error {}

const tooLarge = () => json({ message: `The form is too large: attach at most ${sizeInWords(maxBodyBytes() - MAX_FORM_BYTES)} in all.` }, { status: 413 })
const malformed = () => json({ message: 'The form could not be read; reload the page and try again.' }, { status: 400 })

async function readPart(data: AsyncIterable<Uint8Array>, limit: number, count: (bytes: number) => void) {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of data) {
    count(chunk.byteLength)
    size += chunk.byteLength
    // Past the limit the rest is read and dropped, so the form's other fields still arrive.
    if (size <= limit) chunks.push(chunk)
  }
  return { bytes: size <= limit ? Buffer.concat(chunks) : null, size }
}

/**
 * Reads a form that may carry files in its `attachments` input (a plain file input works without
 * JavaScript). A file over the size limit is not kept, only named in `problems`, so the form's
 * text comes back with the error instead of being lost. Forms sent without files (url-encoded)
 * read as usual. Over the whole limit: 413; garbled: 400.
 */
export async function readFormWithAttachments(request: Request): Promise<FormWithAttachments> {
  const [type] = (request.headers.get('Content-Type') ?? '').split(';')
  if (type.trim().toLowerCase() !== 'multipart/form-data') return { formData: await readFormData(request), files: [], problems: [] }
  if (Number(request.headers.get('Content-Length')) > maxBodyBytes()) throw tooLarge()
  const files: IncomingFile[] = []
  const problems: string[] = []
  let total = 0
  let fieldBytes = 0
  let parts = 0
  const count = (bytes: number) => {
    total += bytes
    if (total > maxBodyBytes()) throw new BodyTooLarge()
  }
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (++parts > MAX_ATTACHMENTS + 100) throw new TooManyParts()
    if (filename === undefined) {
      const { bytes } = await readPart(data, MAX_FORM_BYTES, (n) => {
        fieldBytes += n
        if (fieldBytes > MAX_FORM_BYTES) throw new BodyTooLarge()
        count(n)
      })
      return new TextDecoder().decode(bytes!)
    }
    const { bytes, size } = await readPart(data, env.uploadMaxFileBytes, count)
    // An empty file input still sends a part, with no name and no bytes.
    if (name !== ATTACHMENTS_FIELD || (filename === '' && size === 0)) return undefined
    if (!bytes) problems.push(`“${filename}” is too large: files may be at most ${sizeInWords(env.uploadMaxFileBytes)}.`)
    else files.push({ bytes, fileName: filename })
    return undefined
  }
  try {
    const formData = await parseMultipartFormData(request, handler)
    if (files.length + problems.length > MAX_ATTACHMENTS) problems.push(`Attach at most ${MAX_ATTACHMENTS} files at once.`)
    return { formData, files, problems }
  } catch (error) {
    if (error instanceof BodyTooLarge) throw tooLarge()
    if (error instanceof TooManyParts || error instanceof TypeError || /malformed multipart|multipart/i.test((error as Error)?.message ?? '')) throw malformed()
    throw error
  }
}

export type CheckedAttachments = { ok: true; save: (input: { ownerId: number; private: boolean }) => Promise<StoredUpload[]> } | { ok: false; response: Response }

/**
 * Checks a form's attachments (type, size, images re-encoded) without storing anything: either a
 * `save` to call once the rest of the form has passed (and the rate limit), or the form's answer,
 * a 400 with the errors beside the file input and everything typed still there.
 */
export async function checkFormAttachments(form: FormWithAttachments, extra?: Record<string, unknown>): Promise<CheckedAttachments> {
  const checked = form.problems.length > 0 ? { ok: false as const, messages: form.problems } : await prepareUploads(form.files)
  if (checked.ok) return { ok: true, save: ({ ownerId, private: isPrivate }) => savePreparedUploads({ ownerId, prepared: checked.prepared, private: isPrivate }) }
  const initialValue = Object.fromEntries([...form.formData].filter(([name, value]) => typeof value === 'string' && !/password/i.test(name)))
  const result: SubmissionReply = { initialValue, error: { [ATTACHMENTS_FIELD]: checked.messages } }
  return { ok: false, response: json({ result, ...extra }, { status: 400 }) }
}

/** A post's body with its attached uploads' Markdown after it, one per line. */
export function withAttachmentMarkdown(body: string, uploads: StoredUpload[]) {
  if (uploads.length === 0) return body
  return `${body.trimEnd()}\n\n${uploads.map((upload) => uploadMarkdown(upload)).join('\n\n')}`
}
