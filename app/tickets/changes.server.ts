import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { rolesWith } from '~/platform/auth/permissions'
import { db, type Tx } from '#db/client.server'
import { ticketMessages, tickets, users } from '#db/schema/index'
import type { TicketPriority, TicketStatus } from '~/tickets/sla/engine'
import { agentReplyMail, assignedMail, escalatedMail } from '~/tickets/mail-texts.server'
import { notify } from '~/notifications/notify.server'
import { renderMarkdown } from '~/platform/markdown.server'
import { attachUploadsToTicketMessage } from '~/uploads/attachments.server'
import {
  isStaff,
  lockTicket,
  mailStatusChange,
  recordEvent,
  replyOpensFollowUp,
  setStatus,
  staffRoles,
  tellRequester,
  tellStaff,
  ticketQueueChanged,
  ticketUrl,
  type LockedTicket,
  type TicketViewer,
} from './internals.server'
import { openTicket } from './open.server'
import { recomputeSla } from './sla-clock.server'

export type ReplyResult =
  | { ok: true; number: number; followUp: boolean }
  | { ok: false; reason: 'not-found' | 'forbidden' | 'invalid' }

/**
 * A message on a ticket. Staff may write internal notes (never mailed or shown to the requester)
 * or public replies, which count as a response for the SLA clock and may set the status. A
 * requester's reply reopens a pending, solved or closed ticket; only once a closed ticket has been
 * closed for TICKET_REOPEN_DAYS does it open a follow-up instead (replyOpensFollowUp).
 * Staff cannot write on a closed ticket, as they cannot change its status.
 */
export async function addTicketMessage({
  number,
  author,
  bodySource,
  internal = false,
  statusAfter = null,
  emailMessageId = null,
  via = 'web',
  attachmentIds = [],
}: {
  number: number
  author: TicketViewer | { email: string }
  bodySource: string
  internal?: boolean
  statusAfter?: 'open' | 'pending' | 'solved' | null
  emailMessageId?: string | null
  via?: 'web' | 'email'
  /** The author's private uploads sent with the message (its body's links are attached too). */
  attachmentIds?: number[]
}): Promise<ReplyResult> {
  return db.transaction(async (tx) => {
    const viewer = 'id' in author ? author : null
    const staff = isStaff(viewer)
    const ticket = await lockTicket(tx, number, viewer)
    if (!ticket) return { ok: false, reason: 'not-found' } as const
    if (!staff && (internal || statusAfter)) return { ok: false, reason: 'forbidden' } as const
    // Staff cannot reopen a closed ticket (as in changeTicketStatus): only the customer's reply does.
    if (staff && ticket.status === 'closed') return { ok: false, reason: 'invalid' } as const
    const now = new Date()
    const authorId = viewer?.id ?? null

    if (!staff && replyOpensFollowUp(ticket, now)) {
      const followUp = await openTicket(tx, {
        subject: ticket.subject.startsWith('Follow-up: ') ? ticket.subject : `Follow-up: ${ticket.subject}`,
        priority: ticket.priority,
        source: via,
        requester: ticket.requesterId ? { id: ticket.requesterId } : { email: ticket.requesterEmail },
        bodySource,
        actorId: authorId,
        followUpOf: ticket,
        emailMessageId,
        attachmentIds,
      })
      await recordEvent(tx, ticket, { actorId: authorId, kind: 'follow-up', toValue: String(followUp.number), at: now })
      return { ok: true, number: followUp.number, followUp: true } as const
    }

    const [message] = await tx
      .insert(ticketMessages)
      .values({
        ticketId: ticket.id,
        authorId,
        authorEmail: viewer ? null : (author as { email: string }).email,
        internal,
        byStaff: staff,
        bodySource,
        bodyHtml: renderMarkdown(bodySource),
        emailMessageId,
        createdAt: now,
      })
      .returning({ id: ticketMessages.id })
    if (authorId) await attachUploadsToTicketMessage(tx, { ticketMessageId: message.id, ownerId: authorId, uploadIds: attachmentIds, bodySource })
    await tx
      .update(tickets)
      .set({
        updatedAt: now,
        ...(staff && !internal ? { firstResponseAt: sql`coalesce(${tickets.firstResponseAt}, ${now.toISOString()}::timestamptz)` } : {}),
      })
      .where(eq(tickets.id, ticket.id))
    // The agents' queue orders by last activity.
    await ticketQueueChanged(tx)

    if (!staff) {
      // The status history records the reopening, so the SLA replay below resumes the clocks from here.
      if (ticket.status !== 'open') await setStatus(tx, ticket, 'open', authorId, now)
    } else {
      const changed = statusAfter ? await setStatus(tx, ticket, statusAfter, authorId, now) : false
      if (!internal) {
        await tellRequester(
          tx,
          ticket,
          `${viewer!.username ?? 'Support'} replied to your request #${ticket.number}`,
          agentReplyMail(ticket, { authorName: viewer!.username ?? 'Support', bodySource, status: changed ? ticket.status : null }, ticketUrl(ticket.number)),
        )
        // The survey goes out with the solve, whichever way the ticket was solved.
        if (changed && ticket.status === 'solved') await mailStatusChange(tx, ticket, 'solved')
      }
    }
    await recomputeSla(tx, ticket.id, now)
    return { ok: true, number: ticket.number, followUp: false } as const
  })
}

