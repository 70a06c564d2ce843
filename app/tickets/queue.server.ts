import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import { db } from '#db/client.server'
import { tickets } from '#db/schema/index'
import type { TicketPriority, TicketStatus } from '~/tickets/sla/engine'
import type { SlaBadge } from '~/tickets/constants'
import { encodeCursor, type NullableCursor } from '~/platform/cursor'
import { openCallBackDueSql } from './call-backs.server'
import { assignees, requesters, slaBadgeCounts, slaBadgeSql, TICKET_PAGE_SIZE, type TicketViewer } from './internals.server'

export type QueueFilters = {
  tier?: 1 | 2 | 3 | null
  priority?: TicketPriority | null
  status?: 'active' | TicketStatus | 'all'
  assignee?: 'me' | 'unassigned' | number | null
  sla?: SlaBadge | null
}

const queueDueSql = sql`coalesce(${tickets.nextDueAt}, 'infinity'::timestamptz)`

/**
 * The agents' work queue: nearest due time first (tickets with nothing running last), every
 * filter in SQL, keyset-paginated on the same expression the index is built on. One query.
 */
export async function listTicketQueue({ viewer, filters, after, now = new Date() }: { viewer: TicketViewer; filters: QueueFilters; after?: NullableCursor | null; now?: Date }) {
  const conditions: (SQL | undefined)[] = []
  const status = filters.status ?? 'active'
  if (status === 'active') conditions.push(inArray(tickets.status, ['open', 'pending']))
  else if (status !== 'all') conditions.push(eq(tickets.status, status))
  if (filters.tier) conditions.push(eq(tickets.tier, filters.tier))
  if (filters.priority) conditions.push(eq(tickets.priority, filters.priority))
  if (filters.assignee === 'me') conditions.push(eq(tickets.assigneeId, viewer.id))
  else if (filters.assignee === 'unassigned') conditions.push(isNull(tickets.assigneeId))
  else if (typeof filters.assignee === 'number') conditions.push(eq(tickets.assigneeId, filters.assignee))
  if (filters.sla) conditions.push(sql`${slaBadgeSql(now)} = ${filters.sla}`)
  if (after) {
    const at = after.at ? sql`${after.at.toISOString()}::timestamptz` : sql`'infinity'::timestamptz`
    conditions.push(sql`(${queueDueSql}, ${tickets.id}) > (${at}, ${after.id})`)
  }
  const rows = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      tier: tickets.tier,
      premium: tickets.premium,
      needsTriage: tickets.needsTriage,
      escalationRequested: sql<boolean>`${tickets.escalationRequestedAt} is not null`,
      requester: sql<string>`coalesce(${requesters.username}, ${tickets.requesterEmail})`,
      assigneeUsername: assignees.username,
      nextDueAt: tickets.nextDueAt,
      slaBadge: slaBadgeSql(now),
      updatedAt: tickets.updatedAt,
      /** A premium member's call back still to make: the earliest one's due time. */
      callBackDueAt: openCallBackDueSql,
    })
    .from(tickets)
    .leftJoin(requesters, eq(requesters.id, tickets.requesterId))
    .leftJoin(assignees, eq(assignees.id, tickets.assigneeId))
    .where(and(...conditions))
    .orderBy(queueDueSql, asc(tickets.id))
    .limit(TICKET_PAGE_SIZE + 1)
  const page = rows.slice(0, TICKET_PAGE_SIZE)
  const last = page.at(-1)
  return {
    tickets: page,
    nextCursor: rows.length > TICKET_PAGE_SIZE && last ? encodeCursor({ at: last.nextDueAt, id: last.id }) : null,
  }
}

/** The staff dashboard's ticket counts for one tier (or all): one query. */
export async function countTicketQueue({ tier, now = new Date() }: { tier: number | null; now?: Date }) {
  const [row] = await db
    .select({
      open: sql<number>`count(*) filter (where ${tickets.status} = 'open')::int`,
      pending: sql<number>`count(*) filter (where ${tickets.status} = 'pending')::int`,
      ...slaBadgeCounts(now),
    })
    .from(tickets)
    .where(and(inArray(tickets.status, ['open', 'pending']), tier ? eq(tickets.tier, tier) : undefined))
  return row
}

/**
 * Support management's list: tickets escalated past tier 3 and not yet closed, most recent
 * escalation first. Bounded: management sees a handful, never a queue.
 */
export async function listManagementEscalations({ limit = 200 }: { limit?: number } = {}) {
  return db
    .select({
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      requesterUsername: requesters.username,
      requesterEmail: tickets.requesterEmail,
      assigneeUsername: assignees.username,
      escalatedAt: tickets.managementEscalatedAt,
      reason: sql<string | null>`(select e.reason from ticket_events e where e.ticket_id = ${tickets.id} and e.kind = 'management' order by e.created_at desc limit 1)`,
    })
    .from(tickets)
    .leftJoin(requesters, eq(requesters.id, tickets.requesterId))
    .leftJoin(assignees, eq(assignees.id, tickets.assigneeId))
    .where(and(sql`${tickets.managementEscalatedAt} is not null`, inArray(tickets.status, ['open', 'pending', 'solved'])))
    .orderBy(sql`${tickets.managementEscalatedAt} desc`, asc(tickets.id))
    .limit(limit)
}
