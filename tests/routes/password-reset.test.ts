import { eq, sql } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { accountTokens, users } from '#db/schema/index'
import { drainQueue } from '~/platform/jobs/boss.server'
import { sendMailJob } from '~/platform/mail-jobs.server'
import { hashToken } from '~/accounts/tokens.server'
import { passwordResetTokenIsValid, resetPassword } from '~/accounts/account.server'
import * as forgotPassword from '~/routes/forgot-password'
import * as resetPasswordPage from '~/routes/reset-password.$token'
import { authenticate } from '~/platform/auth/auth.server'
import { env } from '~/platform/env.server'
import { useSmtpReceivers } from '../setup/smtp-receivers'
import { createTestUser, responseOf, routeArgs, sessionCookieFor, TEST_PASSWORD } from '../factories'
import { cookieOf, logInStatus, mailsTo, tokenIn } from './account-mail'

// The reset flow end to end: the real routes and models, mail through a real SMTP server.

const receiver = useSmtpReceivers()
const mailServer = () => receiver({ point: true })
const NEW_PASSWORD = 'copper-meadow-sparrow-17'

// Each request from a network address of its own, as different members' would be: one address
// may ask only 6 times an hour (tests/routes/rate-limits.test.ts).
let nextAddress = 1
async function askForReset(email: string) {
  const ip = `198.51.100.${nextAddress++}`
  return responseOf(async () => forgotPassword.action(await routeArgs({ path: '/forgot-password', method: 'POST', form: { email }, ip })))
}

/** Asks for a reset link as the member would and returns the token from the mail. */
async function resetLinkFor(member: { email: string }) {
  const smtp = await mailServer()
  expect((await askForReset(member.email)).status).toBe(302)
  expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
  const [mail] = mailsTo(smtp, member.email)
  return tokenIn(mail, 'reset-password')
}

const showForm = async (token: string) =>
  (await (await responseOf(async () => resetPasswordPage.loader(await routeArgs({ path: `/reset-password/${token}`, params: { token } })))).json()).valid as boolean

async function setNewPassword(token: string, password = NEW_PASSWORD, { cookie, confirmPassword = password }: { cookie?: string; confirmPassword?: string } = {}) {
  return responseOf(async () =>
    resetPasswordPage.action(await routeArgs({ path: `/reset-password/${token}`, method: 'POST', params: { token }, cookie, form: { password, confirmPassword } })),
  )
}

describe('asking for a reset link', () => {
  test('an address with an account gets a one-hour link; any other address gets the same answer and no mail', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    const known = await askForReset(member.email.toUpperCase())
    const unknown = await askForReset('nobody-here@example.test')
    for (const res of [known, unknown]) {
      expect(res.status).toBe(302)
      expect(res.headers.get('Location')).toBe('/forgot-password?sent=1')
      expect(res.headers.get('Set-Cookie')).toBeNull()
    }
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
    expect(smtp.messages).toHaveLength(1)
    const [mail] = mailsTo(smtp, member.email)
    expect(mail.subject).toBe('Reset your Parley password')
    expect(mail.text).toContain(`${env.publicUrl}/reset-password/`)
    expect(mail.text).toContain('within one hour')

    const page = await responseOf(async () => forgotPassword.loader(await routeArgs({ path: '/forgot-password?sent=1' })))
    expect(await page.json()).toEqual({ sent: true })
  })

  test('a malformed address is a 400 with the error beside the field, and no mail', async () => {
    const smtp = await mailServer()
    const res = await askForReset('not-an-address')
    expect(res.status).toBe(400)
    expect((await res.json()).result.error.email).toEqual(['Enter a valid email address.'])
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 0, failed: 0 })
    expect(smtp.messages).toHaveLength(0)
  })

  test('a deleted account gets no mail', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, member.id))
    expect((await askForReset(member.email)).headers.get('Location')).toBe('/forgot-password?sent=1')
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 0, failed: 0 })
    expect(smtp.messages).toHaveLength(0)
  })

  test('only a hash of the token is stored; the mailed token itself is nowhere in the table', async () => {
    const member = await createTestUser()
    const token = await resetLinkFor(member)
    const rows = await db.select().from(accountTokens).where(eq(accountTokens.userId, member.id))
    expect(rows).toEqual([expect.objectContaining({ purpose: 'password-reset', email: member.email, tokenHash: hashToken(token), usedAt: null })])
    expect(rows[0].tokenHash).not.toContain(token)
    // Every column of every row, as text: PGlite answers { rows }, postgres-js an array.
    const result: unknown = await db.execute(sql`select t::text as row from account_tokens t`)
    const text = ((Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { row: string }[]).map((r) => r.row).join('\n')
    expect(text).toContain(hashToken(token))
    expect(text).not.toContain(token)
  })

  test('a newer link replaces the earlier one', async () => {
    const member = await createTestUser()
    const first = await resetLinkFor(member)
    const second = await resetLinkFor(member)
    expect(await showForm(first)).toBe(false)
    expect(await showForm(second)).toBe(true)
  })
})

