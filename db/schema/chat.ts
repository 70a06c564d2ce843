import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, pgEnum, pgTable, smallint, text } from 'drizzle-orm/pg-core'
import { CHAT_EVENT_KINDS, CHAT_STATES } from '../enums'
import { timestamptz } from './columns'
import { tickets } from './tickets'
import { users } from './users'

export const chatState = pgEnum('chat_state', CHAT_STATES)
export const chatEventKind = pgEnum('chat_event_kind', CHAT_EVENT_KINDS)

/**
 * A live chat between a member and an agent (docs/decisions/030-live-chat.md). Queued until an
 * agent accepts it; `tier` is the tier it waits for (raised by a transfer), `premium` is copied from
 * the member when it starts, as tickets do.
 */
export const chats = pgTable(
  'chats',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .references(() => users.id),
    state: chatState('state').notNull().default('queued'),
    tier: smallint('tier').notNull().default(1),
    premium: boolean('premium').notNull().default(false),
    agentId: integer('agent_id').references(() => users.id),
    /** Set by a transfer to one agent: only they see it in their waiting list until they accept. */
    offeredToId: integer('offered_to_id').references(() => users.id),
    /** When it (last) joined the queue: the waiting list orders by it; a transfer re-queues. */
    queuedAt: timestamptz('queued_at').notNull(),
    startedAt: timestamptz('started_at').notNull(),
    acceptedAt: timestamptz('accepted_at'),
    firstAgentReplyAt: timestamptz('first_agent_reply_at'),
    endedAt: timestamptz('ended_at'),
    ticketId: integer('ticket_id').references(() => tickets.id),
    rating: smallint('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: timestamptz('rated_at'),
  },
  (t) => [
    check('chats_tier_check', sql`${t.tier} between 1 and 3`),
    check('chats_rating_check', sql`${t.rating} is null or ${t.rating} between 1 and 5`),
    // The waiting list: premium first, then longest waiting.
    index('chats_queue_idx')
      .on(t.premium.desc().nullsFirst(), t.queuedAt, t.id)
      .where(sql`${t.state} = 'queued'`),
    index('chats_member_idx').on(t.memberId, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('chats_agent_active_idx')
      .on(t.agentId)
      .where(sql`${t.state} = 'active'`),
    index('chats_started_idx').on(t.startedAt),
  ],
)

export const chatMessages = pgTable(
  'chat_messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    chatId: integer('chat_id')
      .notNull()
      .references(() => chats.id),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    byAgent: boolean('by_agent').notNull().default(false),
    bodySource: text('body_source').notNull(),
    bodyHtml: text('body_html').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('chat_messages_chat_idx').on(t.chatId, t.id)],
)

/** The audit trail: accepted, transferred (with the note), ended, converted, rated. */
export const chatEvents = pgTable(
  'chat_events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    chatId: integer('chat_id')
      .notNull()
      .references(() => chats.id),
    actorId: integer('actor_id').references(() => users.id),
    kind: chatEventKind('kind').notNull(),
    note: text('note'),
    toAgentId: integer('to_agent_id').references(() => users.id),
    toTier: smallint('to_tier'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('chat_events_chat_idx').on(t.chatId, t.id)],
)

/** An agent's chat availability: no row means away. Capacity is how many chats at once. */
export const chatAgents = pgTable(
  'chat_agents',
  {
    userId: integer('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    available: boolean('available').notNull().default(false),
    capacity: smallint('capacity').notNull().default(2),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('chat_agents_capacity_check', sql`${t.capacity} between 1 and 10`)],
)

/** Canned replies agents insert with one click; admins keep the list at /admin/chat-replies. */
export const chatCannedReplies = pgTable('chat_canned_replies', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
})
