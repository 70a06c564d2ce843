/**
 * Helpers shared by the ticket modules and by nothing else: who counts as staff, the SQL for
 * visibility and the SLA badge, locking a ticket, recording its history and telling its people.
 * Other domains and routes use the modules that hold the flows, never this file.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { DbOrTx, Tx } from '#db/client.server'
import { ticketEvents, tickets, users } from '#db/schema/index'
import type { UserRole } from '#db/schema/users'
import type { TicketPriority, TicketStatus } from '~/tickets/sla/engine'
import type { SlaBadge, TicketSource } from '~/tickets/constants'
import { statusChangedMail, withRequesterLinks } from '~/tickets/mail-texts.server'
import { requesterLinks } from './requester-access.server'
import { env } from '~/platform/env.server'
import { notify } from '~/notifications/notify.server'
import { queueMail } from '~/platform/mail.server'
import { publish } from '~/platform/realtime/publish.server'
import { can, rolesWith } from '~/platform/auth/permissions'

export type TicketViewer = { id: number; role: UserRole; username?: string }

export const TICKET_PAGE_SIZE = 30

export const isStaff = (viewer: TicketViewer | null | undefined) => can(viewer, 'work:ticket:any')
/** In SQL, over many users at once: the roles that work tickets. */
export const staffRoles = () => inArray(users.role, rolesWith('work:ticket:any'))
export const ticketUrl = (number: number) => `${env.publicUrl}/tickets/${number}`
export const ratingUrl = (number: number, token: string) => `${env.publicUrl}/tickets/${number}/rate?token=${token}`

/** Where mail to the requester goes: their account's address, or the address an account-less ticket came from. */
export const requesterEmailSql = sql<string>`coalesce((select u.email from users u where u.id = ${tickets.requesterId}), ${tickets.requesterEmail})`

/**
 * The badge an agent sees: the state of the most urgent target still running, or, once the
 * ticket is solved, whether every target was met. Computed from stored due times against `now`,
 * so the queue filters and sorts in SQL without running the engine per row.
 */
export const slaBadgeSql = (now: Date) => sql<SlaBadge>`case
  when ${tickets.status} in ('solved', 'closed') then
    case when ${tickets.firstResponseBreached} or ${tickets.resolutionBreached} or ${tickets.updateBreached} then 'breached' else 'met' end
  when ${tickets.nextDueAt} <= ${now.toISOString()}::timestamptz then 'breached'
  when ${tickets.status} = 'pending' then 'paused'
  when ${tickets.atRiskAt} <= ${now.toISOString()}::timestamptz then 'at-risk'
  else 'on-track' end`

/** How many tickets show each alarming badge, as the queue would show them. */
export const slaBadgeCounts = (now: Date) => ({
  atRisk: sql<number>`count(*) filter (where ${slaBadgeSql(now)} = 'at-risk')::int`,
  breached: sql<number>`count(*) filter (where ${slaBadgeSql(now)} = 'breached')::int`,
})

/** Visibility in SQL: staff see every ticket, anyone else only their own. */
export const visibleTo = (viewer: TicketViewer) => (isStaff(viewer) ? undefined : eq(tickets.requesterId, viewer.id))

export const assignees = alias(users, 'assignees')
export const requesters = alias(users, 'requesters')

export type RequesterRef = { id: number; number: number; requesterId: number | null; requesterEmail: string }

/**
 * Tells a ticket's requester: a member through the notifications module (the bell, and mail as
 * their preference for ticket updates says), someone who wrote in without an account by mail
 * alone, with a link that opens the ticket and one that claims an account (requester-access).
 * Either way the mail threads with the ticket, so a reply to it lands on the ticket.
 */
export async function tellRequester(tx: DbOrTx, ticket: RequesterRef, text: string, mail: { subject: string; text: string; automatic?: boolean }, inReplyTo?: string | null) {
  if (ticket.requesterId) {
    await notify(tx, { kind: 'ticket-update', userIds: [ticket.requesterId], text, link: `/tickets/${ticket.number}`, target: { ticketId: ticket.id }, mail: { ...mail, ticketId: ticket.id, inReplyTo } })
  } else {
    const links = await requesterLinks(tx, { ticketId: ticket.id, number: ticket.number, email: ticket.requesterEmail })
    await queueMail(tx, { to: ticket.requesterEmail, ticketId: ticket.id, inReplyTo, subject: mail.subject, text: withRequesterLinks(mail.text, links), automatic: mail.automatic })
  }
}

