import { randomBytes } from 'node:crypto'
import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db, type DbOrTx, type Tx } from '#db/client.server'
import { questions, slaAlerts, ticketEvents, ticketMailIds, ticketMessages, ticketRatings, tickets, users } from '#db/schema/index'
import type { UserRole } from '#db/schema/users'
import { computeSla, type SlaEvent, type SlaTargetName, type TicketPriority, type TicketStatus } from '~/tickets/sla/engine'
import {
  agentReplyMail,
  assignedMail,
  followUpOpenedMail,
  slaAlertMail,
  statusChangedMail,
  ticketOpenedMail,
} from '~/tickets/mail-texts.server'
import { secretsMatch } from '~/platform/crypto.server'
import { encodeCursor, type NullableCursor } from '~/platform/cursor'
import { env } from '~/platform/env.server'
import { notify } from '~/notifications/notify.server'
import { memberViewerSql, questionVisibleSql } from '~/forum/visibility.server'
import { queueMail } from '~/platform/mail.server'
import { renderMarkdown } from '~/platform/markdown.server'
import { can, rolesWith } from '~/platform/auth/permissions'
import { getSlaSettings, type SlaSettings } from './sla-settings.server'

export type TicketViewer = { id: number; role: UserRole; username?: string }
export type TicketSource = 'web' | 'email' | 'thread'
export type SlaBadge = 'on-track' | 'at-risk' | 'breached' | 'paused' | 'met'

const SOLVED_TICKETS_CLOSE_AFTER_MS = 4 * 24 * 60 * 60 * 1000
const TICKET_PAGE_SIZE = 30

const isStaff = (viewer: TicketViewer | null | undefined) => can(viewer, 'work:ticket:any')
/** In SQL, over many users at once: the roles that work tickets. */
const staffRoles = () => inArray(users.role, rolesWith('work:ticket:any'))
const ticketUrl = (number: number) => `${env.publicUrl}/tickets/${number}`
const ratingUrl = (number: number, token: string) => `${env.publicUrl}/tickets/${number}/rate?token=${token}`

/** Where mail to the requester goes: their account's address, or the address an account-less ticket came from. */
const requesterEmailSql = sql<string>`coalesce((select u.email from users u where u.id = ${tickets.requesterId}), ${tickets.requesterEmail})`

/**
 * The badge an agent sees: the state of the most urgent target still running, or, once the
 * ticket is solved, whether every target was met. Computed from stored due times against `now`,
 * so the queue filters and sorts in SQL without running the engine per row.
 */
const slaBadgeSql = (now: Date) => sql<SlaBadge>`case
  when ${tickets.status} in ('solved', 'closed') then
    case when ${tickets.firstResponseBreached} or ${tickets.resolutionBreached} or ${tickets.updateBreached} then 'breached' else 'met' end
  when ${tickets.nextDueAt} <= ${now.toISOString()}::timestamptz then 'breached'
  when ${tickets.status} = 'pending' then 'paused'
  when ${tickets.atRiskAt} <= ${now.toISOString()}::timestamptz then 'at-risk'
  else 'on-track' end`

/** How many tickets show each alarming badge, as the queue would show them. */
const slaBadgeCounts = (now: Date) => ({
  atRisk: sql<number>`count(*) filter (where ${slaBadgeSql(now)} = 'at-risk')::int`,
  breached: sql<number>`count(*) filter (where ${slaBadgeSql(now)} = 'breached')::int`,
})

// ---------------------------------------------------------------------------------------------
// The SLA clock

/**
 * Replays the ticket's history through the SLA engine and stores the due times (Zammad's
 * approach): called inside every transaction that changes a ticket, so the stored deadlines
 * always match the history. Batch callers load the settings once and pass them in.
 */
