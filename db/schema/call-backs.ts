import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text } from 'drizzle-orm/pg-core'
import { timestamptz } from './columns'
import { tickets } from './tickets'
import { users } from './users'

/**
 * A premium member's request to be phoned about a critical ticket (issue 14): a task for the
 * agents with its own due time, the start of the window the member chose. Done when an agent
 * records the call with a note (docs/decisions/035-demo-data-and-call-backs.md).
 */
export const ticketCallBacks = pgTable(
  'ticket_call_backs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    requestedById: integer('requested_by_id').references(() => users.id),
    /** E.164: "+" and 8 to 15 digits, as the form normalised it. */
    phone: text('phone').notNull(),
    windowStartsAt: timestamptz('window_starts_at').notNull(),
    windowEndsAt: timestamptz('window_ends_at').notNull(),
    /** The member's zone when they asked, so agents can read the window as the member meant it. */
    timeZone: text('time_zone').notNull(),
    /** When the call is due: the window's start. */
    dueAt: timestamptz('due_at').notNull(),
    doneAt: timestamptz('done_at'),
    doneById: integer('done_by_id').references(() => users.id),
    doneNote: text('done_note'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('ticket_call_backs_ticket_idx').on(t.ticketId, t.createdAt),
    // The queue's "call back by" badge: open tasks per ticket.
    index('ticket_call_backs_open_idx')
      .on(t.ticketId, t.dueAt)
      .where(sql`${t.doneAt} is null`),
    check('ticket_call_backs_window_check', sql`${t.windowEndsAt} > ${t.windowStartsAt}`),
    check('ticket_call_backs_done_check', sql`(${t.doneAt} is null) = (${t.doneById} is null)`),
  ],
)
