/**
 * The member's own account: signing up with a verified address, resetting a forgotten password by
 * mail, confirming an address, and changing the address or password from /settings/account.
 */
import { and, eq, isNull, ne, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { users } from '#db/schema/index'
import { hashPassword } from '~/platform/auth/auth.server'
import { WRONG_PASSWORD } from '~/accounts/rules'
import { env } from '~/platform/env.server'
import { queueMail } from '~/platform/mail.server'
import { consumeAccountToken, createAccountToken, findAccountToken, revokeAccountTokens, sameAddress } from './tokens.server'
import { endAllSessions, endOtherSessions } from '~/platform/auth/sessions.server'
import { createUser, isUniqueViolation, memberWithPassword, passwordProblem, type CreateUserResult, type NewUser } from './users.server'

const sameAddressSql = (email: string) => sql`lower(${users.email}) = lower(${email.trim()})`
const timestamp = (at: Date) => sql`${at.toISOString()}::timestamptz`

// The words of every account mail, in one place.
const mails = {
  verify: (username: string, link: string) => ({
    subject: 'Confirm your email address for Parley',
    text: [
      `Hello ${username},`,
      `Please confirm that this address is yours by opening this link within 48 hours:`,
      link,
      'If you did not sign up or change your address on Parley, you can ignore this mail.',
    ].join('\n\n'),
  }),
  reset: (username: string, link: string) => ({
    subject: 'Reset your Parley password',
    text: [
      `Hello ${username},`,
      'Someone, hopefully you, asked to reset the password of your Parley account. Open this link within one hour to choose a new one:',
      link,
      'The link works once. If you did not ask for this, ignore this mail: your password stays as it is.',
    ].join('\n\n'),
  }),
  emailChanged: (username: string, newEmail: string) => ({
    subject: 'Your Parley email address was changed',
    text: [
      `Hello ${username},`,
      `The email address of your Parley account was changed from this address to ${newEmail}. Mail from Parley will go there from now on.`,
      'If you did not make this change, contact our support team right away.',
    ].join('\n\n'),
  }),
  passwordChanged: (username: string) => ({
    subject: 'Your Parley password was changed',
    text: [
      `Hello ${username},`,
      'The password of your Parley account was changed, and every other device was logged out.',
      `If you did not make this change, reset your password at ${env.publicUrl}/forgot-password and contact our support team.`,
    ].join('\n\n'),
  }),
}

async function mailVerificationLink({ userId, username, email, now }: { userId: number; username: string; email: string; now?: Date }, tx: DbOrTx) {
  const token = await createAccountToken({ userId, purpose: 'email-verification', email, now }, tx)
  await queueMail(tx, { to: email, ...mails.verify(username, `${env.publicUrl}/verify-email/${token}`) })
}

/** Signs a member up and mails the link that verifies their address, in one transaction. */
export async function registerMember({ signupIp = null, ...input }: Pick<NewUser, 'username' | 'email' | 'password'> & { signupIp?: string | null }): Promise<CreateUserResult> {
  return db.transaction(async (tx) => {
    const created = await createUser({ ...input, emailVerified: false }, tx)
    // Kept for screening and for linking accounts that sign up from one address (decision 032).
    if (created.ok && signupIp) await tx.update(users).set({ signupIp }).where(eq(users.id, created.user.id))
    if (created.ok) await mailVerificationLink({ userId: created.user.id, username: created.user.username, email: input.email.trim() }, tx)
    return created
  })
}

/**
 * Mails a reset link if an account uses the address, and does nothing otherwise; the caller answers
 * the same either way. Deactivated members may reset (it brings them back); deleted ones are gone.
 */
export async function requestPasswordReset({ email, now = new Date() }: { email: string; now?: Date }) {
  const [user] = await db
    .select({ id: users.id, username: users.username, email: users.email })
    .from(users)
    .where(and(sameAddressSql(email), isNull(users.deletedAt)))
    .limit(1)
  if (!user) return
  await db.transaction(async (tx) => {
    const token = await createAccountToken({ userId: user.id, purpose: 'password-reset', email: user.email, now }, tx)
    await queueMail(tx, { to: user.email, ...mails.reset(user.username, `${env.publicUrl}/reset-password/${token}`) })
  })
}

/** Whether a reset link still works, without using it up (for showing the form). */
export async function passwordResetTokenIsValid({ token, now = new Date() }: { token: string; now?: Date }) {
  return (await findAccountToken({ token, purpose: 'password-reset', now })) !== null
}

export type ResetPasswordResult =
  | { ok: true; userId: number; inactive?: true }
  | { ok: false; reason: 'invalid-token' }
  | { ok: false; reason: 'invalid-password'; errors: { password: string } }

/**
 * Sets a new password with a reset link and ends every session of the member; the caller starts a
 * fresh one for the browser that did it. The link proves the address it was mailed to, so it also
 * verifies that address if it is still the member's. A deactivated member may reset too (`inactive`);
 * the caller then reactivates them as a login does (reactivateOnLogin).
 */
export async function resetPassword({ token, password, now = new Date() }: { token: string; password: string; now?: Date }): Promise<ResetPasswordResult> {
  const problem = passwordProblem(password)
  if (problem) return { ok: false, reason: 'invalid-password', errors: { password: problem } }
  const passwordHash = await hashPassword(password)
  return db.transaction(async (tx) => {
    const used = await consumeAccountToken({ token, purpose: 'password-reset', now }, tx)
    if (!used) return { ok: false, reason: 'invalid-token' } as const
    const [user] = await tx
      .update(users)
      .set({
        passwordHash,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, case when ${sameAddressSql(used.email)} then ${timestamp(now)} end)`,
      })
      .where(and(eq(users.id, used.userId), isNull(users.deletedAt)))
      .returning({ id: users.id, deactivatedAt: users.deactivatedAt, deletionRequestedAt: users.deletionRequestedAt })
    if (!user) return { ok: false, reason: 'invalid-token' } as const
    await endAllSessions({ userId: user.id }, tx)
    return user.deactivatedAt || user.deletionRequestedAt ? ({ ok: true, userId: user.id, inactive: true } as const) : ({ ok: true, userId: user.id } as const)
  })
}

export type VerifyEmailResult = { status: 'verified'; email: string } | { status: 'address-changed' } | { status: 'invalid' }

/**
 * Uses a verification link up. It verifies only the address it was mailed to: a member who changed
 * their address since gets 'address-changed', and the new address stays unverified.
 */
export async function verifyEmail({ token, now = new Date() }: { token: string; now?: Date }): Promise<VerifyEmailResult> {
  return db.transaction(async (tx) => {
    const used = await consumeAccountToken({ token, purpose: 'email-verification', now }, tx)
    if (!used) return { status: 'invalid' } as const
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${timestamp(now)})` })
      .where(and(eq(users.id, used.userId), isNull(users.deletedAt), sameAddressSql(used.email)))
      .returning({ email: users.email })
    return user ? ({ status: 'verified', email: user.email } as const) : ({ status: 'address-changed' } as const)
  })
}