/** Tells support staff about a ticket (assignment, SLA alerts), in the app and by mail as they prefer. */
export async function tellStaff(tx: DbOrTx, ticket: { id: number; number: number }, userIds: number[], text: string, mail: { subject: string; text: string }) {
  await notify(tx, { kind: 'ticket-update', userIds, text, link: `/tickets/${ticket.number}`, target: { ticketId: ticket.id }, mail: { ...mail, ticketId: ticket.id } })
}

export type LockedTicket = {
  id: number
  number: number
  subject: string
  status: TicketStatus
  priority: TicketPriority
  tier: number
  assigneeId: number | null
  requesterId: number | null
  requesterEmail: string
  ratingToken: string
  source: TicketSource
  premium: boolean
  closedAt: Date | null
  managementEscalatedAt: Date | null
}

/**
 * "If a ticket is closed or on hold, if you reply … you will reopen it": a requester's reply
 * reopens a closed ticket until TICKET_REOPEN_DAYS after it was closed, and only then opens a
 * follow-up. The one place that rule lives; the ticket page asks it too.
 */
export function replyOpensFollowUp(ticket: { status: TicketStatus; closedAt: Date | string | null }, now: Date) {
  if (ticket.status !== 'closed') return false
  if (!ticket.closedAt) return true
  return now.getTime() - new Date(ticket.closedAt).getTime() >= env.ticketReopenDays * 86_400_000
}

/** Locks the ticket for the rest of the transaction, if the viewer may see it. */
export async function lockTicket(tx: Tx, number: number, viewer: TicketViewer | null) {
  const [ticket] = await tx
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      tier: tickets.tier,
      assigneeId: tickets.assigneeId,
      requesterId: tickets.requesterId,
      requesterEmail: requesterEmailSql,
      ratingToken: tickets.ratingToken,
      source: tickets.source,
      premium: tickets.premium,
      closedAt: tickets.closedAt,
      managementEscalatedAt: tickets.managementEscalatedAt,
    })
    .from(tickets)
    .where(and(eq(tickets.number, number), viewer ? visibleTo(viewer) : undefined))
    .for('update')
  return (ticket as LockedTicket | undefined) ?? null
}

export async function recordEvent(
  tx: DbOrTx,
  ticket: { id: number },
  event: { actorId: number | null; kind: (typeof ticketEvents.$inferInsert)['kind']; fromValue?: string | null; toValue?: string | null; reason?: string | null; at: Date },
) {
  await tx.insert(ticketEvents).values({
    ticketId: ticket.id,
    actorId: event.actorId,
    kind: event.kind,
    fromValue: event.fromValue ?? null,
    toValue: event.toValue ?? null,
    reason: event.reason ?? null,
    createdAt: event.at,
  })
  await ticketQueueChanged(tx)
}

/** Agents' open queue pages offer a refresh; every change of a ticket's state is recorded above, so it passes here. */
export const ticketQueueChanged = (tx: DbOrTx) => publish(tx, { topic: 'queue:tickets', payload: {} })

/** Changes the status, records it, and keeps solved/closed timestamps in step. No mail. */
export async function setStatus(tx: DbOrTx, ticket: LockedTicket, status: TicketStatus, actorId: number | null, at: Date) {
  if (ticket.status === status) return false
  await tx
    .update(tickets)
    .set({
      status,
      updatedAt: at,
      ...(status === 'solved' ? { solvedAt: at } : {}),
      ...(status === 'open' || status === 'pending' ? { solvedAt: null } : {}),
      // closedAt is the start of the current closure: the reopen window counts from it.
      ...(status === 'closed' ? { closedAt: at } : { closedAt: null }),
    })
    .where(eq(tickets.id, ticket.id))
  await recordEvent(tx, ticket, { actorId, kind: 'status', fromValue: ticket.status, toValue: status, at })
  ticket.status = status
  ticket.closedAt = status === 'closed' ? at : null
  return true
}

export async function mailStatusChange(tx: DbOrTx, ticket: LockedTicket, status: TicketStatus) {
  const mail = statusChangedMail(ticket, status, ticketUrl(ticket.number), status === 'solved' ? ratingUrl(ticket.number, ticket.ratingToken) : null)
  await tellRequester(tx, ticket, `Your request #${ticket.number} is now ${status}`, mail)
}
