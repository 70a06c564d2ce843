import type { AddressObject, ParsedMail } from 'mailparser'
import { expect } from 'vitest'
import * as login from '~/routes/login'
import type { SmtpReceiver } from '../setup/smtp-receiver'
import { responseOf, routeArgs } from '../factories'

// Shared by the password-reset, email-verification and account-settings tests.

const addresses = (field: AddressObject | AddressObject[] | undefined) => [field ?? []].flat().flatMap((a) => a.value.map((v) => v.address))

export const mailsTo = (smtp: SmtpReceiver, address: string) => smtp.messages.filter((m) => addresses(m.to).includes(address))

/** The token of the `/reset-password/…` or `/verify-email/…` link in a mail, as a member would click it. */
export function tokenIn(mail: ParsedMail, path: 'reset-password' | 'verify-email') {
  const match = (mail.text ?? '').match(new RegExp(`https?://\\S+/${path}/([A-Za-z0-9_-]+)`))
  expect(match, `a /${path}/ link in “${mail.subject}”`).not.toBeNull()
  return match![1]
}

let ipCounter = 0
/** The login form's answer (302 in, 400 refused); each attempt from its own address, clear of the per-IP limit. */
export async function logInStatus(identifier: string, password: string) {
  ipCounter += 1
  const ip = `198.51.100.${ipCounter % 250}`
  return (await responseOf(async () => login.action(await routeArgs({ path: '/login', method: 'POST', form: { identifier, password }, ip })))).status
}

export const cookieOf = (res: Response) => res.headers.get('Set-Cookie')?.split(';')[0] ?? null