export async function recomputeSla(tx: DbOrTx, ticketId: number, now = new Date(), slaSettings?: SlaSettings) {
  const [[ticket], settings, statusRows, replyRows] = await Promise.all([
    tx
      .select({ priority: tickets.priority, premium: tickets.premium, slaStartedAt: tickets.slaStartedAt })
      .from(tickets)
      .where(eq(tickets.id, ticketId)),
    slaSettings ?? getSlaSettings(tx),
    tx
      .select({ at: ticketEvents.createdAt, status: ticketEvents.toValue })
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.kind, 'status')))
      .orderBy(asc(ticketEvents.createdAt), asc(ticketEvents.id)),
    tx
      .select({ at: ticketMessages.createdAt })
      .from(ticketMessages)
      .where(and(eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.byStaff, true), eq(ticketMessages.internal, false)))
      .orderBy(asc(ticketMessages.createdAt)),
  ])
  if (!ticket) return null
  const events: SlaEvent[] = [
    ...statusRows.map((row) => ({ at: row.at, kind: 'status' as const, status: row.status as TicketStatus })),
    ...replyRows.map((row) => ({ at: row.at, kind: 'agent-reply' as const })),
  ]
  const result = computeSla({ ...settings, startedAt: ticket.slaStartedAt, priority: ticket.priority, premium: ticket.premium, events, now })
  const dueOf = (name: SlaTargetName) => result.targets.find((t) => t.target === name)?.dueAt ?? null
  await tx
    .update(tickets)
    .set({
      firstResponseDueAt: dueOf('first-response'),
      resolutionDueAt: dueOf('resolution'),
      nextUpdateDueAt: dueOf('next-update'),
      nextDueAt: result.nextDueAt,
      atRiskAt: result.atRiskAt,
      firstResponseBreached: result.firstResponseBreached,
      resolutionBreached: result.resolutionBreached,
      updateBreached: result.updateBreached,
    })
    .where(eq(tickets.id, ticketId))
  return result
}

// ---------------------------------------------------------------------------------------------
// Opening tickets

type NewTicket = {
  subject: string
  priority: TicketPriority
  source: TicketSource
  requester: { id: number } | { email: string }
  bodySource: string
  /** Who opened it: the requester, the converting agent, or null for mail. */
  actorId: number | null
  questionId?: number
  /** The closed ticket a requester's reply reopened as this one. */
  followUpOf?: { id: number; number: number }
  slaStartedAt?: Date
  messageAt?: Date
  emailMessageId?: string | null
  needsTriage?: boolean
  /** The Message-ID of the mail that opened it, so the acknowledgement threads under it. */
  inReplyTo?: string | null
}

/** Opens the ticket and tells the requester it was received (or that it follows up a closed one). */
async function openTicket(tx: Tx, input: NewTicket) {
  const now = new Date()
  let requesterId: number | null = null
  let requesterEmail: string
  let premium = false
  if ('id' in input.requester) {
    const [requester] = await tx
      .select({ id: users.id, email: users.email, isPremium: users.isPremium })
      .from(users)
      .where(eq(users.id, input.requester.id))
    if (!requester) throw new Error(`No user ${input.requester.id}`)
    requesterId = requester.id
    requesterEmail = requester.email
    premium = requester.isPremium
  } else {
    requesterEmail = input.requester.email
  }
  const [ticket] = await tx
    .insert(tickets)
    .values({
      subject: input.subject.trim(),
      requesterId,
      requesterEmail,
      priority: input.priority,
      tier: premium ? 2 : 1,
      premium,
      source: input.source,
      questionId: input.questionId,
      followUpOfId: input.followUpOf?.id,
      needsTriage: input.needsTriage ?? false,
      ratingToken: randomBytes(18).toString('base64url'),
      createdAt: now,
      updatedAt: now,
      slaStartedAt: input.slaStartedAt ?? now,
    })
    .returning({ id: tickets.id, number: tickets.number, subject: tickets.subject, priority: tickets.priority, requesterId: tickets.requesterId })
  await tx.insert(ticketMessages).values({
    ticketId: ticket.id,
    authorId: requesterId,
    authorEmail: requesterId ? null : requesterEmail,
    bodySource: input.bodySource,
    bodyHtml: renderMarkdown(input.bodySource),
    emailMessageId: input.emailMessageId ?? null,
    createdAt: input.messageAt ?? now,
  })
  await tx.insert(ticketEvents).values({ ticketId: ticket.id, actorId: input.actorId, kind: 'created', toValue: input.source, createdAt: now })
  await recomputeSla(tx, ticket.id, now)
  const opened = { ...ticket, requesterEmail }
  if (input.followUpOf) {
    const previous = input.followUpOf.number
    await tellRequester(tx, opened, `Request #${previous} was closed, so your reply opened follow-up request #${opened.number}`, followUpOpenedMail(opened, previous, ticketUrl(opened.number)))
  } else {
    await tellRequester(tx, opened, `We received your request #${opened.number} “${opened.subject}”`, ticketOpenedMail(opened, ticketUrl(opened.number)), input.inReplyTo)
  }
  return opened
}

