import { describe, expect, test } from 'vitest'
import { createTestUser, TEST_PASSWORD, uniqueName } from '../../tests/factories'
import { createUser, passwordProblem, updateUserAccess, verifyLogin } from './users.server'

describe('createUser', () => {
  test('refuses a username or email that differs only in case', async () => {
    const existing = await createTestUser()
    const result = await createUser({ username: existing.username.toUpperCase(), email: existing.email.toUpperCase(), password: TEST_PASSWORD })
    expect(result).toEqual({
      ok: false,
      errors: { username: 'That username is taken.', email: 'An account with that email already exists.' },
    })
  })

  test('refuses short and common passwords with a reason', async () => {
    expect(passwordProblem('short')).toMatch(/at least 10/)
    expect(passwordProblem('password123')).toMatch(/too common/)
    expect(passwordProblem('1234567890')).toMatch(/too common/)
    expect(passwordProblem(TEST_PASSWORD)).toBeNull()
    const name = uniqueName()
    const result = await createUser({ username: name, email: `${name}@example.test`, password: 'qwertyuiop' })
    expect(result.ok).toBe(false)
  })
})

describe('verifyLogin', () => {
  test('accepts the username or the email, in any case', async () => {
    const user = await createTestUser()
    expect(await verifyLogin({ identifier: user.username.toUpperCase(), password: TEST_PASSWORD, ip: '198.51.100.1' })).toEqual({ status: 'ok', userId: user.id })
    expect(await verifyLogin({ identifier: user.email, password: TEST_PASSWORD, ip: '198.51.100.2' })).toEqual({ status: 'ok', userId: user.id })
  })

  test('gives the same answer for a wrong password and an unknown account', async () => {
    const user = await createTestUser()
    expect(await verifyLogin({ identifier: user.username, password: 'not-the-password', ip: '198.51.100.3' })).toEqual({ status: 'invalid' })
    expect(await verifyLogin({ identifier: 'nobody-here', password: TEST_PASSWORD, ip: '198.51.100.4' })).toEqual({ status: 'invalid' })
  })

  test('locks an account after 10 failures from anywhere, until 15 minutes after the first', async () => {
    const user = await createTestUser()
    const now = new Date('2026-11-22T10:00:30Z')
    for (let i = 0; i < 10; i++) {
      // A different address each time: the per-account limit must hold on its own.
      expect((await verifyLogin({ identifier: user.username, password: 'wrong-password!', ip: `192.0.2.${i}`, now })).status).toBe('invalid')
    }
    const limited = await verifyLogin({ identifier: user.username, password: TEST_PASSWORD, ip: '192.0.2.99', now })
    expect(limited).toEqual({ status: 'limited', retryAt: new Date('2026-11-22T10:15:30Z') })
    const later = new Date('2026-11-22T10:15:31Z')
    expect(await verifyLogin({ identifier: user.username, password: TEST_PASSWORD, ip: '192.0.2.99', now: later })).toEqual({ status: 'ok', userId: user.id })
  })

  test('limits one address to 6 attempts a minute, whichever accounts it tries', async () => {
    const now = new Date('2026-11-22T11:00:10Z')
    const ip = '198.51.100.77'
    for (let i = 0; i < 6; i++) {
      expect((await verifyLogin({ identifier: uniqueName('guess'), password: 'whatever-it-is', ip, now })).status).toBe('invalid')
    }
    const user = await createTestUser()
    expect(await verifyLogin({ identifier: user.username, password: TEST_PASSWORD, ip, now })).toEqual({
      status: 'limited',
      retryAt: new Date('2026-11-22T11:01:10Z'),
    })
    expect((await verifyLogin({ identifier: user.username, password: TEST_PASSWORD, ip: '198.51.100.78', now })).status).toBe('ok')
  })
})

describe('updateUserAccess', () => {
  test('gives agents a tier and takes it away from everyone else', async () => {
    const user = await createTestUser()
    await updateUserAccess({ userId: user.id, role: 'agent', supportTier: 2, isPremium: false })
    const [afterAgent] = await import('./users.server').then((m) => m.listUsers({ afterId: user.id - 1 })).then((r) => r.users)
    expect(afterAgent).toMatchObject({ id: user.id, role: 'agent', supportTier: 2 })
    await updateUserAccess({ userId: user.id, role: 'member', supportTier: 2, isPremium: true })
    const [afterMember] = (await import('./users.server').then((m) => m.listUsers({ afterId: user.id - 1 }))).users
    expect(afterMember).toMatchObject({ role: 'member', supportTier: null, isPremium: true })
  })
})
