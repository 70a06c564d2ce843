/**
 * People who write in without an account. The old promise was "your ticket number and your
 * password"; the modern one is two links in every mail we send them:
 * - a ticket link: opens that one ticket (read and reply, nothing else) for TICKET_LINK_DAYS;
 * - a claim link: works once, for CLAIM_LINK_DAYS, and turns the address into an account that
 *   owns every ticket written from it.
 * Tokens are 32 random bytes; only their SHA-256 is stored (as app/accounts/tokens.server.ts does),
 * so a copy of the database opens nothing.
 */
import { createHash, randomBytes } from 'node:crypto'
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { db, type DbOrTx, type Tx } from '#db/client.server'
import { ticketAccessTokens, ticketMessages, tickets, users } from '#db/schema/index'
import { env } from '~/platform/env.server'

export const TICKET_LINK_DAYS = 30
export const CLAIM_LINK_DAYS = 7
const DAY_MS = 86_400_000

type Purpose = 'ticket-link' | 'claim-account'

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')
const normalise = (email: string) => email.trim().toLowerCase()

export const ticketLinkUrl = (number: number, token: string) => `${env.publicUrl}/tickets/${number}/view?token=${token}`
export const claimAccountUrl = (token: string) => `${env.publicUrl}/claim-account/${token}`

async function createToken(tx: DbOrTx, { purpose, email, ticketId, days, now }: { purpose: Purpose; email: string; ticketId: number | null; days: number; now: Date }) {
  const token = randomBytes(32).toString('base64url')
  await tx.insert(ticketAccessTokens).values({ purpose, email: normalise(email), ticketId, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + days * DAY_MS), createdAt: now })
  return token
}

/**
 * The links for one mail to an account-less requester. The claim link is left out once an account
 * with that address exists (they log in instead); a new claim link retires the unused older ones,
 * so only the newest in the inbox works.
 */
export async function requesterLinks(tx: DbOrTx, { ticketId, number, email, now = new Date() }: { ticketId: number; number: number; email: string; now?: Date }) {
  const ticketToken = await createToken(tx, { purpose: 'ticket-link', email, ticketId, days: TICKET_LINK_DAYS, now })
  const [account] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${normalise(email)}`).limit(1)
  let claimUrl: string | null = null
  if (!account) {
    await tx
      .delete(ticketAccessTokens)
      .where(and(eq(ticketAccessTokens.email, normalise(email)), eq(ticketAccessTokens.purpose, 'claim-account'), isNull(ticketAccessTokens.usedAt)))
    claimUrl = claimAccountUrl(await createToken(tx, { purpose: 'claim-account', email, ticketId: null, days: CLAIM_LINK_DAYS, now }))
  }
  return { ticketUrl: ticketLinkUrl(number, ticketToken), claimUrl }
}

const usable = (token: string, purpose: Purpose, now: Date) =>
  and(eq(ticketAccessTokens.tokenHash, hashToken(token)), eq(ticketAccessTokens.purpose, purpose), isNull(ticketAccessTokens.usedAt), gt(ticketAccessTokens.expiresAt, now))

/**
 * Who a ticket link lets in: the ticket's requester address, when the token is a live link for
 * exactly this ticket and the ticket still has no account as its requester. Null otherwise: an
 * unknown, expired or other ticket's link are all the same "no".
 */
export async function ticketLinkHolder({ number, token, now = new Date() }: { number: number; token: string; now?: Date }, tx: DbOrTx = db) {
  if (!token) return null
  const [row] = await tx
    .select({ ticketId: tickets.id, email: tickets.requesterEmail })
    .from(ticketAccessTokens)
    .innerJoin(tickets, eq(tickets.id, ticketAccessTokens.ticketId))
    .where(and(usable(token, 'ticket-link', now), eq(tickets.number, number), isNull(tickets.requesterId)))
    .limit(1)
  return row ? { ticketId: row.ticketId, email: row.email } : null
}

/** A claim link's address and how many tickets it would bring, without using it up (for showing the form). */
export async function findClaimLink({ token, now = new Date() }: { token: string; now?: Date }) {
  if (!token) return null
  // Qualified by hand: inside the subqueries a bare "email" would be the users' column.
  const linkEmail = sql.raw('"ticket_access_tokens"."email"')
  const [row] = await db
    .select({
      email: ticketAccessTokens.email,
      accountExists: sql<boolean>`exists (select 1 from ${users} u where lower(u.email) = ${linkEmail})`,
      ticketCount: sql<number>`(select count(*)::int from ${tickets} t where t.requester_id is null and lower(t.requester_email) = ${linkEmail})`,
    })
    .from(ticketAccessTokens)
    .where(usable(token, 'claim-account', now))
    .limit(1)
  return row ?? null
}

export type ClaimResult<E> = { ok: true; userId: number } | { ok: false; reason: 'expired' } | { ok: false; reason: 'invalid'; errors: E }

/**
 * Uses the claim link: `createAccount` (the accounts domain's, passed in by the route) makes the
 * account for the link's address in this transaction, then every account-less ticket from that
 * address (and its messages) becomes the new member's. All or nothing: a refused username leaves
 * the link unused; two racing submissions queue on the link's row lock and only the first uses it.
 */
export async function claimAccount<E>({
  token,
  createAccount,
  now = new Date(),
}: {
  token: string
  createAccount: (tx: Tx, email: string) => Promise<{ ok: true; userId: number } | { ok: false; errors: E }>
  now?: Date
}): Promise<ClaimResult<E>> {
  if (!token) return { ok: false, reason: 'expired' }
  return db.transaction(async (tx) => {
    const [link] = await tx
      .select({ id: ticketAccessTokens.id, email: ticketAccessTokens.email })
      .from(ticketAccessTokens)
      .where(usable(token, 'claim-account', now))
      .for('update')
    if (!link) return { ok: false, reason: 'expired' } as const
    const created = await createAccount(tx, link.email)
    if (!created.ok) return { ok: false, reason: 'invalid', errors: created.errors } as const
    await tx.update(ticketAccessTokens).set({ usedAt: now }).where(eq(ticketAccessTokens.id, link.id))
    const claimed = await tx
      .update(tickets)
      .set({ requesterId: created.userId })
      .where(and(isNull(tickets.requesterId), sql`lower(${tickets.requesterEmail}) = ${link.email}`))
      .returning({ id: tickets.id })
    for (const { id } of claimed) {
      await tx
        .update(ticketMessages)
        .set({ authorId: created.userId, authorEmail: null })
        .where(and(eq(ticketMessages.ticketId, id), isNull(ticketMessages.authorId), sql`lower(${ticketMessages.authorEmail}) = ${link.email}`))
    }
    // Ticket links for the claimed tickets are no longer needed: the member logs in.
    await tx.delete(ticketAccessTokens).where(and(eq(ticketAccessTokens.email, link.email), isNull(ticketAccessTokens.usedAt)))
    return { ok: true, userId: created.userId } as const
  })
}