/** The address shown on /settings/account and whether it is verified. */
export async function getAccountSettings({ userId }: { userId: number }) {
  const [user] = await db.select({ email: users.email, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId)).limit(1)
  return user ?? null
}

/** Mails a fresh verification link to the member's current address; false if it is verified already. */
export async function resendEmailVerification({ userId, now = new Date() }: { userId: number; now?: Date }) {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ username: users.username, email: users.email, emailVerifiedAt: users.emailVerifiedAt })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .limit(1)
    if (!user || user.emailVerifiedAt) return false
    await mailVerificationLink({ userId, username: user.username, email: user.email, now }, tx)
    return true
  })
}

type AccountChangeResult<Field extends string> = { ok: true } | { ok: false; errors: Partial<Record<Field, string>> }

/**
 * Moves the account to a new address, unverified until the member follows the link mailed there;
 * the old address is told. Reset links mailed to the old address stop working.
 */
export async function changeEmail({
  userId,
  email,
  currentPassword,
  now = new Date(),
}: {
  userId: number
  email: string
  currentPassword: string
  now?: Date
}): Promise<AccountChangeResult<'email' | 'currentPassword'>> {
  const user = await memberWithPassword({ userId, password: currentPassword })
  if (!user) return { ok: false, errors: { currentPassword: WRONG_PASSWORD } }
  const newEmail = email.trim()
  if (sameAddress(newEmail, user.email)) return { ok: false, errors: { email: 'That is already your email address.' } }
  const taken = { ok: false, errors: { email: 'Another account uses that address.' } } as const
  try {
    return await db.transaction(async (tx) => {
      const [other] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(sameAddressSql(newEmail), isNull(users.deletedAt), ne(users.id, userId)))
        .limit(1)
      if (other) return taken
      await tx.update(users).set({ email: newEmail, emailVerifiedAt: null }).where(eq(users.id, userId))
      await revokeAccountTokens({ userId, purpose: 'password-reset' }, tx)
      await mailVerificationLink({ userId, username: user.username, email: newEmail, now }, tx)
      await queueMail(tx, { to: user.email, ...mails.emailChanged(user.username, newEmail) })
      return { ok: true } as const
    })
  } catch (error) {
    // Two members racing for one address: the unique index decides.
    if (isUniqueViolation(error)) return taken
    throw error
  }
}

/**
 * Sets a new password when the current one is known, and ends every session but `keepSessionId`
 * (the one asking): whoever else was logged in, perhaps with the old password, is out.
 */
export async function changePassword({
  userId,
  currentPassword,
  newPassword,
  keepSessionId,
}: {
  userId: number
  currentPassword: string
  newPassword: string
  keepSessionId: string | null
}): Promise<AccountChangeResult<'currentPassword' | 'newPassword'>> {
  const user = await memberWithPassword({ userId, password: currentPassword })
  if (!user) return { ok: false, errors: { currentPassword: WRONG_PASSWORD } }
  const problem = passwordProblem(newPassword)
  if (problem) return { ok: false, errors: { newPassword: problem } }
  const passwordHash = await hashPassword(newPassword)
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId))
    if (keepSessionId) await endOtherSessions({ userId, keepSessionId }, tx)
    else await endAllSessions({ userId }, tx)
    await queueMail(tx, { to: user.email, ...mails.passwordChanged(user.username) })
  })
  return { ok: true }
}
