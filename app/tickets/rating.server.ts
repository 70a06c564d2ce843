import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { ticketRatings, tickets } from '#db/schema/index'
import { secretsMatch } from '~/platform/crypto.server'
import { recordEvent } from './internals.server'

export type RatingResult = { ok: true } | { ok: false; reason: 'not-found' | 'not-solved' | 'already-rated' }

/**
 * One rating per ticket, while it is solved and not yet closed: by the signed-in requester, or
 * by whoever holds the survey link's token.
 */
export async function rateTicket({
  number,
  by,
  score,
  comment,
}: {
  number: number
  by: { requesterId: number } | { token: string }
  score: number
  comment: string
}): Promise<RatingResult> {
  return db.transaction(async (tx) => {
    const [ticket] = await tx
      .select({ id: tickets.id, status: tickets.status, requesterId: tickets.requesterId, ratingToken: tickets.ratingToken })
      .from(tickets)
      .where(eq(tickets.number, number))
      .for('update')
    const allowed = ticket && ('token' in by ? secretsMatch(by.token, ticket.ratingToken) : ticket.requesterId === by.requesterId)
    if (!ticket || !allowed) return { ok: false, reason: 'not-found' } as const
    if (ticket.status !== 'solved') return { ok: false, reason: 'not-solved' } as const
    const inserted = await tx
      .insert(ticketRatings)
      .values({ ticketId: ticket.id, score, comment: comment.trim() })
      .onConflictDoNothing()
      .returning({ ticketId: ticketRatings.ticketId })
    if (inserted.length === 0) return { ok: false, reason: 'already-rated' } as const
    await recordEvent(tx, ticket, { actorId: ticket.requesterId, kind: 'rated', toValue: String(score), at: new Date() })
    return { ok: true } as const
  })
}

/** What the mailed survey link shows before the requester rates: nothing beyond the subject. */
export async function getTicketForRating({ number, token }: { number: number; token: string }) {
  const [ticket] = await db
    .select({ number: tickets.number, subject: tickets.subject, status: tickets.status, ratingToken: tickets.ratingToken, score: ticketRatings.score })
    .from(tickets)
    .leftJoin(ticketRatings, eq(ticketRatings.ticketId, tickets.id))
    .where(eq(tickets.number, number))
  if (!ticket || !secretsMatch(token, ticket.ratingToken)) return null
  return { number: ticket.number, subject: ticket.subject, status: ticket.status, rated: ticket.score !== null }
}
