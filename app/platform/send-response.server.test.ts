import { describe, expect, test } from 'vitest'
import { bodyBytes, RenderedResponse } from '~/platform/send-response.server'

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
