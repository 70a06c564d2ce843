import { createHash } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, describe, expect, test } from 'vitest'
import { handleDataRequest } from '~/entry.server'
import { contentSecurityPolicy, createCspNonce, inlineScriptHashes, securityHeaders } from '~/platform/security-headers.server'
import { createTestUser, routeArgs } from '../factories'

const savedEnv = { NODE_ENV: process.env.NODE_ENV, HSTS: process.env.HSTS }
afterEach(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

/** The headers a real Express server with the middleware sends for a page and for JSON. */
async function headersServed(environment: { NODE_ENV?: string; HSTS?: string }) {
  for (const [name, value] of Object.entries(environment)) process.env[name] = value
  const app = express()
  app.use(securityHeaders)
  app.get('/page', (_req, res) => res.type('html').send('<p>hi</p>'))
  app.get('/data', (_req, res) => res.json({ ok: true }))
  const server = app.listen(0)
  await new Promise((resolve) => server.once('listening', resolve))
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return await Promise.all(['/page', '/data'].map(async (path) => (await fetch(base + path)).headers))
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}

describe('headers on every response', () => {
  test('nosniff on pages and data alike', async () => {
    for (const headers of await headersServed({})) expect(headers.get('X-Content-Type-Options')).toBe('nosniff')
  })

  test('Strict-Transport-Security in production, unless HSTS=0 says the proxy sends it', async () => {
    delete process.env.HSTS
    for (const headers of await headersServed({ NODE_ENV: 'production' })) expect(headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains')
    for (const headers of await headersServed({ NODE_ENV: 'production', HSTS: '0' })) expect(headers.get('Strict-Transport-Security')).toBeNull()
  })

  test('no Strict-Transport-Security outside production unless HSTS=1 asks for it', async () => {
    delete process.env.HSTS
    for (const headers of await headersServed({ NODE_ENV: 'development' })) expect(headers.get('Strict-Transport-Security')).toBeNull()
    for (const headers of await headersServed({ NODE_ENV: 'development', HSTS: '1' })) expect(headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains')
  })
})

describe('the content security policy', () => {
  test('lists its script sources before strict-dynamic and allows nothing else to run', () => {
    expect(contentSecurityPolicy(["'nonce-abc'"])).toBe(
      "default-src 'self'; script-src 'nonce-abc' 'strict-dynamic'; style-src 'self'; img-src 'self' https:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    )
    expect(contentSecurityPolicy([])).toContain("script-src 'none';")
  })

  test('nonces are 128 random bits, never the same twice', () => {
    const nonces = new Set(Array.from({ length: 1000 }, createCspNonce))
    expect(nonces.size).toBe(1000)
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16)
  })

  test('hashes each inline script as the browser parses it, and skips scripts loaded from a file', () => {
    const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
    const html = '<script>window.a = "é"</script><script type="module" async>import "/x.js";\r\nrun()</script><script src="/y.js"></script><SCRIPT>window.a = "é"</SCRIPT >'
    expect(inlineScriptHashes(html)).toEqual([sha('window.a = "é"'), sha('import "/x.js";\nrun()')])
  })
})

describe('data responses', () => {
  const respond = async (path: string, userId?: number) => {
    const { request, context } = await routeArgs({ path, userId })
    return handleDataRequest(new Response('{}', { headers: { 'Content-Type': 'application/json' } }), { request, context })
  }

  test('are kept out of caches for a signed-in member, whatever the page', async () => {
    const member = await createTestUser()
    for (const path of ['/?_data=root', '/questions?_data=routes%2Fquestions._index', '/notifications?_data=routes%2Fnotifications._index'])
      expect((await respond(path, member.id)).headers.get('Cache-Control'), path).toBe('private, no-store')
  })

  test("are kept out of caches in the private sections, and left alone on a visitor's public pages", async () => {
    for (const path of ['/tickets/7/rate?token=abc&_data=routes%2Ftickets_.%24number.rate', '/settings?_data=routes%2Fsettings', '/reset-password/abc?_data=x', '/claim-account/abc?_data=x', '/tickets/7/view?token=abc&_data=x'])
      expect((await respond(path)).headers.get('Cache-Control'), path).toBe('private, no-store')
    for (const path of ['/?_data=root', '/questions/4?_data=x', '/ticketsfaq?_data=x']) expect((await respond(path)).headers.get('Cache-Control'), path).toBeNull()
  })
})
