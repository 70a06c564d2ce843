import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db } from '#db/client.server'
import { questions, ticketEvents, ticketMessages, ticketRatings, tickets, users } from '#db/schema/index'
import { encodeCursor, type NullableCursor } from '~/platform/cursor'
import { ticketAttachmentsSql } from '~/uploads/attachments.server'
import { draftColumn, readDraftColumn, ticketReplyDraftKeySql } from '~/composer/drafts.server'
import { assignees, isStaff, replyOpensFollowUp, requesters, slaBadgeSql, staffRoles, TICKET_PAGE_SIZE, visibleTo, type TicketViewer } from './internals.server'

/**
 * A ticket page in four queries: the ticket, its conversation, its history and (for staff) the
 * agents it can be assigned to. Internal notes and staff-only history are filtered in SQL, so
 * they never reach a requester's page.
 */
export async function getTicket({ number, viewer, now = new Date() }: { number: number; viewer: TicketViewer; now?: Date }) {
  const staff = isStaff(viewer)
  const followUpOf = alias(tickets, 'follow_up_of')
  const [ticket] = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      tier: tickets.tier,
      source: tickets.source,
      premium: tickets.premium,
      needsTriage: tickets.needsTriage,
      requesterId: tickets.requesterId,
      requesterUsername: requesters.username,
      requesterEmail: sql<string>`coalesce(${requesters.email}, ${tickets.requesterEmail})`,
      assigneeId: tickets.assigneeId,
      assigneeUsername: assignees.username,
      questionId: tickets.questionId,
      questionTitle: questions.title,
      followUpOfNumber: followUpOf.number,
      escalationRequestedAt: tickets.escalationRequestedAt,
      escalationRequestReason: tickets.escalationRequestReason,
      managementEscalatedAt: tickets.managementEscalatedAt,
      createdAt: tickets.createdAt,
      slaStartedAt: tickets.slaStartedAt,
      firstResponseAt: tickets.firstResponseAt,
      solvedAt: tickets.solvedAt,
      closedAt: tickets.closedAt,
      firstResponseDueAt: tickets.firstResponseDueAt,
      resolutionDueAt: tickets.resolutionDueAt,
      nextUpdateDueAt: tickets.nextUpdateDueAt,
      nextDueAt: tickets.nextDueAt,
      slaBadge: slaBadgeSql(now),
      ratingScore: ticketRatings.score,
      ratingComment: ticketRatings.comment,
      followUpNumbers: sql<number[]>`coalesce((select array_agg(f.number order by f.number) from tickets f where f.follow_up_of_id = ${tickets.id}), '{}')`,
      // The viewer's unsent reply, for the reply box, at no query of its own.
      viewerDraft: draftColumn(viewer.id, ticketReplyDraftKeySql(tickets.number)),
    })
    .from(tickets)
    .leftJoin(requesters, eq(requesters.id, tickets.requesterId))
    .leftJoin(assignees, eq(assignees.id, tickets.assigneeId))
    .leftJoin(questions, eq(questions.id, tickets.questionId))
    .leftJoin(followUpOf, eq(followUpOf.id, tickets.followUpOfId))
    .leftJoin(ticketRatings, eq(ticketRatings.ticketId, tickets.id))
    .where(and(eq(tickets.number, number), visibleTo(viewer)))
  if (!ticket) return null

  const authors = alias(users, 'authors')
  const actors = alias(users, 'actors')
  const [messages, events, agents] = await Promise.all([
    db
      .select({
        id: ticketMessages.id,
        authorUsername: authors.username,
        authorRole: authors.role,
        authorEmail: ticketMessages.authorEmail,
        internal: ticketMessages.internal,
        byStaff: ticketMessages.byStaff,
        bodyHtml: ticketMessages.bodyHtml,
        createdAt: ticketMessages.createdAt,
        attachments: ticketAttachmentsSql(ticketMessages.id),
      })
      .from(ticketMessages)
      .leftJoin(authors, eq(authors.id, ticketMessages.authorId))
      .where(and(eq(ticketMessages.ticketId, ticket.id), staff ? undefined : eq(ticketMessages.internal, false)))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id)),
    db
      .select({
        id: ticketEvents.id,
        kind: ticketEvents.kind,
        actorUsername: actors.username,
        fromValue: ticketEvents.fromValue,
        toValue: ticketEvents.toValue,
        // Escalation reasons and SLA alerts are the team's business; the requester sees what happened, not why.
        reason: staff ? ticketEvents.reason : sql<string | null>`case when ${ticketEvents.kind} = 'escalation-requested' then ${ticketEvents.reason} else null end`,
        createdAt: ticketEvents.createdAt,
      })
      .from(ticketEvents)
      .leftJoin(actors, eq(actors.id, ticketEvents.actorId))
      .where(
        and(
          eq(ticketEvents.ticketId, ticket.id),
          staff ? undefined : inArray(ticketEvents.kind, ['created', 'status', 'priority', 'escalation-requested', 'rated', 'follow-up']),
        ),
      )
      .orderBy(asc(ticketEvents.createdAt), asc(ticketEvents.id)),
    staff
      ? db
          .select({ id: users.id, username: users.username, supportTier: users.supportTier })
          .from(users)
          .where(staffRoles())
          .orderBy(asc(users.username))
          .limit(200)
      : Promise.resolve([] as { id: number; username: string; supportTier: number | null }[]),
  ])
  // The team's working data (who has it, tier, SLA clocks, triage) stays with the team: a
  // requester's page data carries only what their page shows.
  const { viewerDraft: _viewerDraft, ...shown } = ticket
  const visibleTicket = staff
    ? shown
    : {
        ...shown,
        tier: null,
        assigneeId: null,
        assigneeUsername: null,
        needsTriage: false,
        managementEscalatedAt: null,
        slaBadge: null,
        firstResponseDueAt: null,
        resolutionDueAt: null,
        nextUpdateDueAt: null,
        nextDueAt: null,
      }
  return { ticket: { ...visibleTicket, replyOpensFollowUp: replyOpensFollowUp(ticket, now) }, messages, events, agents, replyDraft: readDraftColumn(ticket.viewerDraft) }
}

/** A requester's own tickets, most recently updated first, keyset-paginated. */
export async function listRequesterTickets({ requesterId, after }: { requesterId: number; after?: NullableCursor | null }) {
  const rows = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      updatedAt: tickets.updatedAt,
      createdAt: tickets.createdAt,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.requesterId, requesterId),
        after?.at ? sql`(${tickets.updatedAt}, ${tickets.id}) < (${after.at.toISOString()}::timestamptz, ${after.id})` : undefined,
      ),
    )
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(TICKET_PAGE_SIZE + 1)
  const page = rows.slice(0, TICKET_PAGE_SIZE)
  return { tickets: page, nextCursor: rows.length > TICKET_PAGE_SIZE ? encodeCursor({ at: page.at(-1)!.updatedAt, id: page.at(-1)!.id }) : null }
}
