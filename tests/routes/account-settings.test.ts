import { describe, expect, test } from 'vitest'
import { drainQueue } from '~/platform/jobs/boss.server'
import { sendMailJob } from '~/platform/mail-jobs.server'
import * as settingsAccount from '~/routes/settings.account'
import { authenticate } from '~/platform/auth/auth.server'
import { useSmtpReceivers } from '../setup/smtp-receivers'
import { createTestUser, responseOf, routeArgs, sessionCookieFor, TEST_PASSWORD } from '../factories'
import { logInStatus, mailsTo } from './account-mail'

const receiver = useSmtpReceivers()
const NEW_PASSWORD = 'copper-meadow-sparrow-17'

async function changePassword(cookie: string, form: Partial<Record<'currentPassword' | 'newPassword' | 'confirmPassword', string>>) {
  return responseOf(async () =>
    settingsAccount.action(await routeArgs({ path: '/settings/account', method: 'POST', cookie, form: { intent: 'change-password', ...form } })),
  )
}

describe('/settings/account', () => {
  test('visitors are sent to log in', async () => {
    const res = await responseOf(async () => settingsAccount.loader(await routeArgs({ path: '/settings/account' })))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?redirectTo=%2Fsettings%2Faccount')
    const post = await responseOf(async () => settingsAccount.action(await routeArgs({ path: '/settings/account', method: 'POST', form: { intent: 'resend-verification' } })))
    expect(post.status).toBe(302)
  })

  test('changing the password keeps this session, ends every other one and tells the member', async () => {
    const smtp = await receiver({ point: true })
    const member = await createTestUser()
    const here = await sessionCookieFor(member.id)
    const elsewhere = await sessionCookieFor(member.id)
    const res = await changePassword(here, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/settings/account?saved=password')
    expect((await authenticate(here)).user?.id).toBe(member.id)
    expect((await authenticate(elsewhere)).user).toBeNull()
    expect(await logInStatus(member.username, TEST_PASSWORD)).toBe(400)
    expect(await logInStatus(member.username, NEW_PASSWORD)).toBe(302)

    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
    const [notice] = mailsTo(smtp, member.email)
    expect(notice.subject).toBe('Your Parley password was changed')
  })

  test('a wrong current password, a weak or mistyped new one: 400 beside the field, nothing changes', async () => {
    const member = await createTestUser()
    const here = await sessionCookieFor(member.id)
    const elsewhere = await sessionCookieFor(member.id)
    const attempts = [
      [{ currentPassword: 'not-my-password-at-all', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, 'currentPassword', 'That is not your current password.'],
      [{ currentPassword: TEST_PASSWORD, newPassword: 'password1234', confirmPassword: 'password1234' }, 'newPassword', 'This password is too common; choose one that is harder to guess.'],
      [{ currentPassword: TEST_PASSWORD, newPassword: 'short', confirmPassword: 'short' }, 'newPassword', 'Use at least 10 characters.'],
      [{ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: 'something-else-1' }, 'confirmPassword', 'The passwords do not match.'],
      [{ newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, 'currentPassword', 'Enter your current password.'],
    ] as const
    for (const [form, field, message] of attempts) {
      const res = await changePassword(here, form)
      expect(res.status, field).toBe(400)
      const body = await res.json()
      expect(body.intent).toBe('change-password')
      expect(body.result.error[field]).toEqual([message])
    }
    expect((await authenticate(elsewhere)).user?.id).toBe(member.id)
    expect(await logInStatus(member.username, TEST_PASSWORD)).toBe(302)
  })

  test('an unknown intent is a 400', async () => {
    const member = await createTestUser()
    const res = await responseOf(async () => settingsAccount.action(await routeArgs({ path: '/settings/account', method: 'POST', userId: member.id, form: { intent: 'delete-everything' } })))
    expect(res.status).toBe(400)
  })
})
