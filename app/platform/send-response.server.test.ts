import { once } from 'node:events'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import express from 'express'
import { describe, expect, test } from 'vitest'
import { bodyBytes, RenderedResponse, sendRemixResponse } from '~/platform/send-response.server'

/**
 * A rendered page's Response is made bodiless and keeps its bytes (it costs less than a Response
 * over a copy of them): whoever reads its body must still get what a Response made with the bytes
 * would give, once.
 */
const page = '<!DOCTYPE html><html lang="en"><body><p>Ünïcode &amp; “quotes” — 🙂</p></body></html>'
const init = () => ({ status: 201, statusText: 'Created', headers: new Headers({ 'Content-Type': 'text/html; charset=utf-8', 'X-Check': 'yes' }) })
const made = () => new RenderedResponse(Buffer.from(page), init())

describe('RenderedResponse', () => {
  test('status, headers and every way of reading the body match a Response over the same bytes', async () => {
    const plain = new Response(Buffer.from(page), init())
    const rendered = made()
    expect([rendered.status, rendered.statusText, rendered.headers.get('X-Check'), rendered.ok]).toEqual([plain.status, plain.statusText, plain.headers.get('X-Check'), plain.ok])
    expect(await made().text()).toBe(await new Response(Buffer.from(page), init()).text())
    expect(Buffer.from(await made().arrayBuffer())).toEqual(Buffer.from(await new Response(Buffer.from(page), init()).arrayBuffer()))
    expect(Buffer.from(await made().bytes())).toEqual(Buffer.from(page))
    expect(await (await made().blob()).text()).toBe(page)
    expect((await made().blob()).type).toBe('text/html; charset=utf-8')
    expect(await new Response(made().body).text()).toBe(page)
    expect(await new RenderedResponse(Buffer.from('{"a":[1,2]}'), { headers: { 'Content-Type': 'application/json' } }).json()).toEqual({ a: [1, 2] })
  })

  test('the body is read once, as any Response’s; a clone is read apart', async () => {
    const response = made()
    expect(response.bodyUsed).toBe(false)
    const copy = response.clone()
    expect(await response.text()).toBe(page)
    expect(response.bodyUsed).toBe(true)
    await expect(response.text()).rejects.toThrow(TypeError)
    await expect(response.arrayBuffer()).rejects.toThrow(TypeError)
    expect(() => response.clone()).toThrow(TypeError)
    expect([copy.status, copy.headers.get('X-Check'), await copy.text()]).toEqual([201, 'yes', page])

    const streamed = made()
    const reader = streamed.body.getReader()
    expect(streamed.bodyUsed).toBe(true)
    await expect(streamed.text()).rejects.toThrow(TypeError)
    reader.releaseLock()
  })

  test('the server takes its bytes without using the body up; any other Response is read whole', async () => {
    const response = made()
    const bytes = await bodyBytes(response)
    expect(bytes.toString()).toBe(page)
    expect(response.bodyUsed).toBe(false)
    expect(await response.text()).toBe(page)
    expect((await bodyBytes(new Response('elsewhere'))).toString()).toBe('elsewhere')
  })
})

/** An Express server that answers every request with the Response `respond` makes, sent as Remix's are. */
async function serve(respond: () => Response) {
  const app = express()
  app.use((req, res, next) => sendRemixResponse(req, res, respond()).catch(next))
  const server = app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port
  return {
    get: (headers: Record<string, string> = {}) =>
      new Promise<IncomingMessage>((resolve, reject) => httpRequest({ port, host: '127.0.0.1', path: '/', headers }, resolve).on('error', reject).end()),
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

const read = async (message: IncomingMessage) => {
  const chunks: Buffer[] = []
  for await (const chunk of message) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

describe('sendRemixResponse', () => {
  test('a streamed body (a feed) goes through the compression middleware: gzipped for a client that takes it, plain otherwise', async () => {
    const feed = `<?xml version="1.0"?><feed>${'<entry><title>An entry</title></entry>'.repeat(200)}</feed>`
    const server = await serve(() => new Response(new Blob([feed]).stream(), { headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' } }))
    try {
      const zipped = await server.get({ 'Accept-Encoding': 'gzip' })
      expect(zipped.headers['content-encoding']).toBe('gzip')
      const body = await read(zipped)
      expect(body.length).toBeLessThan(feed.length / 10)
      expect(gunzipSync(body).toString()).toBe(feed)
      const plain = await server.get()
      expect(plain.headers['content-encoding']).toBeUndefined()
      expect((await read(plain)).toString()).toBe(feed)
    } finally {
      await server.close()
    }
  })

  test('an event stream is neither compressed nor held back: its headers and first event arrive while it stays open', async () => {
    let controller!: ReadableStreamDefaultController<Uint8Array>
    const server = await serve(
      () =>
        new Response(new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) }), {
          headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform' },
        }),
    )
    try {
      const answer = await server.get({ 'Accept-Encoding': 'gzip' })
      expect(answer.headers['content-type']).toBe('text/event-stream; charset=utf-8')
      expect(answer.headers['content-encoding']).toBeUndefined()
      controller.enqueue(new TextEncoder().encode('data: first\n\n'))
      const [first] = (await once(answer, 'data')) as [Buffer]
      expect(first.toString()).toBe('data: first\n\n')
      controller.close()
      await read(answer)
    } finally {
      await server.close()
    }
  })
})
