import { and, asc, eq, gt, ilike, isNull, or, sql } from 'drizzle-orm'
import commonPasswords from 'fxa-common-password-list'
import { db, type DbOrTx } from '#db/client.server'
import { users, type UserRole } from '#db/schema/index'
import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN } from '~/accounts/rules'
import { hashPassword, verifyPassword } from '~/platform/auth/auth.server'
import { clearHits, hitLimits, loginLimits } from '~/rate-limits/counter.server'

/** The reason a password is refused, in words a user can act on, or null when it is fine. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`
  if (commonPasswords.test(password) || commonPasswords.test(password.toLowerCase()))
    return 'This password is too common; choose one that is harder to guess.'
  return null
}

/** Whether a write failed on a unique index: two requests raced for one name or address. */
export const isUniqueViolation = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } }
  return e?.code === '23505' || e?.cause?.code === '23505'
}

/**
 * The member, if `password` is their current one: every form that changes the account asks for it.
 * `forUpdate` locks the row for the rest of the caller's transaction.
 */
export async function memberWithPassword({ userId, password, forUpdate = false }: { userId: number; password: string; forUpdate?: boolean }, tx: DbOrTx = db) {
  const query = tx
    .select({ id: users.id, username: users.username, email: users.email, role: users.role, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .limit(1)
  const [user] = await (forUpdate ? query.for('update') : query)
  if (!user || !(await verifyPassword(user.passwordHash, password))) return null
  const { passwordHash: _, ...member } = user
  return member
}

export type NewUser = {
  username: string
  email: string
  password: string
  role?: UserRole
  supportTier?: number | null
  isPremium?: boolean
  /** Whether the address counts as proven already (seeded and CLI-made accounts); sign-ups prove it by mail. */
  emailVerified?: boolean
  /** Posts do not wait for approval as a new member's (seeded and CLI-made accounts, decision 031). */
  trusted?: boolean
}

export type CreateUserResult =
  | { ok: true; user: { id: number; username: string } }
  | { ok: false; errors: Partial<Record<'username' | 'email' | 'password', string>> }

export async function createUser(input: NewUser, tx: DbOrTx = db): Promise<CreateUserResult> {
  const errors: Partial<Record<'username' | 'email' | 'password', string>> = {}
  if (!USERNAME_PATTERN.test(input.username))
    errors.username = 'Use 3 to 20 letters, digits, underscores or hyphens.'
  const problem = passwordProblem(input.password)
  if (problem) errors.password = problem
  if (Object.keys(errors).length > 0) return { ok: false, errors }

  const taken = await tx
    .select({ username: users.username, email: users.email })
    .from(users)
    .where(or(sql`lower(${users.username}) = lower(${input.username})`, sql`lower(${users.email}) = lower(${input.email})`))
  for (const row of taken) {
    if (row.username.toLowerCase() === input.username.toLowerCase()) errors.username = 'That username is taken.'
    if (row.email.toLowerCase() === input.email.toLowerCase()) errors.email = 'An account with that email already exists.'
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }

  const role = input.role ?? 'member'
  try {
    const [user] = await tx
      .insert(users)
      .values({
        username: input.username,
        email: input.email.trim(),
        passwordHash: await hashPassword(input.password),
        role,
        supportTier: role === 'agent' ? (input.supportTier ?? 1) : null,
        isPremium: input.isPremium ?? false,
        emailVerifiedAt: input.emailVerified ? new Date() : null,
        trustedAt: input.trusted ? new Date() : null,
      })
      .returning({ id: users.id, username: users.username })
    return { ok: true, user }
  } catch (error) {
    // Two sign-ups racing for one name: the unique index decides, the user gets the same message.
    if (isUniqueViolation(error)) return { ok: false, errors: { username: 'That username or email is taken.' } }
    throw error
  }
}

// Verifying against a real hash when the account does not exist keeps the response time the same,
// so timing does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined

export type LoginResult =
  /** `inactive`: the account is deactivated or waiting for its deletion, which the login undoes. */
  | { status: 'ok'; userId: number; inactive?: true }
  | { status: 'invalid' }
  | { status: 'limited'; retryAt: Date }

const latest = (blocked: { retryAt: Date }[]) => blocked.reduce((a, b) => (b.retryAt > a ? b.retryAt : a), blocked[0].retryAt)

export async function verifyLogin({
  identifier,
  password,
  ip,
  now = new Date(),
}: {
  identifier: string
  password: string
  ip: string
  now?: Date
}): Promise<LoginResult> {
  const { ipLimits, accountLimit } = await loginLimits({ ip, identifier })
  // Every attempt counts against the address. Against the account it counts as a failure up front,
  // before the password is checked, and a success gives it back: were failures counted after the
  // check, any number of guesses sent at once would all be checked before the first was counted.
  // One step for both, so an attempt refused by either is counted by neither.
  const blocked = await hitLimits([accountLimit, ...ipLimits], { now })
  if (blocked.length > 0) {
    // A locked account says when it unlocks, whatever the address's limits say.
    const locked = blocked.find((b) => b.limit === accountLimit)
    return { status: 'limited', retryAt: locked ? locked.retryAt : latest(blocked) }
  }

  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, deactivatedAt: users.deactivatedAt, deletionRequestedAt: users.deletionRequestedAt })
    .from(users)
    .where(
      and(
        // An anonymised account has no usable password, and all of them share one name.
        isNull(users.deletedAt),
        or(sql`lower(${users.username}) = lower(${identifier.trim()})`, sql`lower(${users.email}) = lower(${identifier.trim()})`),
      ),
    )
    .limit(1)
  const valid = user
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await (dummyHash ??= hashPassword('not-a-real-password')), password), false)
  if (!user || !valid) return { status: 'invalid' }
  // The try reserved above, and the failures before it: a member who gets in starts afresh.
  await clearHits(accountLimit.key)
  return user.deactivatedAt || user.deletionRequestedAt ? { status: 'ok', userId: user.id, inactive: true } : { status: 'ok', userId: user.id }
}

