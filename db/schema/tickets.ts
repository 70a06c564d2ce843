import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgSequence,
  pgTable,
  smallint,
  text,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'
import { timestamptz } from './columns'
import { questions } from './forum'
import { users } from './users'
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_SOURCES, TICKET_EVENT_KINDS } from '../enums'

export const ticketPriority = pgEnum('ticket_priority', TICKET_PRIORITIES)
export const ticketStatus = pgEnum('ticket_status', TICKET_STATUSES)
export const ticketSource = pgEnum('ticket_source', TICKET_SOURCES)
export const ticketEventKind = pgEnum('ticket_event_kind', TICKET_EVENT_KINDS)

/** Tracking numbers come from a sequence, so a number is never handed out twice, even after a rollback. */
export const ticketNumberSequence = pgSequence('ticket_number_seq', { startWith: 1001 })

export const tickets = pgTable(
  'tickets',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    number: integer('number')
      .notNull()
      .unique()
      .default(sql`nextval('ticket_number_seq')`),
    subject: text('subject').notNull(),
    // Null for mail from an address without an account; requester_email then says who asked.
    requesterId: integer('requester_id').references(() => users.id),
    requesterEmail: text('requester_email').notNull(),
    priority: ticketPriority('priority').notNull(),
    status: ticketStatus('status').notNull().default('open'),
    tier: smallint('tier').notNull().default(1),
    assigneeId: integer('assignee_id').references(() => users.id),
    source: ticketSource('source').notNull(),
    questionId: integer('question_id').references(() => questions.id),
    followUpOfId: integer('follow_up_of_id').references((): AnyPgColumn => tickets.id),
    /** Premium requesters get shorter targets; fixed when the ticket opens. */
    premium: boolean('premium').notNull().default(false),
    /** Set for mail from unknown senders: an agent must look at who this is. */
    needsTriage: boolean('needs_triage').notNull().default(false),
    escalationRequestedAt: timestamptz('escalation_requested_at'),
    escalationRequestReason: text('escalation_request_reason'),
    /** The last step after tier 3: support management has the ticket (admins see it at /admin/escalations). */
    managementEscalatedAt: timestamptz('management_escalated_at'),
    /** Random secret in the satisfaction survey link, so a requester can rate from the mail. */
    ratingToken: text('rating_token').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    /** When the customer started waiting: a converted thread's question time, else creation. */
    slaStartedAt: timestamptz('sla_started_at').notNull(),
    firstResponseAt: timestamptz('first_response_at'),
    solvedAt: timestamptz('solved_at'),
    closedAt: timestamptz('closed_at'),
    // Computed by the SLA engine on every event (Zammad's escalation_at): the queue sorts and
    // the sweep job works on these columns without recomputing anything.
    firstResponseDueAt: timestamptz('first_response_due_at'),
    resolutionDueAt: timestamptz('resolution_due_at'),
    nextUpdateDueAt: timestamptz('next_update_due_at'),
    /** The earliest due time of a target still running; null while nothing runs (paused, solved). */
    nextDueAt: timestamptz('next_due_at'),
    /** When that target has under 25% of its time left. */
    atRiskAt: timestamptz('at_risk_at'),
    firstResponseBreached: boolean('first_response_breached').notNull().default(false),
    resolutionBreached: boolean('resolution_breached').notNull().default(false),
    updateBreached: boolean('update_breached').notNull().default(false),
  },
  (t) => [
    check('tickets_tier_check', sql`${t.tier} between 1 and 3`),
    // One ticket per thread: converting twice is refused by the database too.
    uniqueIndex('tickets_question_idx').on(t.questionId),
    index('tickets_requester_idx').on(t.requesterId, t.updatedAt.desc().nullsFirst()),
    index('tickets_queue_idx').on(sql`coalesce(${t.nextDueAt}, 'infinity')`, t.id),
    index('tickets_solved_idx')
      .on(t.solvedAt)
      .where(sql`${t.status} = 'solved'`),
    index('tickets_running_idx')
      .on(t.atRiskAt)
      .where(sql`${t.nextDueAt} is not null`),
  ],
)

export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    authorId: integer('author_id').references(() => users.id),
    /** Set when the message came by mail, from this address. */
    authorEmail: text('author_email'),
    /** Agent-only: never shown, mailed or indexed for the requester. */
    internal: boolean('internal').notNull().default(false),
    /** Written by staff: a public staff message is a response for the SLA clock. */
    byStaff: boolean('by_staff').notNull().default(false),
    bodySource: text('body_source').notNull(),
    bodyHtml: text('body_html').notNull(),
    /** Message-ID of the inbound mail, so a redelivered mail is not appended twice. */
    emailMessageId: text('email_message_id').unique(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('ticket_messages_ticket_idx').on(t.ticketId, t.createdAt, t.id)],
)

