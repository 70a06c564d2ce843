import { gzipSync } from 'node:zlib'
import { writeReadableStreamToWritable } from '@remix-run/node'
import compression from 'compression'
import type { Request, Response } from 'express'

/** Pages and data responses: read whole and compressed in one call. Anything else may be large or live. */
const WHOLE_BODY = /^(text\/html|application\/json)\b/i
/** Below this, gzip's header and dictionary cost more than they save (the compression middleware's own threshold). */
const GZIP_MIN_BYTES = 1024
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i
/** Where a rendered page keeps its bytes on its Response: a symbol of the process, as entry.server.tsx runs from the build's copy of this module. */
const RENDERED_BODY = Symbol.for('parley.rendered-body')

/**
 * A rendered page's Response (entry.server.tsx), carrying its bytes for sendRemixResponse too, which
 * then skips reading them back through the body's web stream. Anything else reading the body reads
 * the same bytes.
 */
export function renderedResponse(body: Buffer<ArrayBuffer>, init: ResponseInit): globalThis.Response {
  const response = new globalThis.Response(body, init)
  Object.defineProperty(response, RENDERED_BODY, { value: body })
  return response
}

/**
 * Sends the Fetch `Response` Remix made through Express (as @remix-run/express's sendRemixResponse,
 * which writes the body chunk by chunk through a web stream into the compression middleware's zlib
 * stream). A page or a data response is one buffer already (entry.server.tsx renders the whole page
 * first): it is read whole and gzipped in one synchronous call at the level pages always had (3),
 * which costs less than zlib's stream machinery per response. Event streams, files and everything
 * else keep the streaming path and the compression middleware (docs/decisions/021).
 */
export async function sendRemixResponse(req: Request, res: Response, response: globalThis.Response) {
  res.statusMessage = response.statusText
  res.status(response.status)
  for (const [name, value] of response.headers) res.append(name, value)
  const type = response.headers.get('Content-Type') ?? ''
  if (!response.body) return void res.end()
  if (!WHOLE_BODY.test(type)) {
    if (/text\/event-stream/i.test(type)) res.flushHeaders()
    return writeReadableStreamToWritable(response.body, res)
  }
  const body = (response as unknown as Record<symbol, Buffer | undefined>)[RENDERED_BODY] ?? Buffer.from(await response.arrayBuffer())
  const compressible = body.length >= GZIP_MIN_BYTES && !res.getHeader('Content-Encoding') && compression.filter(req, res) && !NO_TRANSFORM.test(String(res.getHeader('Cache-Control') ?? ''))
  if (compressible) res.vary('Accept-Encoding')
  const sent = compressible && req.acceptsEncodings('gzip', 'identity') === 'gzip' ? gzipSync(body, { level: 3 }) : body
  if (sent !== body) res.set('Content-Encoding', 'gzip')
  res.set('Content-Length', String(sent.length)).end(sent)
}