export async function getProfile({ username }: { username: string }) {
  const [user] = await db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      supportTier: users.supportTier,
      createdAt: users.createdAt,
      displayName: users.displayName,
      bioHtml: users.bioHtml,
      avatarPath: users.avatarPath,
      hideActivity: users.hideActivity,
    })
    .from(users)
    // Deactivated and deleted members have no public profile.
    .where(and(sql`lower(${users.username}) = lower(${username})`, isNull(users.deactivatedAt), isNull(users.deletedAt)))
    .limit(1)
  return user ?? null
}

export const USERS_PAGE_SIZE = 50

export async function listUsers({ afterId = 0, search }: { afterId?: number; search?: string }) {
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      email: users.email,
      role: users.role,
      supportTier: users.supportTier,
      isPremium: users.isPremium,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(
      search
        ? sql`${gt(users.id, afterId)} and ${or(ilike(users.username, `%${search}%`), ilike(users.email, `%${search}%`))}`
        : gt(users.id, afterId),
    )
    .orderBy(asc(users.id))
    .limit(USERS_PAGE_SIZE + 1)
  return { users: rows.slice(0, USERS_PAGE_SIZE), nextAfterId: rows.length > USERS_PAGE_SIZE ? rows[USERS_PAGE_SIZE - 1].id : null }
}

export async function updateUserAccess({
  userId,
  role,
  supportTier,
  isPremium,
}: {
  userId: number
  role: UserRole
  supportTier: number | null
  isPremium: boolean
}) {
  const [user] = await db
    .update(users)
    .set({ role, supportTier: role === 'agent' ? (supportTier ?? 1) : null, isPremium })
    .where(eq(users.id, userId))
    .returning({ id: users.id, username: users.username })
  return user ?? null
}
