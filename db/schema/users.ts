import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  index,
  inet,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { timestamptz } from './columns'
import { USER_ROLES, MESSAGE_POLICY_VALUES, ACCOUNT_TOKEN_PURPOSES, THEMES } from '../enums'

export const userRole = pgEnum('user_role', USER_ROLES)
export type UserRole = (typeof userRole.enumValues)[number]

/** Who may start a private conversation with a member (and @mention them with a notification). */
export const messagePolicy = pgEnum('message_policy', MESSAGE_POLICY_VALUES)
export type MessagePolicy = (typeof messagePolicy.enumValues)[number]

export const themePreference = pgEnum('theme_preference', THEMES)

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
    // Silenced: can log in, read and appeal, but not post, answer, vote or report (decision 032).
    silencedUntil: timestamptz('silenced_until'),
    silenceReason: text('silence_reason'),
    // Where the member signed up from and last posted from: screening and linked accounts.
    signupIp: inet('signup_ip'),
    lastPostIp: inet('last_post_ip'),
    // Profile, shown on /u/:username and beside posts.
    displayName: text('display_name'),
    bioSource: text('bio_source').notNull().default(''),
    bioHtml: text('bio_html').notNull().default(''),
    /** A file name under AVATAR_DIR, or null for the default avatar. */
    avatarPath: text('avatar_path'),
    /** Null until the member follows the link mailed to their current address. */
    emailVerifiedAt: timestamptz('email_verified_at'),
    /**
     * Set once the member's posts no longer wait for approval as a new member's (decision 031): when
     * enough of their posts were published, or for accounts that existed before the approval queue.
     */
    trustedAt: timestamptz('trusted_at'),
    /** Kept beside the notifications so the bell on every page costs no query of its own. */
    unreadNotificationCount: integer('unread_notification_count').notNull().default(0),
    // Privacy.
    hideActivity: boolean('hide_activity').notNull().default(false),
    messagePolicy: messagePolicy('message_policy').notNull().default('everyone'),
    /** Light, dark, or the device's choice; read with the session, so rendering it costs no query. */
    theme: themePreference('theme').notNull().default('system'),
    /** The IANA zone times are shown in; null follows the browser's zone (decision 026). */
    timeZone: text('time_zone'),
    /** Deactivated: hidden and logged out until the member logs in again. */
    deactivatedAt: timestamptz('deactivated_at'),
    /** Deletion asked for: the account is deactivated and anonymised 30 days later unless they log in. */
    deletionRequestedAt: timestamptz('deletion_requested_at'),
    /** Anonymised: personal data gone, posts shown as by "deleted member". */
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [
    // Case-insensitive uniqueness: "Alice" and "alice" are the same person to readers. Deleted
    // accounts all share the name "deleted member" and an address that is no longer theirs.
    uniqueIndex('users_username_lower_idx').on(sql`lower(${t.username})`).where(sql`${t.deletedAt} is null`),
    uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`).where(sql`${t.deletedAt} is null`),
    index('users_signup_ip_idx').on(t.signupIp),
    index('users_last_post_ip_idx').on(t.lastPostIp),
    index('users_email_domain_idx').on(sql`lower(split_part(${t.email}, '@', 2))`),
    index('users_deletion_due_idx').on(t.deletionRequestedAt).where(sql`${t.deletionRequestedAt} is not null and ${t.deletedAt} is null`),
    check('users_support_tier_check', sql`${t.supportTier} is null or ${t.supportTier} between 1 and 3`),
  ],
)

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: timestamptz('expires_at').notNull(),
  // Shown on /settings/sessions so a member can tell their devices apart.
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  userAgent: text('user_agent'),
  ipAddress: text('ip_address'),
})

/** Fixed-window counters shared by every server process, one row per limit key and window. */
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    key: text('key').notNull(),
    windowStartAt: timestamptz('window_start_at').notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStartAt] })],
)

/**
 * Admins' changes to the rate limits; a limit without a row uses the default in
 * app/rate-limits/counter.server.ts.
 */
export const rateLimitRules = pgTable('rate_limit_rules', {
  name: text('name').primaryKey(),
  maxHits: integer('max_hits').notNull(),
  windowSeconds: integer('window_seconds').notNull(),
  updatedById: integer('updated_by_id').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
})

export const accountTokenPurpose = pgEnum('account_token_purpose', ACCOUNT_TOKEN_PURPOSES)

/**
 * Single-use tokens mailed to a member. Only a SHA-256 of the token is stored, so a copy of the
 * database cannot be used to reset anyone's password.
 */
export const accountTokens = pgTable(
  'account_tokens',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: accountTokenPurpose('purpose').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The address the token was mailed to: verifying it proves that address, not a later one. */
    email: text('email').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('account_tokens_hash_idx').on(t.tokenHash), index('account_tokens_user_idx').on(t.userId, t.purpose)],
)