type StaffChange = { number: number; staff: TicketViewer }
export type ChangeResult = { ok: true } | { ok: false; reason: 'not-found' | 'forbidden' | 'invalid' }

async function staffChange(change: StaffChange, run: (tx: Tx, ticket: LockedTicket, now: Date) => Promise<ChangeResult>): Promise<ChangeResult> {
  if (!isStaff(change.staff)) return { ok: false, reason: 'forbidden' }
  return db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, change.number, change.staff)
    if (!ticket) return { ok: false, reason: 'not-found' } as const
    const now = new Date()
    const result = await run(tx, ticket, now)
    if (result.ok) {
      await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticket.id))
      await recomputeSla(tx, ticket.id, now)
    }
    return result
  })
}

export async function changeTicketStatus({ status, ...change }: StaffChange & { status: TicketStatus }) {
  return staffChange(change, async (tx, ticket, now) => {
    // A closed ticket stays closed: the customer's next message opens a follow-up instead.
    if (ticket.status === 'closed') return { ok: false, reason: 'invalid' }
    if (await setStatus(tx, ticket, status, change.staff.id, now)) await mailStatusChange(tx, ticket, status)
    return { ok: true }
  })
}

export async function changeTicketPriority({ priority, ...change }: StaffChange & { priority: TicketPriority }) {
  return staffChange(change, async (tx, ticket, now) => {
    if (ticket.priority === priority) return { ok: true }
    await tx.update(tickets).set({ priority }).where(eq(tickets.id, ticket.id))
    await recordEvent(tx, ticket, { actorId: change.staff.id, kind: 'priority', fromValue: ticket.priority, toValue: priority, at: now })
    return { ok: true }
  })
}

/**
 * One step up the escalation ladder of the support policy: tier 1 → 2 → 3, then "as a last
 * resort" support management. Whoever takes the ticket over hears at once: the new tier's agents,
 * or the admins (support management) with their own kind of notification. Null when there is no
 * step left or the ticket is closed.
 */
export async function escalateOneStep(tx: Tx, ticket: LockedTicket, { actorId, reason, now }: { actorId: number | null; reason: string; now: Date }) {
  if (ticket.status === 'closed') return null
  const url = ticketUrl(ticket.number)
  if (ticket.tier < 3) {
    const tier = ticket.tier + 1
    await tx.update(tickets).set({ tier, escalationRequestedAt: null, escalationRequestReason: null, updatedAt: now }).where(eq(tickets.id, ticket.id))
    await recordEvent(tx, ticket, { actorId, kind: 'tier', fromValue: String(ticket.tier), toValue: String(tier), reason, at: now })
    ticket.tier = tier
    await tellTier(tx, ticket, { tier, reason, actorId })
    return { tier } as const
  }
  if (ticket.managementEscalatedAt) return null
  await tx.update(tickets).set({ managementEscalatedAt: now, escalationRequestedAt: null, escalationRequestReason: null, updatedAt: now }).where(eq(tickets.id, ticket.id))
  await recordEvent(tx, ticket, { actorId, kind: 'management', reason, at: now })
  ticket.managementEscalatedAt = now
  const managers = await tx.select({ id: users.id }).from(users).where(and(inArray(users.role, rolesWith('manage:escalation:any')), isNull(users.deletedAt)))
  await notify(tx, {
    kind: 'ticket-management',
    userIds: managers.map((a) => a.id),
    actorId,
    text: `Ticket #${ticket.number} was escalated to support management`,
    link: '/admin/escalations',
    target: { ticketId: ticket.id },
    mail: { ...escalatedMail(ticket, { tier: 'management', reason }, url), ticketId: ticket.id },
  })
  return { tier: 'management' } as const
}

