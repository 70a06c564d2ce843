/**
 * Single-use tokens mailed to a member (password reset, email verification). The member gets the
 * token; the database keeps only its SHA-256, so a leaked copy of the table resets nobody's password.
 */
import { createHash, randomBytes } from 'node:crypto'
import { and, eq, gt, isNull } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { accountTokens } from '#db/schema/index'

export type AccountTokenPurpose = (typeof accountTokens.purpose.enumValues)[number]

export const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  'password-reset': 60 * 60 * 1000,
  'email-verification': 48 * 60 * 60 * 1000,
}

// 32 random bytes: unguessable, so the hash needs no salt and no slow hashing to be safe.
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * A new token for `email`, returned raw for the mail. The member's earlier unused tokens of the same
 * purpose stop working: only the newest link in their inbox counts.
 */
export async function createAccountToken(
  { userId, purpose, email, now = new Date() }: { userId: number; purpose: AccountTokenPurpose; email: string; now?: Date },
  tx: DbOrTx = db,
): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await revokeAccountTokens({ userId, purpose }, tx)
  await tx.insert(accountTokens).values({
    userId,
    purpose,
    tokenHash: hashToken(token),
    email,
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]),
    createdAt: now,
  })
  return token
}

const usable = (token: string, purpose: AccountTokenPurpose, now: Date) =>
  and(eq(accountTokens.tokenHash, hashToken(token)), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now))

/** The token's member and address if it is unused and unexpired, without using it up (for showing a form). */
export async function findAccountToken(
  { token, purpose, now = new Date() }: { token: string; purpose: AccountTokenPurpose; now?: Date },
  tx: DbOrTx = db,
) {
  const [row] = await tx
    .select({ userId: accountTokens.userId, email: accountTokens.email, expiresAt: accountTokens.expiresAt })
    .from(accountTokens)
    .where(usable(token, purpose, now))
    .limit(1)
  return row ?? null
}

/**
 * Uses the token up and returns its member and address, or null if it is unknown, used or expired.
 * One conditional UPDATE: of two requests racing with the same token, exactly one gets a row.
 */
export async function consumeAccountToken(
  { token, purpose, now = new Date() }: { token: string; purpose: AccountTokenPurpose; now?: Date },
  tx: DbOrTx = db,
) {
  const [row] = await tx
    .update(accountTokens)
    .set({ usedAt: now })
    .where(usable(token, purpose, now))
    .returning({ userId: accountTokens.userId, email: accountTokens.email })
  return row ?? null
}

/** Ends every unused token of a purpose, e.g. reset links mailed to an address the member has left. */
export async function revokeAccountTokens({ userId, purpose }: { userId: number; purpose: AccountTokenPurpose }, tx: DbOrTx = db) {
  await tx.delete(accountTokens).where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)))
}

/** Addresses compare case-insensitively, as the unique index on users.email compares them. */
export const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()
