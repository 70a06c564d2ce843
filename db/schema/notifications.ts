import { sql } from 'drizzle-orm'
import { check, index, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamptz } from './columns'
import { answers, categories, questions } from './forum'
import { tickets } from './tickets'
import { users } from './users'
import { NOTIFICATION_KIND_VALUES, NOTIFICATION_DELIVERIES, WATCH_LEVELS } from '../enums'

export const notificationKind = pgEnum('notification_kind', NOTIFICATION_KIND_VALUES)
export type NotificationKind = (typeof notificationKind.enumValues)[number]

export const notificationDelivery = pgEnum('notification_delivery', NOTIFICATION_DELIVERIES)
export type NotificationDelivery = (typeof notificationDelivery.enumValues)[number]

/**
 * One row per thing a member should hear about. The target columns let the list re-check, when it
 * is read, that the member may still see what the notification points at.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: notificationKind('kind').notNull(),
    text: text('text').notNull(),
    link: text('link').notNull(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    questionId: integer('question_id').references(() => questions.id, { onDelete: 'cascade' }),
    answerId: integer('answer_id').references(() => answers.id, { onDelete: 'cascade' }),
    ticketId: integer('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    /** How it was to be mailed, fixed when it was made from the member's preference then. */
    delivery: notificationDelivery('delivery').notNull(),
    /** When it went out by mail, alone or in a digest. */
    mailedAt: timestamptz('mailed_at'),
    readAt: timestamptz('read_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.id.desc().nullsFirst()),
    index('notifications_digest_idx').on(t.userId, t.id).where(sql`${t.delivery} = 'digest' and ${t.mailedAt} is null`),
  ],
)

/** A member's choice per kind; a kind without a row uses the default in the notifications module. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: notificationKind('kind').notNull(),
    delivery: notificationDelivery('delivery').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
)

export const watchLevel = pgEnum('watch_level', WATCH_LEVELS)
export type WatchLevel = (typeof watchLevel.enumValues)[number]

/** A member watching or muting one thread or one category. */
export const watches = pgTable(
  'watches',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    questionId: integer('question_id').references(() => questions.id, { onDelete: 'cascade' }),
    categoryId: integer('category_id').references(() => categories.id, { onDelete: 'cascade' }),
    level: watchLevel('level').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('watches_one_target_check', sql`(${t.questionId} is null) <> (${t.categoryId} is null)`),
    uniqueIndex('watches_user_question_idx').on(t.userId, t.questionId).where(sql`${t.questionId} is not null`),
    uniqueIndex('watches_user_category_idx').on(t.userId, t.categoryId).where(sql`${t.categoryId} is not null`),
    index('watches_question_idx').on(t.questionId).where(sql`${t.questionId} is not null`),
    index('watches_category_idx').on(t.categoryId).where(sql`${t.categoryId} is not null`),
  ],
)
