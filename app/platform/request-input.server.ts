import { json, type LoaderFunctionArgs } from '@remix-run/node'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'

/**
 * Hostile and malformed input, refused once at the edge of the app rather than route by route:
 * PostgreSQL rejects U+0000 in text (a 500 if it gets that far), and a garbled or endless body is
 * the sender's mistake, never a server error.
 */

/** No form of Parley comes near this (the longest post is far shorter); avatars have their own limit. */
export const MAX_FORM_BYTES = 1024 * 1024

export const NOT_ALLOWED_CHARACTER = 'contains a character that is not allowed'

export const hasNul = (value: string) => value.includes('\u0000')

const tooLarge = () => json({ message: `The form is too large: at most ${MAX_FORM_BYTES / 1024 / 1024} MB.` }, { status: 413 })
const malformed = () => json({ message: 'The form could not be read; reload the page and try again.' }, { status: 400 })

/**
 * The body, read no further than `limit` bytes: a Content-Length over it is refused before a byte
 * is read, and a lying or missing one changes nothing. Past the limit, `refusal` is thrown.
 */
async function readBounded(request: Request, limit: number, refusal: () => Response = tooLarge): Promise<Blob> {
  const declared = Number(request.headers.get('Content-Length'))
  if (declared > limit) throw refusal()
  if (!request.body) return new Blob([])
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw refusal()
    }
    chunks.push(value)
  }
  return new Blob(chunks as BlobPart[])
}

/**
 * A body that is not a form (a webhook's JSON) as text, at most `limit` bytes; `refusal` (a 413)
 * is thrown past it. Bytes that are not UTF-8 become U+FFFD, as `request.json()` would make them.
 */
export async function readBoundedText(request: Request, limit: number, refusal: () => Response): Promise<string> {
  return new TextDecoder().decode(await (await readBounded(request, limit, refusal)).arrayBuffer())
}

/**
 * Every action's way to read its form: 413 past MAX_FORM_BYTES, 400 for a body that does not parse
 * (a malformed multipart body, a wrong content type). Fields are returned as sent; `parseForm`
 * turns a NUL into a field error, and `readFields` refuses one for actions that read fields by hand.
 */
export async function readFormData(request: Request): Promise<FormData> {
  const body = await readBounded(request, MAX_FORM_BYTES)
  try {
    return await new Request(request.url, { method: 'POST', headers: request.headers, body }).formData()
  } catch {
    throw malformed()
  }
}

/** The form of an action that reads its fields one by one: a NUL anywhere is refused with a 400. */
export async function readFields(request: Request): Promise<FormData> {
  const formData = await readFormData(request)
  for (const [name, value] of formData) {
    if (typeof value === 'string' && (hasNul(value) || hasNul(name))) throw json({ message: `The field “${name.replace(/\u0000/g, '')}” ${NOT_ALLOWED_CHARACTER}.` }, { status: 400 })
  }
  return formData
}

/** C0 and C1 control characters and DEL: part of no id, slug, username, tag, token or file name. */
const CONTROL_CHARACTER = /\p{Cc}/u

export const BAD_ADDRESS_MESSAGE = 'This address contains a character that is not allowed.'

/**
 * Every route's way to read its path parameters: `pathParams(params).id`. Remix hands loaders and
 * actions their parameters already decoded, so `/u/%00` arrives as U+0000 whatever sits in front
 * of Remix; any control character in any of them (read or not) is a 400 here, before a lookup.
 */
export function pathParams<P extends LoaderFunctionArgs['params']>(params: P): P {
  for (const value of Object.values(params)) {
    if (typeof value === 'string' && CONTROL_CHARACTER.test(value)) throw json({ message: BAD_ADDRESS_MESSAGE }, { status: 400 })
  }
  return params
}

/**
 * Express middleware: a path or query that decodes to U+0000 (`/u/%00`, `/search?q=%00`) or does
 * not decode at all is refused with a 400 page before any loader hands it to the database. In a
 * valid URL every `%` starts an escape, so `%00` is exactly the escape of U+0000.
 */
export function refuseHostileUrls(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  let refused = /%00/i.test(req.originalUrl) || req.originalUrl.includes('\u0000')
  if (!refused) {
    try {
      decodeURIComponent(req.path)
    } catch {
      refused = true
    }
  }
  if (!refused) return next()
  res.status(400).type('html').send('<!doctype html><title>Bad request</title><h1>Bad request</h1><p>This address contains a character that is not allowed.</p><p><a href="/">Go to the home page</a></p>')
}
