import { describe, expect, test } from 'vitest'
import * as login from '~/routes/login'
import * as questions from '~/routes/questions._index'
import * as dataPage from '~/routes/settings.data'
import { authenticate, readSessionId, safeRedirect } from '~/platform/auth/auth.server'
import { createTestUser, responseOf, routeArgs, sessionCookieFor, TEST_PASSWORD } from '../factories'

const EVIL = 'evil.example'

/**
 * Targets that have taken other sites' redirect checks off-site: browsers drop tabs and newlines,
 * read backslashes as slashes, strip leading whitespace and control characters, and collapse dot
 * segments, so each of these would leave the site if passed through as written.
 */
const LEAVE_THE_SITE = [
  `/\t/${EVIL}`,
  `/\n/${EVIL}`,
  `/\r/${EVIL}`,
  `/\r\n/${EVIL}`,
  `\t//${EVIL}`,
  `/\t\t/${EVIL}`,
  `/\\${EVIL}`,
  `\\/${EVIL}`,
  `\\\\${EVIL}`,
  `/\\/${EVIL}`,
  `//${EVIL}`,
  `///${EVIL}`,
  `////${EVIL}`,
  `/.//${EVIL}`,
  `/..//${EVIL}`,
  `/./\\${EVIL}`,
  ` //${EVIL}`,
  `\u0000//${EVIL}`,
  `\u001f//${EVIL}`,
  `//${EVIL}/%2F..`,
  `//evil\u3002example`,
  `//ⓔⓥⓘⓛ.example`,
  `https://${EVIL}`,
  `HTTPS://${EVIL}`,
  `https:${EVIL}`,
  `https:/${EVIL}`,
  `ftp://${EVIL}`,
  `//user:pass@${EVIL}`,
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
]

/** Targets that look odd but stay on the site once a browser has parsed them; kept as the parser wrote them. */
const STAY_ON_THE_SITE: [string, string][] = [
  ['/questions', '/questions'],
  ['/questions?sort=new#answer-3', '/questions?sort=new#answer-3'],
  ['/settings/account?saved=password-reset', '/settings/account?saved=password-reset'],
  [`/%2F%2F${EVIL}`, `/%2F%2F${EVIL}`],
  [`%2F%2F${EVIL}`, `/%2F%2F${EVIL}`],
  [`/%5C${EVIL}`, `/%5C${EVIL}`],
  [`/%09/${EVIL}`, `/%09/${EVIL}`],
  ['  /questions', '/questions'],
  [`http:${EVIL}`, `/${EVIL}`],
  [`/\uFF0F\uFF0F${EVIL}`, `/%EF%BC%8F%EF%BC%8F${EVIL}`],
  [`/\u2028/${EVIL}`, `/%E2%80%A8/${EVIL}`],
]

/** Where a browser on one of our pages goes when it follows this Location. */
const followedFrom = (location: string) => new URL(location, 'https://parley.example/login?x=1')

describe('safeRedirect', () => {
  test.each(LEAVE_THE_SITE)('refuses %j', (target) => {
    expect(safeRedirect(target)).toBe('/')
    expect(safeRedirect(target, '/settings')).toBe('/settings')
  })

  test.each(STAY_ON_THE_SITE)('keeps %j on the site as %j', (target, expected) => {
    expect(safeRedirect(target)).toBe(expected)
  })

  test('whatever it returns, a browser following it stays on our origin', () => {
    for (const target of [...LEAVE_THE_SITE, ...STAY_ON_THE_SITE.map(([t]) => t)]) {
      const location = safeRedirect(target)
      expect(followedFrom(location).origin, JSON.stringify(target)).toBe('https://parley.example')
      expect(location).toMatch(/^\/(?![/\\])/)
      expect(location).not.toMatch(/[\u0000-\u001f\\]/)
    }
  })

  test('gives the fallback for nothing, files and empty strings', () => {
    expect(safeRedirect(null)).toBe('/')
    expect(safeRedirect(undefined)).toBe('/')
    expect(safeRedirect('')).toBe('/')
    expect(safeRedirect(new File(['x'], '/questions'))).toBe('/')
  })
})

describe('redirects after login', () => {
  let ip = 1
  const logIn = async (username: string, redirectTo: string) =>
    responseOf(async () => login.action(await routeArgs({ path: '/login', method: 'POST', form: { identifier: username, password: TEST_PASSWORD, redirectTo }, ip: `198.51.100.${ip++}` })))

  test('a hostile redirectTo sends the member home, a same-site one where they were going', async () => {
    const member = await createTestUser()
    for (const target of [`/\t/${EVIL}`, `/\\${EVIL}`, `/.//${EVIL}`, `https://${EVIL}`]) {
      const res = await logIn(member.username, target)
      expect(res.status).toBe(302)
      expect(res.headers.get('Location')).toBe('/')
    }
    const res = await logIn(member.username, '/questions?sort=new')
    expect(res.headers.get('Location')).toBe('/questions?sort=new')
  })

  test('the next address on /settings/data is checked the same way', async () => {
    const member = await createTestUser()
    const load = async (next: string) =>
      (await (await responseOf(async () => dataPage.loader(await routeArgs({ path: `/settings/data?welcome=back&next=${encodeURIComponent(next)}`, userId: member.id })))).json()) as { next: string | null }
    expect((await load(`/\t/${EVIL}`)).next).toBe('/')
    expect((await load(`\\/${EVIL}`)).next).toBe('/')
    expect((await load('/questions')).next).toBe('/questions')
  })
})

describe('a malformed session cookie', () => {
  const blank = /^parley_session=;.*Max-Age=0/i

  test.each(['parley_session=%', 'parley_session=%E0%A4%A', 'parley_session=%00', 'parley_session=a%20b', `parley_session=${'a'.repeat(300)}`])(
    '%s is no session, and the browser is told to drop it',
    async (cookie) => {
      const auth = await authenticate(cookie)
      expect(auth.user).toBeNull()
      expect(auth.session).toBeNull()
      expect(auth.setCookie).toMatch(blank)
      expect(readSessionId(cookie)).toBeNull()
    },
  )

  test('a page still renders for the visitor carrying it', async () => {
    const res = await responseOf(async () => questions.loader(await routeArgs({ path: '/questions', cookie: 'theme=dark; parley_session=%' })))
    expect(res.status).toBe(200)
  })

  test("another cookie's bad encoding does not cost the member their session", async () => {
    const member = await createTestUser()
    const cookie = `other=%; ${await sessionCookieFor(member.id)}; last=%zz`
    const auth = await authenticate(cookie)
    expect(auth.user?.id).toBe(member.id)
    expect(auth.setCookie).toBeNull()
  })

  test('no cookie at all is no session and clears nothing', async () => {
    expect(await authenticate(null)).toEqual({ user: null, session: null, setCookie: null })
    expect(await authenticate('theme=dark')).toEqual({ user: null, session: null, setCookie: null })
  })
})
