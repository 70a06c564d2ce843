import { describe, expect, test } from 'vitest'
import { authenticate } from '~/platform/auth/auth.server'
import * as adminUsers from '~/routes/admin.users'
import * as login from '~/routes/login'
import * as logout from '~/routes/logout'
import * as register from '~/routes/register'
import { createTestUser, responseOf, routeArgs, sessionCookieFor, TEST_PASSWORD, uniqueName } from '../factories'

const cookieValue = (res: Response) => res.headers.get('Set-Cookie')?.split(';')[0] ?? null

describe('registration', () => {
  test('field errors for a bad username, a bad email, a weak password and a mismatch', async () => {
    const res = await responseOf(async () =>
      register.action(await routeArgs({ path: '/register', method: 'POST', form: { username: 'a b', email: 'not-an-email', password: 'short', confirmPassword: 'other' } })),
    )
    expect(res.status).toBe(400)
    const { error } = (await res.json()).result
    expect(error.username[0]).toMatch(/3 to 20/)
    expect(error.email).toEqual(['Enter a valid email address.'])
    expect(error.password[0]).toMatch(/at least 10/)
  })

  test('a common password and a taken username are refused with reasons', async () => {
    const existing = await createTestUser()
    const res = await responseOf(async () =>
      register.action(
        await routeArgs({ path: '/register', method: 'POST', form: { username: existing.username, email: `${uniqueName()}@example.test`, password: 'password1234', confirmPassword: 'password1234' } }),
      ),
    )
    expect(res.status).toBe(400)
    const { error } = (await res.json()).result
    expect(error.password[0]).toMatch(/too common/)
    const taken = await responseOf(async () =>
      register.action(
        await routeArgs({ path: '/register', method: 'POST', form: { username: existing.username, email: `${uniqueName()}@example.test`, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD } }),
      ),
    )
    expect((await taken.json()).result.error.username).toEqual(['That username is taken.'])
  })

  test('a new member is signed in with an HttpOnly, SameSite=Lax session cookie', async () => {
    const username = uniqueName('new')
    const res = await responseOf(async () =>
      register.action(await routeArgs({ path: '/register', method: 'POST', form: { username, email: `${username}@example.test`, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD } })),
    )
    expect(res.status).toBe(302)
    const setCookie = res.headers.get('Set-Cookie')!
    expect(setCookie).toMatch(/^parley_session=/)
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    expect((await authenticate(cookieValue(res))).user?.username).toBe(username)
  })
})

describe('login and logout', () => {
  test('wrong credentials are a 400 with one message that does not say which part was wrong', async () => {
    const user = await createTestUser()
    const wrongPassword = await responseOf(async () => login.action(await routeArgs({ path: '/login', method: 'POST', form: { identifier: user.username, password: 'nope-nope-nope' }, ip: '203.0.113.20' })))
    const unknownUser = await responseOf(async () => login.action(await routeArgs({ path: '/login', method: 'POST', form: { identifier: 'ghost-user', password: TEST_PASSWORD }, ip: '203.0.113.21' })))
    expect(wrongPassword.status).toBe(400)
    const a = (await wrongPassword.json()).result.error['']
    const b = (await unknownUser.json()).result.error['']
    expect(a).toEqual(b)
    expect(a).toEqual(['That username or email and password do not match an account.'])
  })

  test('logging in starts a new session id and keeps redirects on this site', async () => {
    const user = await createTestUser()
    const before = await sessionCookieFor(user.id)
    const res = await responseOf(async () =>
      login.action(await routeArgs({ path: '/login', method: 'POST', form: { identifier: user.email, password: TEST_PASSWORD, redirectTo: '//evil.example/' }, userId: user.id, ip: '203.0.113.22' })),
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/')
    const after = cookieValue(res)
    expect(after).not.toBe(before)
    expect((await authenticate(after)).user?.id).toBe(user.id)
  })

  test('the limited user gets a 429 that says when to retry', async () => {
    const ip = '203.0.113.99'
    for (let i = 0; i < 6; i++) await login.action(await routeArgs({ path: '/login', method: 'POST', form: { identifier: `nobody${i}`, password: 'x-x-x-x-x-x' }, ip }))
    const res = await responseOf(async () => login.action(await routeArgs({ path: '/login', method: 'POST', form: { identifier: 'nobody', password: 'x-x-x-x-x-x' }, ip })))
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect((await res.json()).message).toMatch(/Too many sign-in attempts\. Please wait and try again after .* UTC \(in about 1 minute\)/)
  })

  test('logging out ends the session on the server', async () => {
    const user = await createTestUser()
    const args = await routeArgs({ path: '/logout', method: 'POST', userId: user.id })
    const cookie = args.request.headers.get('Cookie')
    expect((await authenticate(cookie)).user?.id).toBe(user.id)
    const res = await responseOf(() => logout.action(args))
    expect(res.status).toBe(302)
    expect(res.headers.get('Set-Cookie')).toMatch(/parley_session=;/)
    expect((await authenticate(cookie)).user).toBeNull()
  })
})

describe('/admin/users', () => {
  test('members, moderators and agents get a 403; visitors are sent to log in', async () => {
    for (const role of ['member', 'moderator', 'agent'] as const) {
      const user = await createTestUser({ role })
      expect((await responseOf(async () => adminUsers.loader(await routeArgs({ path: '/admin/users', userId: user.id })))).status, role).toBe(403)
      const target = await createTestUser()
      const res = await responseOf(async () => adminUsers.action(await routeArgs({ path: '/admin/users', method: 'POST', userId: user.id, form: { userId: String(target.id), role: 'admin' } })))
      expect(res.status, role).toBe(403)
    }
    expect((await responseOf(async () => adminUsers.loader(await routeArgs({ path: '/admin/users' })))).status).toBe(302)
  })

  test('an admin changes role, tier and premium; tiers are for agents only', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const target = await createTestUser()
    const change = async (form: Record<string, string>) =>
      responseOf(async () => adminUsers.action(await routeArgs({ path: '/admin/users', method: 'POST', userId: admin.id, form: { userId: String(target.id), ...form } })))
    expect((await change({ role: 'member', supportTier: '2' })).status).toBe(400)
    const saved = await change({ role: 'agent', supportTier: '2', isPremium: 'on' })
    expect(saved.status).toBe(302)
    expect(saved.headers.get('Location')).toBe(`/admin/users?saved=${target.username}`)
    const res = await responseOf(async () => adminUsers.loader(await routeArgs({ path: `/admin/users?q=${target.username}`, userId: admin.id })))
    expect((await res.json()).users).toEqual([expect.objectContaining({ id: target.id, role: 'agent', supportTier: 2, isPremium: true })])
  })

  test('an admin cannot remove their own admin role', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const res = await responseOf(async () => adminUsers.action(await routeArgs({ path: '/admin/users', method: 'POST', userId: admin.id, form: { userId: String(admin.id), role: 'member' } })))
    expect(res.status).toBe(400)
  })
})