type RequesterRef = { id: number; number: number; requesterId: number | null; requesterEmail: string }

/**
 * Tells a ticket's requester: a member through the notifications module (the bell, and mail as
 * their preference for ticket updates says), someone who wrote in without an account by mail
 * alone. Either way the mail threads with the ticket, so a reply to it lands on the ticket.
 */
async function tellRequester(tx: DbOrTx, ticket: RequesterRef, text: string, mail: { subject: string; text: string }, inReplyTo?: string | null) {
  if (ticket.requesterId) {
    await notify(tx, { kind: 'ticket-update', userIds: [ticket.requesterId], text, link: `/tickets/${ticket.number}`, target: { ticketId: ticket.id }, mail: { ...mail, ticketId: ticket.id, inReplyTo } })
  } else {
    await queueMail(tx, { to: ticket.requesterEmail, ticketId: ticket.id, inReplyTo, ...mail })
  }
}

/** Tells support staff about a ticket (assignment, SLA alerts), in the app and by mail as they prefer. */
async function tellStaff(tx: DbOrTx, ticket: { id: number; number: number }, userIds: number[], text: string, mail: { subject: string; text: string }) {
  await notify(tx, { kind: 'ticket-update', userIds, text, link: `/tickets/${ticket.number}`, target: { ticketId: ticket.id }, mail: { ...mail, ticketId: ticket.id } })
}

export type TicketDetails = { whatHappened: string; stepsTried: string; environment: string; accountDetails: string }

/** The web form's template, kept as one Markdown message so agents read it like any other. */
function composeTicketBody(details: TicketDetails) {
  const section = (title: string, text: string) => (text.trim() ? [`**${title}**`, text.trim()] : [])
  return [
    ...section('What happened', details.whatHappened),
    ...section('What I already tried', details.stepsTried),
    ...section('Device, browser and operating system', details.environment),
    ...section('Account details', details.accountDetails),
  ].join('\n\n')
}

export async function createTicket({
  requesterId,
  subject,
  priority,
  details,
}: {
  requesterId: number
  subject: string
  priority: TicketPriority
  details: TicketDetails
}) {
  return db.transaction(async (tx) => {
    const ticket = await openTicket(tx, {
      subject,
      priority,
      source: 'web',
      requester: { id: requesterId },
      bodySource: composeTicketBody(details),
      actorId: requesterId,
    })
    return { number: ticket.number }
  })
}

export type ConvertResult =
  | { ok: true; number: number }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'already-converted'; number: number }

/**
 * Staff take a thread to a private ticket: the question becomes the first message, the asker the
 * requester, and the SLA clock starts when the question was asked, since that is how long the
 * customer has been waiting.
 */
