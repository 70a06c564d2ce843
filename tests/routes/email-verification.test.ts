import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { accountTokens, users } from '#db/schema/index'
import { drainQueue } from '~/platform/jobs/boss.server'
import { sendMailJob } from '~/platform/mail-jobs.server'
import { createAccountToken } from '~/accounts/tokens.server'
import { passwordResetTokenIsValid, verifyEmail } from '~/accounts/account.server'
import * as register from '~/routes/register'
import * as settingsAccount from '~/routes/settings.account'
import * as verifyEmailPage from '~/routes/verify-email.$token'
import { env } from '~/platform/env.server'
import { useSmtpReceivers } from '../setup/smtp-receivers'
import { createTestUser, responseOf, routeArgs, TEST_PASSWORD, uniqueName } from '../factories'
import { mailsTo, tokenIn } from './account-mail'

const receiver = useSmtpReceivers()
const mailServer = () => receiver({ point: true })

const verifiedAt = async (userId: number) => (await db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId)))[0].at

/** Follows a verification link, logged out unless a userId is given, and returns what the page shows. */
async function followLink(token: string, userId?: number) {
  const res = await responseOf(async () => verifyEmailPage.loader(await routeArgs({ path: `/verify-email/${token}`, params: { token }, userId })))
  expect(res.status).toBe(200)
  return res.json()
}

async function changeEmail(userId: number, email: string, currentPassword = TEST_PASSWORD) {
  return responseOf(async () =>
    settingsAccount.action(await routeArgs({ path: '/settings/account', method: 'POST', userId, form: { intent: 'change-email', email, currentPassword } })),
  )
}

describe('verification on sign-up', () => {
  test('a new member is unverified until they follow the mailed link, which works logged out and once', async () => {
    const smtp = await mailServer()
    const username = uniqueName('new')
    const email = `${username}@example.test`
    const res = await responseOf(async () =>
      register.action(await routeArgs({ path: '/register', method: 'POST', form: { username, email, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD } })),
    )
    expect(res.status).toBe(302)
    const [member] = await db.select({ id: users.id, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.username, username))
    expect(member.emailVerifiedAt).toBeNull()

    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
    const [mail] = mailsTo(smtp, email)
    expect(mail.subject).toBe('Confirm your email address for Parley')
    expect(mail.text).toContain(`${env.publicUrl}/verify-email/`)
    expect(mail.text).toContain('within 48 hours')
    const token = tokenIn(mail, 'verify-email')

    expect(await followLink(token)).toEqual({ status: 'verified', email, loggedIn: false })
    expect(await verifiedAt(member.id)).toBeInstanceOf(Date)
    expect(await followLink(token)).toEqual({ status: 'invalid', loggedIn: false })
  })

  test('a sign-up refused for a taken name mails nothing', async () => {
    const smtp = await mailServer()
    const existing = await createTestUser()
    const res = await responseOf(async () =>
      register.action(
        await routeArgs({ path: '/register', method: 'POST', form: { username: existing.username, email: `${uniqueName()}@example.test`, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD } }),
      ),
    )
    expect(res.status).toBe(400)
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 0, failed: 0 })
    expect(smtp.messages).toHaveLength(0)
  })

  test('a verification link works for 48 hours', async () => {
    const member = await createTestUser({ emailVerified: false })
    const token = await createAccountToken({ userId: member.id, purpose: 'email-verification', email: member.email })
    expect(await verifyEmail({ token, now: new Date(Date.now() + 49 * 3600_000) })).toEqual({ status: 'invalid' })
    await db.update(accountTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accountTokens.userId, member.id))
    expect(await followLink(token, member.id)).toEqual({ status: 'invalid', loggedIn: true })
    expect(await verifiedAt(member.id)).toBeNull()

    const fresh = await createAccountToken({ userId: member.id, purpose: 'email-verification', email: member.email })
    expect(await verifyEmail({ token: fresh, now: new Date(Date.now() + 47 * 3600_000) })).toEqual({ status: 'verified', email: member.email })
  })
})