/** Tells a tier's agents at once (notification, and mail as they prefer) that a ticket came to them. */
export async function tellTier(tx: Tx, ticket: { id: number; number: number; subject: string; priority: TicketPriority }, { tier, reason, actorId = null }: { tier: number; reason: string; actorId?: number | null }) {
  const agents = await tx.select({ id: users.id }).from(users).where(and(staffRoles(), eq(users.supportTier, tier), isNull(users.deletedAt)))
  await tellStaff(
    tx,
    ticket,
    agents.map((a) => a.id).filter((id) => id !== actorId),
    `Ticket #${ticket.number} was escalated to tier ${tier}`,
    escalatedMail(ticket, { tier, reason }, ticketUrl(ticket.number)),
  )
}

/** Mail to the escalation address about an existing ticket: one step up, by its requester. */
export async function escalateByMail({ number, requesterId, reason }: { number: number; requesterId: number | null; reason: string }) {
  return db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, number, null)
    if (!ticket) return null
    const now = new Date()
    const step = await escalateOneStep(tx, ticket, { actorId: requesterId, reason, now })
    if (step) await recomputeSla(tx, ticket.id, now)
    return step
  })
}

/** Moves the ticket up one step (tier, then management); the reason is required and kept in the history. */
export async function escalateTicket({ reason, ...change }: StaffChange & { reason: string }) {
  return staffChange(change, async (tx, ticket, now) => {
    const step = await escalateOneStep(tx, ticket, { actorId: change.staff.id, reason, now })
    return step ? { ok: true } : { ok: false, reason: 'invalid' }
  })
}

export async function assignTicket({ assigneeId, ...change }: StaffChange & { assigneeId: number | null }) {
  return staffChange(change, async (tx, ticket, now) => {
    if (ticket.assigneeId === assigneeId) return { ok: true }
    let assignee: { id: number; username: string; email: string } | undefined
    if (assigneeId !== null) {
      ;[assignee] = await tx
        .select({ id: users.id, username: users.username, email: users.email })
        .from(users)
        .where(and(eq(users.id, assigneeId), staffRoles()))
      if (!assignee) return { ok: false, reason: 'invalid' }
    }
    const [previous] = ticket.assigneeId
      ? await tx.select({ username: users.username }).from(users).where(eq(users.id, ticket.assigneeId))
      : []
    await tx.update(tickets).set({ assigneeId }).where(eq(tickets.id, ticket.id))
    await recordEvent(tx, ticket, { actorId: change.staff.id, kind: 'assignee', fromValue: previous?.username ?? null, toValue: assignee?.username ?? null, at: now })
    if (assignee && assignee.id !== change.staff.id) {
      await tellStaff(tx, ticket, [assignee.id], `${change.staff.username ?? 'A colleague'} assigned ticket #${ticket.number} to you`, assignedMail(ticket, change.staff.username ?? 'A colleague', ticketUrl(ticket.number)))
    }
    return { ok: true }
  })
}

/** The requester asks for a higher tier; agents see it as a flag on the ticket and in the queue. */
export async function requestEscalation({ number, requester, reason }: { number: number; requester: TicketViewer; reason: string }): Promise<ChangeResult> {
  return db.transaction(async (tx) => {
    const [ticket] = await tx
      .select({ id: tickets.id, status: tickets.status, requested: tickets.escalationRequestedAt })
      .from(tickets)
      .where(and(eq(tickets.number, number), eq(tickets.requesterId, requester.id)))
      .for('update')
    if (!ticket) return { ok: false, reason: 'not-found' } as const
    if (ticket.requested || ticket.status === 'closed') return { ok: false, reason: 'invalid' } as const
    const now = new Date()
    await tx.update(tickets).set({ escalationRequestedAt: now, escalationRequestReason: reason, updatedAt: now }).where(eq(tickets.id, ticket.id))
    await recordEvent(tx, ticket, { actorId: requester.id, kind: 'escalation-requested', reason, at: now })
    return { ok: true } as const
  })
}