export async function convertThreadToTicket({ questionId, staffId, priority }: { questionId: number; staffId: number; priority: TicketPriority }): Promise<ConvertResult> {
  return db.transaction(async (tx) => {
    // Locking the question serialises two agents converting at once; the unique index backs it up.
    const [question] = await tx
      .select({ id: questions.id, title: questions.title, bodySource: questions.bodySource, authorId: questions.authorId, createdAt: questions.createdAt })
      .from(questions)
      // A thread the agent may not see (hidden or removed) is not there for them: nobody is mailed.
      .where(and(eq(questions.id, questionId), questionVisibleSql(memberViewerSql(staffId))))
      .for('update')
    if (!question) return { ok: false, reason: 'not-found' } as const
    const [existing] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.questionId, questionId))
    if (existing) return { ok: false, reason: 'already-converted', number: existing.number } as const
    const ticket = await openTicket(tx, {
      subject: question.title,
      priority,
      source: 'thread',
      requester: { id: question.authorId },
      bodySource: question.bodySource,
      actorId: staffId,
      questionId,
      slaStartedAt: question.createdAt,
      messageAt: question.createdAt,
    })
    return { ok: true, number: ticket.number } as const
  })
}

/** The ticket a thread was taken to, for the thread's notice (shown only to the asker and staff). */
export async function getTicketNumberForQuestion({ questionId }: { questionId: number }) {
  const [row] = await db.select({ number: tickets.number }).from(tickets).where(eq(tickets.questionId, questionId))
  return row?.number ?? null
}

// ---------------------------------------------------------------------------------------------
// Reading tickets

/** Visibility in SQL: staff see every ticket, anyone else only their own. */
const visibleTo = (viewer: TicketViewer) => (isStaff(viewer) ? undefined : eq(tickets.requesterId, viewer.id))

const assignees = alias(users, 'assignees')
const requesters = alias(users, 'requesters')

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
  const visibleTicket = staff
    ? ticket
    : {
        ...ticket,
        tier: null,
        assigneeId: null,
        assigneeUsername: null,
        needsTriage: false,
        slaBadge: null,
        firstResponseDueAt: null,
        resolutionDueAt: null,
        nextUpdateDueAt: null,
        nextDueAt: null,
      }
  return { ticket: visibleTicket, messages, events, agents }
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

// ---------------------------------------------------------------------------------------------
// Changing tickets

type LockedTicket = {
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
}

/** Locks the ticket for the rest of the transaction, if the viewer may see it. */
async function lockTicket(tx: Tx, number: number, viewer: TicketViewer | null) {
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
    })
    .from(tickets)
    .where(and(eq(tickets.number, number), viewer ? visibleTo(viewer) : undefined))
    .for('update')
  return (ticket as LockedTicket | undefined) ?? null
}

async function recordEvent(
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
}

/** Changes the status, records it, and keeps solved/closed timestamps in step. No mail. */
async function setStatus(tx: DbOrTx, ticket: LockedTicket, status: TicketStatus, actorId: number | null, at: Date) {
  if (ticket.status === status) return false
  await tx
    .update(tickets)
    .set({
      status,
      updatedAt: at,
      ...(status === 'solved' ? { solvedAt: at } : {}),
      ...(status === 'open' || status === 'pending' ? { solvedAt: null } : {}),
      ...(status === 'closed' ? { closedAt: at } : {}),
    })
    .where(eq(tickets.id, ticket.id))
  await recordEvent(tx, ticket, { actorId, kind: 'status', fromValue: ticket.status, toValue: status, at })
  ticket.status = status
  return true
}

async function mailStatusChange(tx: DbOrTx, ticket: LockedTicket, status: TicketStatus) {
  const mail = statusChangedMail(ticket, status, ticketUrl(ticket.number), status === 'solved' ? ratingUrl(ticket.number, ticket.ratingToken) : null)
  await tellRequester(tx, ticket, `Your request #${ticket.number} is now ${status}`, mail)
}

export type ReplyResult =
  | { ok: true; number: number; followUp: boolean }
  | { ok: false; reason: 'not-found' | 'forbidden' | 'invalid' }

