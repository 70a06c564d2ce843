import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { timestamptz } from './columns'

export const userRole = pgEnum('user_role', ['member', 'moderator', 'agent', 'admin'])
export type UserRole = (typeof userRole.enumValues)[number]

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    username: text('username').notNull(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: userRole('role').notNull().default('member'),
    // Only agents have a support tier; the check keeps that true whatever writes the row.
    supportTier: smallint('support_tier'),
    isPremium: boolean('is_premium').notNull().default(false),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    // Moderation restrictions: a suspended or banned member can read, use their tickets and appeal,
    // but cannot post, answer, vote or report. The reasons are shown to them.
    suspendedUntil: timestamptz('suspended_until'),
    suspensionReason: text('suspension_reason'),
    bannedAt: timestamptz('banned_at'),
    banReason: text('ban_reason'),
  },
  (t) => [
    // Case-insensitive uniqueness: "Alice" and "alice" are the same person to readers.
    uniqueIndex('users_username_lower_idx').on(sql`lower(${t.username})`),
    uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`),
    check('users_support_tier_check', sql`${t.supportTier} is null or ${t.supportTier} between 1 and 3`),
  ],
)

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: timestamptz('expires_at').notNull(),
})

/** Fixed-window counters shared by every server process (login attempts now, more limits later). */
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    key: text('key').notNull(),
    windowStartAt: timestamptz('window_start_at').notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStartAt] })],
)
