import { createHash } from 'node:crypto'
import type { APIRequestContext, APIResponse, Page } from '@playwright/test'
import { demo, expect, logIn, test } from './helpers'

const VISITOR_PAGES = ['/', '/questions', '/questions/new', '/search?q=printer', '/help', '/login', '/register', '/forgot-password', '/u/member', '/no/such/page']
const MEMBER_PAGES = ['/', '/questions', '/tickets', '/tickets/new', '/notifications', '/settings', '/settings/account', '/settings/notifications', '/settings/data', '/me/moderation']

/** Every `<script …>` start tag of a page. */
const scriptTags = (html: string) => [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0])
const inlineScripts = (html: string) => [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1])
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

function policyOf(response: APIResponse) {
  const header = response.headers()['content-security-policy']
  expect(header, `Content-Security-Policy of ${response.url()}`).toBeTruthy()
  const directives = new Map(header.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]))
  return { header, directives, nonce: directives.get('script-src')?.find((s) => s.startsWith("'nonce-"))?.slice(7, -1) ?? null }
}

/** The page's policy is strict and its nonce marks every script the page has, and nothing else does. */
async function expectNoncedPage(response: APIResponse) {
  const { directives, nonce } = policyOf(response)
  expect(directives.get('script-src')).toEqual([`'nonce-${nonce}'`, "'strict-dynamic'"])
  for (const [name, values] of [
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['form-action', ["'self'"]],
    ['img-src', ["'self'", 'https:']],
    ['style-src', ["'self'"]],
  ] as const)
    expect(directives.get(name), name).toEqual(values)
  expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
  const tags = scriptTags(await response.text())
  expect(tags.length, `scripts on ${response.url()}`).toBeGreaterThan(0)
  for (const tag of tags) expect(tag).toContain(` nonce="${nonce}"`)
  return nonce!
}

async function expectHeaders(response: APIResponse, { privateData }: { privateData: boolean }) {
  const headers = response.headers()
  expect(headers['x-content-type-options'], response.url()).toBe('nosniff')
  if (privateData) expect(headers['cache-control'], response.url()).toBe('private, no-store')
  else expect(headers['cache-control'] ?? '', response.url()).not.toMatch(/private|no-store/)
  // The test server is not NODE_ENV=production and sets no HSTS.
  expect(headers['strict-transport-security']).toBeUndefined()
}

async function signedInRequest(request: APIRequestContext, baseURL: string) {
  const member = demo('member')
  const res = await request.post('/login', { form: { identifier: member.username, password: member.password }, headers: { Origin: baseURL }, maxRedirects: 0 })
  expect(res.status()).toBe(302)
}

/** A thread page the page cache serves to visitors. */
/**
 * The first demo thread's address. Not the newest thread in the list: other specs running alongside
 * post threads and remove them (delete spammer), which could happen between here and the visit.
 */
async function threadAddress(request: APIRequestContext) {
  const response = await request.get('/questions/1', { maxRedirects: 0 })
  expect(response.status()).toBe(301)
  return new URL(response.headers().location!, 'http://localhost').pathname
}

test('every page a visitor opens carries a strict policy whose nonce marks its scripts, a new one each time', async ({ request }) => {
  const nonces = new Set<string>()
  for (const path of VISITOR_PAGES) {
    const response = await request.get(path)
    expect(response.status(), path).toBe(path === '/no/such/page' ? 404 : 200)
    nonces.add(await expectNoncedPage(response))
    await expectHeaders(response, { privateData: false })
  }
  const again = await request.get('/')
  nonces.add(await expectNoncedPage(again))
  expect(nonces.size).toBe(VISITOR_PAGES.length + 1)
})

test('a cached thread page allows exactly its own scripts, by hash, on every response it is served from', async ({ request }) => {
  const address = await threadAddress(request)
  const first = await request.get(address)
  const second = await request.get(address)
  expect(second.headers()['x-page-cache']).toBe('hit')
  for (const response of [first, second]) {
    const { directives, nonce } = policyOf(response)
    expect(nonce).toBeNull()
    const html = await response.text()
    for (const tag of scriptTags(html)) expect(tag).not.toContain('nonce=')
    const scripts = inlineScripts(html)
    expect(scripts.length).toBeGreaterThan(0)
    expect(directives.get('script-src')).toEqual([...new Set(scripts.map(sha256))].concat("'strict-dynamic'"))
    expect(directives.get('object-src')).toEqual(["'none'"])
    await expectHeaders(response, { privateData: false })
  }
  expect(second.headers()['content-security-policy']).toBe(first.headers()['content-security-policy'])
})