/**
 * A message on a ticket. Staff may write internal notes (never mailed or shown to the requester)
 * or public replies, which count as a response for the SLA clock and may set the status. A
 * requester's reply reopens a pending or solved ticket; on a closed one it opens a follow-up.
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
}: {
  number: number
  author: TicketViewer | { email: string }
  bodySource: string
  internal?: boolean
  statusAfter?: 'open' | 'pending' | 'solved' | null
  emailMessageId?: string | null
  via?: 'web' | 'email'
}): Promise<ReplyResult> {
  return db.transaction(async (tx) => {
    const viewer = 'id' in author ? author : null
    const staff = isStaff(viewer)
    const ticket = await lockTicket(tx, number, viewer)
    if (!ticket) return { ok: false, reason: 'not-found' } as const
    if (!staff && (internal || statusAfter)) return { ok: false, reason: 'forbidden' } as const
    // A closed ticket stays closed (as in changeTicketStatus): the customer's next message opens a follow-up.
    if (staff && ticket.status === 'closed') return { ok: false, reason: 'invalid' } as const
    const now = new Date()
    const authorId = viewer?.id ?? null

    if (!staff && ticket.status === 'closed') {
      const followUp = await openTicket(tx, {
        subject: ticket.subject.startsWith('Follow-up: ') ? ticket.subject : `Follow-up: ${ticket.subject}`,
        priority: ticket.priority,
        source: via,
        requester: ticket.requesterId ? { id: ticket.requesterId } : { email: ticket.requesterEmail },
        bodySource,
        actorId: authorId,
        followUpOf: ticket,
        emailMessageId,
      })
      await recordEvent(tx, ticket, { actorId: authorId, kind: 'follow-up', toValue: String(followUp.number), at: now })
      return { ok: true, number: followUp.number, followUp: true } as const
    }

    await tx.insert(ticketMessages).values({
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
    await tx
      .update(tickets)
      .set({
        updatedAt: now,
        ...(staff && !internal ? { firstResponseAt: sql`coalesce(${tickets.firstResponseAt}, ${now.toISOString()}::timestamptz)` } : {}),
      })
      .where(eq(tickets.id, ticket.id))

    if (!staff) {
      if (ticket.status === 'pending' || ticket.status === 'solved') await setStatus(tx, ticket, 'open', authorId, now)
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

/** Moves the ticket up one tier; the reason is required and kept in the history. */
export async function escalateTicket({ reason, ...change }: StaffChange & { reason: string }) {
  return staffChange(change, async (tx, ticket, now) => {
    if (ticket.tier >= 3 || ticket.status === 'closed') return { ok: false, reason: 'invalid' }
    const tier = ticket.tier + 1
    await tx.update(tickets).set({ tier, escalationRequestedAt: null, escalationRequestReason: null }).where(eq(tickets.id, ticket.id))
    await recordEvent(tx, ticket, { actorId: change.staff.id, kind: 'tier', fromValue: String(ticket.tier), toValue: String(tier), reason, at: now })
    return { ok: true }
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

// ---------------------------------------------------------------------------------------------
// Jobs: the SLA sweep and closing solved tickets

/**
 * Runs every minute. Closes tickets solved more than four days ago, and for every running target
 * that is at risk or past due sends one alert (to the assignee, or else to the tier's agents) and
 * records it in the history. The sla_alerts unique index makes a repeated sweep a no-op.
 */
export async function sweepTickets(now = new Date()) {
  const settings = await getSlaSettings()
  const closed = await closeSolvedTickets(now, settings)
  const nowSql = sql`${now.toISOString()}::timestamptz`
  const alerted = (dueAt: SQL, { kind, target }: { kind?: SQL; target?: SlaTargetName }) =>
    sql`exists (select 1 from ${slaAlerts} where ${slaAlerts.ticketId} = ${tickets.id} and ${slaAlerts.dueAt} = ${dueAt}${kind ? sql` and ${slaAlerts.kind} = ${kind}` : sql``}${target ? sql` and ${slaAlerts.target} = ${target}` : sql``})`
  const running: [SlaTargetName, SQL, SQL | undefined][] = [
    ['first-response', sql`${tickets.firstResponseDueAt}`, isNull(tickets.firstResponseAt)],
    ['resolution', sql`${tickets.resolutionDueAt}`, undefined],
    ['next-update', sql`${tickets.nextUpdateDueAt}`, undefined],
  ]
  // Owed an alert for sure: the most urgent target's warning or breach, or another target's breach.
  const owed = or(
    sql`not ${alerted(sql`${tickets.nextDueAt}`, { kind: sql`case when ${tickets.nextDueAt} <= ${nowSql} then 'breach' else 'warning' end` })}`,
    ...running.map(([target, dueAt, stillRunning]) => and(stillRunning, sql`${dueAt} <= ${nowSql}`, sql`not ${alerted(dueAt, { kind: sql`'breach'`, target })}`)),
  )!
  // Maybe owed a warning: a running target without any alert yet (only the engine knows when it
  // is at risk). A ticket alerted for every running target is left alone, so alerted and breached
  // tickets never fill the batch, and those surely owed an alert go first.
  const mayBeOwed = or(...running.map(([target, dueAt, stillRunning]) => and(stillRunning, sql`${dueAt} is not null`, sql`not ${alerted(dueAt, { target })}`)))
  const candidates = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(sql`${tickets.nextDueAt} is not null`, sql`${tickets.atRiskAt} <= ${nowSql}`, or(owed, mayBeOwed)))
    .orderBy(sql`(${owed}) is true desc`, asc(tickets.atRiskAt))
    .limit(500)
  let alerts = 0
  for (const { id } of candidates) alerts += await alertTicket(id, now, settings)
  return { closed, alerts }
}

async function closeSolvedTickets(now: Date, settings: SlaSettings) {
  const cutoff = new Date(now.getTime() - SOLVED_TICKETS_CLOSE_AFTER_MS)
  const due = await db
    .select({ number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.status, 'solved'), sql`${tickets.solvedAt} <= ${cutoff.toISOString()}::timestamptz`))
    .limit(500)
  let count = 0
  for (const { number } of due) {
    await db.transaction(async (tx) => {
      const ticket = await lockTicket(tx, number, null)
      if (!ticket || ticket.status !== 'solved') return
      await setStatus(tx, ticket, 'closed', null, now)
      await recomputeSla(tx, ticket.id, now, settings)
      await mailStatusChange(tx, ticket, 'closed')
      count++
    })
  }
  return count
}

async function alertTicket(ticketId: number, now: Date, settings: SlaSettings) {
  return db.transaction(async (tx) => {
    const [ticket] = await tx
      .select({ id: tickets.id, number: tickets.number, subject: tickets.subject, priority: tickets.priority, tier: tickets.tier, assigneeId: tickets.assigneeId })
      .from(tickets)
      .where(eq(tickets.id, ticketId))
      .for('update')
    if (!ticket) return 0
    const result = await recomputeSla(tx, ticketId, now, settings)
    if (!result) return 0
    let sent = 0
    for (const target of result.targets) {
      if (target.achievedAt || !target.dueAt || !target.atRiskAt || target.atRiskAt > now) continue
      const kind = target.dueAt <= now ? 'breach' : 'warning'
      const inserted = await tx
        .insert(slaAlerts)
        .values({ ticketId, target: target.target, kind, dueAt: target.dueAt, createdAt: now })
        .onConflictDoNothing()
        .returning({ ticketId: slaAlerts.ticketId })
      if (inserted.length === 0) continue
      await recordEvent(tx, ticket, { actorId: null, kind: kind === 'breach' ? 'sla-breach' : 'sla-warning', toValue: target.target, at: now })
      const recipients = ticket.assigneeId
        ? [{ id: ticket.assigneeId }]
        : await tx
            .select({ id: users.id })
            .from(users)
            .where(and(staffRoles(), eq(users.supportTier, ticket.tier)))
            .limit(50)
      await tellStaff(
        tx,
        ticket,
        recipients.map((r) => r.id),
        `${kind === 'breach' ? 'SLA breached' : 'SLA at risk'} on ticket #${ticket.number}`,
        slaAlertMail(ticket, { kind, target: target.target, dueAt: target.dueAt }, ticketUrl(ticket.number)),
      )
      sent++
    }
    return sent
  })
}

/** After an admin changes the policies or the calendar: every ticket still running gets new due times. */
export async function recomputeOpenTickets(now = new Date()) {
  const settings = await getSlaSettings()
  let afterId = 0
  let count = 0
  for (;;) {
    const batch = await db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(inArray(tickets.status, ['open', 'pending']), sql`${tickets.id} > ${afterId}`))
      .orderBy(asc(tickets.id))
      .limit(200)
    if (batch.length === 0) return count
    for (const { id } of batch) await db.transaction((tx) => recomputeSla(tx, id, now, settings))
    count += batch.length
    afterId = batch.at(-1)!.id
  }
}

