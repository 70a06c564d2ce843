import { integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamptz } from './columns'
import { users } from './users'

/**
 * What a member is writing and has not posted yet: one row per member and composer ("question:new",
 * "answer:<questionId>", "ticket:new", "ticket-reply:<number>"). Saved as they type, deleted when the
 * post goes out or they discard it; never shown to anyone else.
 */
export const drafts = pgTable(
  'drafts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    title: text('title'),
    body: text('body').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('drafts_user_key_unique').on(t.userId, t.key)],
)
