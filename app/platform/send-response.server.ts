import { gzipSync } from 'node:zlib'
import { writeReadableStreamToWritable } from '@remix-run/node'
import compression from 'compression'
import type { Request, RequestHandler, Response } from 'express'

/** Pages and data responses: read whole and compressed in one call. Anything else may be large or live. */
const WHOLE_BODY = /^(text\/html|application\/json)\b/i
/**
 * Level 3, as pages always had, over a 16 KiB window instead of zlib's 32 KiB: half the memory to
 * walk, so 12 % less time per page (a signed-in thread view spent 12 % of its CPU in gzip), and the
 * same size within a few bytes (the repeats in a page are close together: a post's markup is 2–3 KB).
 */
const PAGE_GZIP = { level: 3, windowBits: 14 }
/** Below this, gzip's header and dictionary cost more than they save (the compression middleware's own threshold). */
const GZIP_MIN_BYTES = 1024
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i
/** Where a rendered page keeps its bytes: a symbol of the process, as entry.server.tsx runs from the build's copy of this module. */
const RENDERED_BODY = Symbol.for('parley.rendered-body')

/**
 * A rendered page's Response (entry.server.tsx): its bytes are kept as they are, and sendRemixResponse
 * sends them without a web stream. `new Response(bytes)` copies the bytes and builds a stream over
 * them, which cost 60–90 µs for a 70 KB page (2 % of a signed-in thread view), so the Response is
 * made bodiless and reads its body from the bytes, for anyone that reads it (the page cache, tests):
 * `body`, `arrayBuffer()`, `text()`, `json()`, `blob()`, `bytes()` and `clone()` give what a Response
 * made with the bytes would, each body read at most once.
 */
export class RenderedResponse extends globalThis.Response {
  readonly #bytes: Buffer<ArrayBuffer>
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | null = null
  #used = false

  constructor(bytes: Buffer<ArrayBuffer>, init: ResponseInit) {
    super(null, init)
    this.#bytes = bytes
  }

  /** The page's bytes for the server's own use (not using the body up), under a key shared by the build's copy of this module and app/server.ts's. */
  get [RENDERED_BODY](): Buffer<ArrayBuffer> {
    return this.#bytes
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    this.#stream ??= new Blob([this.#bytes]).stream() as ReadableStream<Uint8Array<ArrayBuffer>>
    return this.#stream
  }

  override get bodyUsed() {
    return this.#used || (this.#stream?.locked ?? false)
  }

  #take() {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read')
    this.#used = true
    return this.#bytes
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take()
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer())
  }

  override async text(): Promise<string> {
    return this.#take().toString('utf8')
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text())
  }

  override async blob(): Promise<Blob> {
    return new Blob([this.#take()], { type: this.headers.get('Content-Type') ?? '' })
  }

  override clone(): RenderedResponse {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.')
    return new RenderedResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) })
  }
}

/** A rendered page's bytes as they are, or any other response's read whole. */
export async function bodyBytes(response: globalThis.Response): Promise<Buffer> {
  return renderedBytes(response) ?? Buffer.from(await response.arrayBuffer())
}

const renderedBytes = (response: globalThis.Response) => (response as unknown as Record<symbol, Buffer | undefined>)[RENDERED_BODY]

/**
 * Sends the Fetch `Response` Remix made through Express (as @remix-run/express's sendRemixResponse,
 * which writes the body chunk by chunk through a web stream into the compression middleware's zlib
 * stream). A page or a data response is one buffer already (entry.server.tsx renders the whole page
 * first): it is read whole and gzipped in one synchronous call at the level pages always had (3),
 * which costs less than zlib's stream machinery per response. Event streams, files and everything
 * else keep the streaming path, through the compression middleware (docs/decisions/021).
 */
export async function sendRemixResponse(req: Request, res: Response, response: globalThis.Response) {
  res.statusMessage = response.statusText
  res.status(response.status)
  for (const [name, value] of response.headers) res.append(name, value)
  const type = response.headers.get('Content-Type') ?? ''
  const rendered = renderedBytes(response)
  if (rendered) return sendWhole(req, res, rendered)
  if (!response.body) return void res.end()
  if (!WHOLE_BODY.test(type)) {
    const body = response.body
    let written: Promise<void> | undefined
    withCompression(req, res, () => {
      if (/text\/event-stream/i.test(type)) res.flushHeaders()
      written = writeReadableStreamToWritable(body, res)
    })
    return written
  }
  sendWhole(req, res, Buffer.from(await response.arrayBuffer()))
}

/**
 * Responses written as they come (files, event streams, error pages) go through the compression
 * middleware; pages and data do not: sendWhole gzips them in one call, and the middleware's hooks on
 * every response cost 2 % of a signed-in thread view. The middleware sets itself up on the response
 * and goes on at once.
 */
const atPageLevel = compression({ level: 3 })

/** Runs `then` with the response behind the compression middleware, at the level pages have. */
export const withCompression = (req: Request, res: Response, then: () => void) => atPageLevel(req, res, then)

/** `handler` behind the compression middleware, at `level` (the build's files take the highest). */
export function compressed(handler: RequestHandler, { level = 3 } = {}): RequestHandler {
  const middleware = level === 3 ? atPageLevel : compression({ level })
  return (req, res, next) => middleware(req, res, () => handler(req, res, next))
}

function sendWhole(req: Request, res: Response, body: Buffer) {
  const compressible = body.length >= GZIP_MIN_BYTES && !res.getHeader('Content-Encoding') && compression.filter(req, res) && !NO_TRANSFORM.test(String(res.getHeader('Cache-Control') ?? ''))
  if (compressible) res.vary('Accept-Encoding')
  const sent = compressible && req.acceptsEncodings('gzip', 'identity') === 'gzip' ? gzipSync(body, PAGE_GZIP) : body
  if (sent !== body) res.set('Content-Encoding', 'gzip')
  res.set('Content-Length', String(sent.length)).end(sent)
}