// ---------------------------------------------------------------------------------------------
// Inbound mail

export type InboundEmail = { from: string; subject: string; text: string; messageId: string; inReplyTo: string | null }
export type InboundResult = { action: 'created' | 'appended' | 'follow-up' | 'duplicate'; number: number }

/** "Ann Smith <ann@example.com>" → "ann@example.com". */
function emailAddressOf(from: string) {
  const match = from.match(/<([^<>\s]+@[^<>\s]+)>/)
  return (match ? match[1] : from).trim().toLowerCase()
}

/**
 * Mail from the provider's webhook. A reply (by `[#1042]` in the subject or In-Reply-To one of our
 * Message-IDs) is appended only when it comes from that ticket's requester; anything else opens
 * a new medium-priority ticket, account-less and flagged for an agent when the sender is unknown.
 */
export async function receiveInboundEmail(mail: InboundEmail): Promise<InboundResult> {
  const sender = emailAddressOf(mail.from)
  const [duplicate] = await db
    .select({ number: tickets.number })
    .from(ticketMessages)
    .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
    .where(eq(ticketMessages.emailMessageId, mail.messageId))
  if (duplicate) return { action: 'duplicate', number: duplicate.number }

  const [account] = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${sender}`, isNull(users.deletedAt)))
  const subjectNumber = Number(mail.subject.match(/\[#(\d{1,10})\]/)?.[1] ?? NaN)
  const [target] = await db
    .select({ number: tickets.number, requesterId: tickets.requesterId, requesterEmail: requesterEmailSql })
    .from(tickets)
    .where(
      or(
        Number.isFinite(subjectNumber) ? eq(tickets.number, subjectNumber) : undefined,
        mail.inReplyTo ? sql`${tickets.id} = (select ${ticketMailIds.ticketId} from ${ticketMailIds} where ${ticketMailIds.messageId} = ${mail.inReplyTo})` : undefined,
        sql`false`,
      ),
    )
    .limit(1)

  if (target && target.requesterEmail.toLowerCase() === sender) {
    // Someone who wrote in without an account and registered later still replies as the address
    // the ticket belongs to: their account is not its requester.
    const author = account && target.requesterId === account.id ? { id: account.id, role: 'member' as const, username: account.username } : { email: sender }
    const result = await addTicketMessage({ number: target.number, author, bodySource: mail.text, emailMessageId: mail.messageId, via: 'email' })
    if (result.ok) return { action: result.followUp ? 'follow-up' : 'appended', number: result.number }
  }

  return db.transaction(async (tx) => {
    const ticket = await openTicket(tx, {
      subject: mail.subject.replace(/^\s*((re|fwd?|aw):\s*)+/i, '').trim() || '(no subject)',
      priority: 'medium',
      source: 'email',
      requester: account ? { id: account.id } : { email: sender },
      bodySource: mail.text,
      actorId: null,
      emailMessageId: mail.messageId,
      needsTriage: !account,
      inReplyTo: mail.messageId,
    })
    return { action: 'created', number: ticket.number } as const
  })
}

// ---------------------------------------------------------------------------------------------
// The SLA report

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * /staff/sla in five queries: compliance and medians per priority over 7 and 30 days (tickets
 * solved in the window), tickets at risk and breached now, daily compliance for the chart, and
 * satisfaction ratings.
 */
export async function getSlaReport(now = new Date()) {
  const since30 = new Date(now.getTime() - 30 * DAY_MS)
  const since7 = new Date(now.getTime() - 7 * DAY_MS)
  const met = sql`not (${tickets.firstResponseBreached} or ${tickets.resolutionBreached} or ${tickets.updateBreached})`
  const windowStats = (since: Date) =>
    db
      .select({
        priority: tickets.priority,
        solved: sql<number>`count(*)::int`,
        met: sql<number>`count(*) filter (where ${met})::int`,
        firstResponseMet: sql<number>`count(*) filter (where not ${tickets.firstResponseBreached})::int`,
        medianFirstResponseMinutes: sql<number | null>`(percentile_cont(0.5) within group (order by extract(epoch from ${tickets.firstResponseAt} - ${tickets.slaStartedAt})) / 60)::float8`,
        medianResolutionMinutes: sql<number | null>`(percentile_cont(0.5) within group (order by extract(epoch from ${tickets.solvedAt} - ${tickets.slaStartedAt})) / 60)::float8`,
      })
      .from(tickets)
      .where(and(inArray(tickets.status, ['solved', 'closed']), sql`${tickets.solvedAt} >= ${since.toISOString()}::timestamptz`))
      .groupBy(tickets.priority)
  const [last7, last30, current, daily, ratings] = await Promise.all([
    windowStats(since7),
    windowStats(since30),
    db.select(slaBadgeCounts(now)).from(tickets).where(inArray(tickets.status, ['open', 'pending'])),
    db
      .select({
        day: sql<string>`to_char(date_trunc('day', ${tickets.solvedAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
        solved: sql<number>`count(*)::int`,
        met: sql<number>`count(*) filter (where ${met})::int`,
      })
      .from(tickets)
      .where(and(inArray(tickets.status, ['solved', 'closed']), sql`${tickets.solvedAt} >= ${since30.toISOString()}::timestamptz`))
      .groupBy(sql`1`)
      .orderBy(sql`1`),
    db
      .select({
        count7: sql<number>`count(*) filter (where ${ticketRatings.createdAt} >= ${since7.toISOString()}::timestamptz)::int`,
        average7: sql<number | null>`(avg(${ticketRatings.score}) filter (where ${ticketRatings.createdAt} >= ${since7.toISOString()}::timestamptz))::float8`,
        count30: sql<number>`count(*)::int`,
        average30: sql<number | null>`avg(${ticketRatings.score})::float8`,
        recent: sql<{ number: number; score: number; comment: string }[]>`coalesce((select json_agg(r) from (select t.number, tr.score, tr.comment from ticket_ratings tr join tickets t on t.id = tr.ticket_id where tr.comment <> '' order by tr.created_at desc limit 5) r), '[]'::json)`,
      })
      .from(ticketRatings)
      .where(sql`${ticketRatings.createdAt} >= ${since30.toISOString()}::timestamptz`),
  ])
  const days: { day: string; solved: number; met: number }[] = []
  for (let i = 29; i >= 0; i--) {
    const day = new Date(now.getTime() - i * DAY_MS).toISOString().slice(0, 10)
    days.push(daily.find((d) => d.day === day) ?? { day, solved: 0, met: 0 })
  }
  return { last7, last30, atRisk: current[0]?.atRisk ?? 0, breached: current[0]?.breached ?? 0, days, ratings: ratings[0] }
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