test('pages and data for a signed-in member are never stored, and data is never sniffed', async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL })
  await signedInRequest(request, baseURL!)
  for (const path of MEMBER_PAGES) {
    const response = await request.get(path)
    expect(response.status(), path).toBe(200)
    await expectNoncedPage(response)
    await expectHeaders(response, { privateData: true })
  }
  // The thread page renders fresh for members, with a nonce of its own.
  const thread = await request.get(await threadAddress(request))
  expect(thread.headers()['x-page-cache']).toBeUndefined()
  await expectNoncedPage(thread)
  await expectHeaders(thread, { privateData: true })
  for (const path of ['/?_data=root', '/notifications?_data=routes%2Fnotifications._index', '/tickets?_data=routes%2Ftickets._index', '/settings/account?_data=routes%2Fsettings.account', '/questions?_data=routes%2Fquestions._index']) {
    const response = await request.get(path)
    expect(response.status(), path).toBe(200)
    expect(response.headers()['content-type']).toMatch(/^application\/json/)
    await expectHeaders(response, { privateData: true })
  }
  const download = await request.get('/settings/export')
  expect(download.status()).toBe(200)
  await expectHeaders(download, { privateData: true })
  await request.dispose()
})

test("a visitor's data responses are not sniffed, and private sections are not stored even without a session", async ({ request }) => {
  for (const path of ['/?_data=root', '/questions?_data=routes%2Fquestions._index', '/help?_data=routes%2Fhelp']) {
    const response = await request.get(path)
    expect(response.status(), path).toBe(200)
    await expectHeaders(response, { privateData: false })
  }
  // A mailed link's page is someone's even without a session (a redirect carries nothing and is left alone).
  for (const path of ['/reset-password/not-a-real-token', '/verify-email/not-a-real-token', '/tickets/1/rate?token=x&_data=routes%2Ftickets_.%24number.rate']) {
    const response = await request.get(path, { maxRedirects: 0 })
    expect(response.status(), path).toBeLessThan(500)
    await expectHeaders(response, { privateData: true })
  }
  const css = await request.get((await (await request.get('/')).text()).match(/href="(\/build\/[^"]+\.css)"/)![1])
  expect(css.headers()['x-content-type-options']).toBe('nosniff')
  expect(css.headers()['cache-control']).toMatch(/immutable/)
})

test('a malformed session cookie is treated as no session and cleared', async ({ request, browser, baseURL }) => {
  for (const path of ['/', '/questions', '/?_data=root']) {
    const response = await request.get(path, { headers: { Cookie: 'parley_session=%' } })
    expect(response.status(), path).toBe(200)
    expect(response.headers()['set-cookie']).toMatch(/^parley_session=;.*Max-Age=0/i)
  }
  const context = await browser.newContext()
  await context.addCookies([{ name: 'parley_session', value: '%', url: baseURL! }])
  const page = await context.newPage()
  const response = await page.goto('/questions')
  expect(response!.status()).toBe(200)
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible()
  expect((await context.cookies()).find((c) => c.name === 'parley_session')).toBeUndefined()
  // The browser can log in again straight away.
  await logIn(page, demo('member').username, demo('member').password)
  await context.close()
})

/** Opens a page with JavaScript and waits until Remix has taken it over, so every script it needs ran. */
async function openHydrated(page: Page, path: string) {
  const response = await page.goto(path)
  expect(response!.status(), path).toBeLessThan(400)
  await page.waitForFunction(() => '__remixRouter' in window, undefined, { timeout: 10_000 })
  return response!
}

async function violations(page: Page) {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)
}

test('with JavaScript on, no page breaks its policy, cached thread pages and client navigation included', async ({ browser }) => {
  for (const role of ['visitor', 'member'] as const) {
    // JavaScript on in both projects: what is tested is the scripts the policy lets run.
    const context = await browser.newContext({ javaScriptEnabled: true })
    await context.addInitScript(() => {
      const seen: string[] = ((window as unknown as { cspViolations: string[] }).cspViolations = [])
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} at ${location.pathname}`))
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    if (role === 'member') await logIn(page, demo('member').username, demo('member').password)
    const thread = await threadAddress(page.request)
    const pages = role === 'member' ? ['/', '/questions', '/tickets', '/tickets/new', '/notifications', '/settings', '/settings/account', '/search?q=printer', thread] : ['/', '/questions', '/search?q=printer', '/help', '/login', '/register', thread, thread]
    const cacheStates: (string | undefined)[] = []
    for (const path of pages) {
      const response = await openHydrated(page, path)
      if (path === thread) cacheStates.push(response.headers()['x-page-cache'])
      expect(await violations(page), `${role} on ${path}`).toEqual([])
    }
    // The visitor's second visit is served from the cache, with its hash-based policy.
    if (role === 'visitor') expect(cacheStates.at(-1)).toBe('hit')
    else expect(cacheStates).toEqual([undefined])
    // From the (for visitors, cached) thread page, a client-side navigation loads another route's code.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Help center' }).click()
    await expect(page).toHaveURL(/\/help$/)
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    expect(await violations(page)).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  }
})