export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** Null for changes the system made (auto-close, SLA sweep, a requester's mail). */
    actorId: integer('actor_id').references(() => users.id),
    kind: ticketEventKind('kind').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    reason: text('reason'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.createdAt, t.id)],
)

/** Every Message-ID we mail about a ticket, so that a reply to any of them finds the ticket. */
export const ticketMailIds = pgTable('ticket_mail_ids', {
  messageId: text('message_id').primaryKey(),
  ticketId: integer('ticket_id')
    .notNull()
    .references(() => tickets.id),
})

export const ticketRatings = pgTable(
  'ticket_ratings',
  {
    ticketId: integer('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    score: smallint('score').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [check('ticket_ratings_score_check', sql`${t.score} between 1 and 5`)],
)

/** One row per alert sent, so the sweep never warns twice about the same deadline. */
export const slaAlerts = pgTable(
  'sla_alerts',
  {
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    target: text('target').notNull(),
    kind: text('kind').notNull(),
    dueAt: timestamptz('due_at').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sla_alerts_once_idx').on(t.ticketId, t.target, t.kind, t.dueAt)],
)

export const slaPolicies = pgTable(
  'sla_policies',
  {
    priority: ticketPriority('priority').primaryKey(),
    firstResponseMinutes: integer('first_response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    /** Critical tickets promise an update at least this often until solved. */
    updateMinutes: integer('update_minutes'),
    /** False: the clock runs around the clock; true: only in business hours. */
    businessHours: boolean('business_hours').notNull(),
    /**
     * "Or N minutes outside business hours": a second, wall-clock first-response budget; the first
     * response is due when either clock runs out (decision 027). Null: the policy's clock only.
     */
    afterHoursFirstResponseMinutes: integer('after_hours_first_response_minutes'),
  },
  (t) => [
    check('sla_policies_positive_check', sql`${t.firstResponseMinutes} > 0 and ${t.resolutionMinutes} > 0`),
    check('sla_policies_after_hours_positive_check', sql`${t.afterHoursFirstResponseMinutes} is null or ${t.afterHoursFirstResponseMinutes} > 0`),
  ],
)

/** A single row: the support team's week. */
export const businessCalendars = pgTable(
  'business_calendars',
  {
    id: smallint('id').primaryKey().default(1),
    timeZone: text('time_zone').notNull(),
    /** ISO weekdays the team works, 1 = Monday … 7 = Sunday. */
    weekdays: smallint('weekdays').array().notNull(),
    opensAt: text('opens_at').notNull(),
    closesAt: text('closes_at').notNull(),
  },
  (t) => [check('business_calendars_single_row', sql`${t.id} = 1`)],
)

export const holidays = pgTable('holidays', {
  day: date('day', { mode: 'string' }).primaryKey(),
  name: text('name').notNull(),
})

/** Mail that would have gone out when no SMTP server is configured; admins read it at /admin/outbox. */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    messageId: text('message_id').notNull().unique(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    inReplyTo: text('in_reply_to'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('mail_outbox_created_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())],
)

/**
 * Mail handed to the SMTP server, by Message-ID: a mail job that runs again (its acknowledgement
 * was lost while the database restarted) finds its mail here and does not send it twice. Rows older
 * than the job queue's retry window are pruned.
 */
export const mailDeliveries = pgTable(
  'mail_deliveries',
  {
    messageId: text('message_id').primaryKey(),
    deliveredAt: timestamptz('delivered_at').notNull().defaultNow(),
  },
  (t) => [index('mail_deliveries_delivered_idx').on(t.deliveredAt)],
)

export const ticketAccessPurpose = pgEnum('ticket_access_purpose', ['ticket-link', 'claim-account'])

/**
 * Links mailed to people who wrote in without an account: `ticket-link` opens one ticket (read and
 * reply, nothing else) until it expires; `claim-account` works once and turns the address into an
 * account that owns every ticket it wrote. Only a SHA-256 of the token is kept.
 */
export const ticketAccessTokens = pgTable(
  'ticket_access_tokens',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    purpose: ticketAccessPurpose('purpose').notNull(),
    /** The ticket a ticket-link opens; null for claim-account. */
    ticketId: integer('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    /** The address the link was mailed to, lower-cased. */
    email: text('email').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ticket_access_tokens_hash_idx').on(t.tokenHash),
    index('ticket_access_tokens_email_idx').on(t.email, t.purpose),
    check('ticket_access_tokens_ticket_check', sql`(${t.purpose} = 'ticket-link') = (${t.ticketId} is not null)`),
  ],
)
