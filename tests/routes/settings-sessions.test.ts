import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { sessions } from '#db/schema/index'
import { sessionHandle } from '~/platform/auth/sessions.server'
import * as sessionSettings from '~/routes/settings.sessions'
import { authenticate, readSessionId, startSession } from '~/platform/auth/auth.server'
import { createTestUser, responseOf, routeArgs } from '../factories'

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'

/** Logs the member in on a device: the Cookie header that device sends from then on. */
async function logIn(userId: number, userAgent: string | null, ipAddress: string | null, startedAt: Date) {
  const cookie = (await startSession(userId, { userAgent, ipAddress })).split(';')[0]
  const sessionId = readSessionId(cookie)!
  await db.update(sessions).set({ createdAt: startedAt }).where(eq(sessions.id, sessionId))
  return { cookie, sessionId, startedAt: startedAt.toISOString() }
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000)
const load = async (cookie: string) => responseOf(async () => sessionSettings.loader(await routeArgs({ path: '/settings/sessions', cookie })))
const post = async (cookie: string, form: Record<string, string>) =>
  responseOf(async () => sessionSettings.action(await routeArgs({ path: '/settings/sessions', method: 'POST', cookie, form })))

async function devices() {
  const member = await createTestUser()
  const laptop = await logIn(member.id, FIREFOX_WINDOWS, '198.51.100.4', minutesAgo(300))
  const phone = await logIn(member.id, SAFARI_IPHONE, '198.51.100.9', minutesAgo(60))
  const current = await logIn(member.id, CHROME_LINUX, '203.0.113.7', minutesAgo(5))
  return { member, laptop, phone, current }
}

describe('/settings/sessions', () => {
  test('visitors are sent to log in', async () => {
    const res = await responseOf(async () => sessionSettings.loader(await routeArgs({ path: '/settings/sessions' })))
    expect(res.status).toBe(302)
  })

  test("lists the member's own unexpired sessions, newest first, with device, address and this device marked", async () => {
    const { member, laptop, phone, current } = await devices()
    const stranger = await createTestUser()
    const theirs = await logIn(stranger.id, FIREFOX_WINDOWS, '192.0.2.77', minutesAgo(1))
    const expired = await logIn(member.id, FIREFOX_WINDOWS, '192.0.2.88', minutesAgo(2))
    await db.update(sessions).set({ expiresAt: minutesAgo(1) }).where(eq(sessions.id, expired.sessionId))

    const res = await load(current.cookie)
    const text = await res.clone().text()
    const { sessions: listed } = await res.json()
    expect(listed).toEqual([
      { handle: sessionHandle(current.sessionId), device: 'Chrome 126 on Linux (desktop)', ipAddress: '203.0.113.7', createdAt: current.startedAt, isCurrent: true },
      { handle: sessionHandle(phone.sessionId), device: 'Safari 17 on iOS 17.5 (mobile)', ipAddress: '198.51.100.9', createdAt: phone.startedAt, isCurrent: false },
      { handle: sessionHandle(laptop.sessionId), device: 'Firefox 128 on Windows 10 (desktop)', ipAddress: '198.51.100.4', createdAt: laptop.startedAt, isCurrent: false },
    ])
    // The page never carries a session id, which is the cookie itself.
    for (const id of [current.sessionId, phone.sessionId, laptop.sessionId, theirs.sessionId]) expect(text).not.toContain(id)
    expect(text).not.toContain('192.0.2.77')
  })

  test('a session without a user agent is an unknown device', async () => {
    const member = await createTestUser()
    const current = await logIn(member.id, null, null, minutesAgo(1))
    const { sessions: listed } = await (await load(current.cookie)).json()
    expect(listed).toEqual([expect.objectContaining({ device: 'Unknown device', ipAddress: null, isCurrent: true })])
  })

  test('"Log out everywhere else" ends every other session of theirs and keeps this one', async () => {
    const { laptop, phone, current } = await devices()
    const stranger = await createTestUser()
    const theirs = await logIn(stranger.id, CHROME_LINUX, '192.0.2.77', minutesAgo(1))
    const res = await post(current.cookie, { intent: 'end-others' })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/settings/sessions?ended=others')
    expect((await authenticate(laptop.cookie)).user).toBeNull()
    expect((await authenticate(phone.cookie)).user).toBeNull()
    expect((await authenticate(current.cookie)).session?.id).toBe(current.sessionId)
    expect((await authenticate(theirs.cookie)).user?.id).toBe(stranger.id)
    const { sessions: listed } = await (await load(current.cookie)).json()
    expect(listed).toEqual([expect.objectContaining({ isCurrent: true })])
  })

  test('"Log out this session" ends that one session only', async () => {
    const { laptop, phone, current } = await devices()
    const res = await post(current.cookie, { intent: 'end-session', session: sessionHandle(phone.sessionId) })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/settings/sessions?ended=one')
    expect((await authenticate(phone.cookie)).user).toBeNull()
    expect((await authenticate(laptop.cookie)).user).not.toBeNull()
    expect((await authenticate(current.cookie)).user).not.toBeNull()
  })

  test("a member cannot end someone else's session, nor their current one through the row form", async () => {
    const { member, current } = await devices()
    const stranger = await createTestUser()
    const theirs = await logIn(stranger.id, CHROME_LINUX, '192.0.2.77', minutesAgo(1))
    const res = await post(current.cookie, { intent: 'end-session', session: sessionHandle(theirs.sessionId) })
    expect(res.status).toBe(404)
    expect((await authenticate(theirs.cookie)).user?.id).toBe(stranger.id)

    expect((await post(current.cookie, { intent: 'end-session', session: sessionHandle(current.sessionId) })).status).toBe(404)
    expect((await authenticate(current.cookie)).user?.id).toBe(member.id)

    const malformed = await post(current.cookie, { intent: 'end-session', session: theirs.sessionId })
    expect(malformed.status).toBe(400)
    expect((await authenticate(theirs.cookie)).user?.id).toBe(stranger.id)
  })
})