describe('setting a new password with the link', () => {
  test('the link works once: the old password and every other session stop working, this browser is logged in', async () => {
    const member = await createTestUser()
    const laptop = await sessionCookieFor(member.id)
    const phone = await sessionCookieFor(member.id)
    const token = await resetLinkFor(member)

    expect(await showForm(token)).toBe(true)
    // Showing the form leaves the link usable.
    expect(await showForm(token)).toBe(true)
    const res = await setNewPassword(token)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/settings/account?saved=password-reset')
    const fresh = cookieOf(res)
    expect((await authenticate(fresh)).user?.id).toBe(member.id)
    expect((await authenticate(laptop)).user).toBeNull()
    expect((await authenticate(phone)).user).toBeNull()

    expect(await logInStatus(member.username, TEST_PASSWORD)).toBe(400)
    expect(await logInStatus(member.username, NEW_PASSWORD)).toBe(302)

    // Used once, the link is refused, and the password stays as set.
    expect(await showForm(token)).toBe(false)
    const again = await setNewPassword(token, 'another-fresh-password-9')
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual({ expired: true })
    expect(await logInStatus(member.username, 'another-fresh-password-9')).toBe(400)
    expect(await logInStatus(member.username, NEW_PASSWORD)).toBe(302)
  })

  test('an expired link is refused and changes nothing', async () => {
    const member = await createTestUser()
    const token = await resetLinkFor(member)
    const inFiftyNineMinutes = new Date(Date.now() + 59 * 60_000)
    const inSixtyOneMinutes = new Date(Date.now() + 61 * 60_000)
    expect(await passwordResetTokenIsValid({ token, now: inFiftyNineMinutes })).toBe(true)
    expect(await passwordResetTokenIsValid({ token, now: inSixtyOneMinutes })).toBe(false)
    expect(await resetPassword({ token, password: NEW_PASSWORD, now: inSixtyOneMinutes })).toEqual({ ok: false, reason: 'invalid-token' })

    // The same through the pages, with the link's hour already over.
    await db.update(accountTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accountTokens.userId, member.id))
    expect(await showForm(token)).toBe(false)
    const res = await setNewPassword(token)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ expired: true })
    expect(await logInStatus(member.username, TEST_PASSWORD)).toBe(302)
  })

  test('a weak or mistyped password is a 400 beside the field, and the link still works', async () => {
    const member = await createTestUser()
    const token = await resetLinkFor(member)
    const common = await setNewPassword(token, 'password1234')
    expect(common.status).toBe(400)
    expect((await common.json()).result.error.password[0]).toMatch(/too common/)
    const mistyped = await setNewPassword(token, NEW_PASSWORD, { confirmPassword: `${NEW_PASSWORD}x` })
    expect(mistyped.status).toBe(400)
    expect((await mistyped.json()).result.error.confirmPassword).toEqual(['The passwords do not match.'])
    expect(await showForm(token)).toBe(true)
    expect(await logInStatus(member.username, TEST_PASSWORD)).toBe(302)
  })

  test('the link proves the address: an unverified member is verified by resetting', async () => {
    const member = await createTestUser({ emailVerified: false })
    const token = await resetLinkFor(member)
    const res = await setNewPassword(token)
    expect((await authenticate(cookieOf(res))).user?.emailVerifiedAt).toBeInstanceOf(Date)
  })

  test('a deactivated member may reset, and is back, as after a login', async () => {
    const member = await createTestUser()
    await db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, member.id))
    const token = await resetLinkFor(member)
    const res = await setNewPassword(token)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/settings/data?welcome=back&next=${encodeURIComponent('/settings/account?saved=password-reset')}`)
    expect((await authenticate(cookieOf(res))).user).toEqual(expect.objectContaining({ id: member.id, deactivatedAt: null }))
  })

  test('resetting in a browser logged in as someone else ends that session too', async () => {
    const member = await createTestUser()
    const someoneElse = await createTestUser()
    const sharedComputer = await sessionCookieFor(someoneElse.id)
    const token = await resetLinkFor(member)
    const res = await setNewPassword(token, NEW_PASSWORD, { cookie: sharedComputer })
    expect((await authenticate(cookieOf(res))).user?.id).toBe(member.id)
    expect((await authenticate(sharedComputer)).user).toBeNull()
  })
})
