/**
 * The ticket page for someone without an account, opened by the link in our mail: what the
 * requester's own page shows (subject, status, public messages) and a reply box, for that one
 * ticket only. The link (requester-access.server.ts) is the only credential.
 */
import { and, asc, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { ticketMessages, tickets, users } from '#db/schema/index'
import { addTicketMessage } from './changes.server'
import { replyOpensFollowUp } from './internals.server'
import { ticketLinkHolder } from './requester-access.server'

export async function getTicketByLink({ number, token, now = new Date() }: { number: number; token: string; now?: Date }) {
  const holder = await ticketLinkHolder({ number, token, now })
  if (!holder) return null
  const [[ticket], messages] = await Promise.all([
    db
      .select({ number: tickets.number, subject: tickets.subject, status: tickets.status, priority: tickets.priority, createdAt: tickets.createdAt, closedAt: tickets.closedAt })
      .from(tickets)
      .where(eq(tickets.id, holder.ticketId)),
    db
      .select({
        id: ticketMessages.id,
        authorUsername: users.username,
        authorEmail: ticketMessages.authorEmail,
        internal: ticketMessages.internal,
        byStaff: ticketMessages.byStaff,
        bodyHtml: ticketMessages.bodyHtml,
        createdAt: ticketMessages.createdAt,
      })
      .from(ticketMessages)
      .leftJoin(users, eq(users.id, ticketMessages.authorId))
      // Internal notes never leave the team.
      .where(and(eq(ticketMessages.ticketId, holder.ticketId), eq(ticketMessages.internal, false)))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id)),
  ])
  const { closedAt, ...shown } = ticket
  // Private attachments are served to signed-in members who may see the ticket; a link holder has no
  // account, so the link page lists none rather than links that would answer 404.
  const withoutAttachments = messages.map((message) => ({ ...message, attachments: [] as { url: string; kind: 'image' | 'file'; fileName: string; byteSize: number }[] }))
  return { ticket: { ...shown, replyOpensFollowUp: replyOpensFollowUp({ status: ticket.status, closedAt }, now) }, messages: withoutAttachments }
}

/** A reply through the link: exactly the requester's reply by mail (reopens, or opens a follow-up). */
export async function replyByLink({ number, token, bodySource }: { number: number; token: string; bodySource: string }) {
  const holder = await ticketLinkHolder({ number, token })
  if (!holder) return { ok: false, reason: 'not-found' } as const
  return addTicketMessage({ number, author: { email: holder.email }, bodySource, via: 'web' })
}