describe('verification on change', () => {
  test('the new address gets a link, the old one a notice; the link verifies the new address', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    const newEmail = `${uniqueName('moved')}@example.test`
    const res = await changeEmail(member.id, newEmail)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/settings/account?saved=email')

    const page = await responseOf(async () => settingsAccount.loader(await routeArgs({ path: '/settings/account?saved=email', userId: member.id })))
    expect(await page.json()).toEqual({ email: newEmail, verified: false, saved: 'email' })

    expect(await drainQueue(sendMailJob)).toEqual({ completed: 2, failed: 0 })
    const [notice] = mailsTo(smtp, member.email)
    expect(notice.subject).toBe('Your Parley email address was changed')
    expect(notice.text).toContain(`from this address to ${newEmail}`)
    expect(notice.text).not.toContain('/verify-email/')
    const token = tokenIn(mailsTo(smtp, newEmail)[0], 'verify-email')
    expect(await followLink(token, member.id)).toEqual({ status: 'verified', email: newEmail, loggedIn: true })
    expect(await verifiedAt(member.id)).toBeInstanceOf(Date)
  })

  test('a link mailed to an old address does not verify the new one', async () => {
    const smtp = await mailServer()
    const member = await createTestUser({ emailVerified: false })
    // A link to the first address, still in its inbox…
    const oldLink = await createAccountToken({ userId: member.id, purpose: 'email-verification', email: member.email })
    expect((await changeEmail(member.id, `${uniqueName('moved')}@example.test`)).status).toBe(302)
    expect(await followLink(oldLink, member.id)).toEqual({ status: 'invalid', loggedIn: true })
    expect(await verifiedAt(member.id)).toBeNull()

    // …and even one made for the old address after the change (a race) proves only that address.
    const raced = await createAccountToken({ userId: member.id, purpose: 'email-verification', email: member.email })
    expect(await followLink(raced, member.id)).toEqual({ status: 'address-changed', loggedIn: true })
    expect(await verifiedAt(member.id)).toBeNull()
    expect(smtp.messages).toHaveLength(0)
  })

  test('a reset link mailed to the old address stops working once the address changes', async () => {
    const member = await createTestUser()
    const resetLink = await createAccountToken({ userId: member.id, purpose: 'password-reset', email: member.email })
    expect(await passwordResetTokenIsValid({ token: resetLink })).toBe(true)
    expect((await changeEmail(member.id, `${uniqueName('moved')}@example.test`)).status).toBe(302)
    expect(await passwordResetTokenIsValid({ token: resetLink })).toBe(false)
  })

  test('a taken address is refused beside the field, and nothing changes or is mailed', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    const other = await createTestUser()
    const res = await changeEmail(member.id, other.email.toUpperCase())
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.intent).toBe('change-email')
    expect(body.result.error.email).toEqual(['Another account uses that address.'])
    const same = await changeEmail(member.id, member.email)
    expect((await same.json()).result.error.email).toEqual(['That is already your email address.'])
    expect((await db.select({ email: users.email }).from(users).where(eq(users.id, member.id)))[0].email).toBe(member.email)
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 0, failed: 0 })
    expect(smtp.messages).toHaveLength(0)
  })

  test('a wrong current password is a 400 beside that field, and nothing changes', async () => {
    const member = await createTestUser()
    const res = await changeEmail(member.id, `${uniqueName('moved')}@example.test`, 'not-my-password-at-all')
    expect(res.status).toBe(400)
    expect((await res.json()).result.error.currentPassword).toEqual(['That is not your current password.'])
    expect((await db.select({ email: users.email }).from(users).where(eq(users.id, member.id)))[0].email).toBe(member.email)
    expect(await verifiedAt(member.id)).toBeInstanceOf(Date)
  })
})

describe('resending the link', () => {
  test('an unverified member gets a fresh link and the earlier one stops working; a verified member gets none', async () => {
    const smtp = await mailServer()
    const member = await createTestUser({ emailVerified: false })
    const earlier = await createAccountToken({ userId: member.id, purpose: 'email-verification', email: member.email })
    const page = await responseOf(async () => settingsAccount.loader(await routeArgs({ path: '/settings/account', userId: member.id })))
    expect(await page.json()).toEqual({ email: member.email, verified: false, saved: null })

    const resend = async (userId: number) =>
      responseOf(async () => settingsAccount.action(await routeArgs({ path: '/settings/account', method: 'POST', userId, form: { intent: 'resend-verification' } })))
    const res = await resend(member.id)
    expect(res.headers.get('Location')).toBe('/settings/account?saved=verification-sent')
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
    const token = tokenIn(mailsTo(smtp, member.email)[0], 'verify-email')
    expect(await followLink(earlier)).toEqual({ status: 'invalid', loggedIn: false })
    expect(await followLink(token)).toEqual({ status: 'verified', email: member.email, loggedIn: false })

    await resend(member.id)
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 0, failed: 0 })
  })
})
