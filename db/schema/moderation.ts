import { sql } from 'drizzle-orm'
import { cidr, index, integer, pgEnum, pgTable, primaryKey, real, smallint, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core'
import { timestamptz } from './columns'
import { users } from './users'
import { WATCHED_WORD_ACTIONS, REVIEW_ITEM_KINDS, REVIEW_ITEM_STATUSES, REPORT_REASONS, REPORT_STATUSES, MODERATION_TARGET_KINDS, MODERATION_ACTION_KINDS, SCREENED_KINDS, SCREENING_ACTIONS, PENALTY_KINDS } from '../enums'

export const reviewItemKind = pgEnum('review_item_kind', REVIEW_ITEM_KINDS)
export const reviewItemStatus = pgEnum('review_item_status', REVIEW_ITEM_STATUSES)
export const reportReason = pgEnum('report_reason', REPORT_REASONS)
export const reportStatus = pgEnum('report_status', REPORT_STATUSES)
export const moderationTargetKind = pgEnum('moderation_target_kind', MODERATION_TARGET_KINDS)
export const moderationActionKind = pgEnum('moderation_action_kind', MODERATION_ACTION_KINDS)
export const watchedWordAction = pgEnum('watched_word_action', WATCHED_WORD_ACTIONS)
export const screenedKind = pgEnum('screened_kind', SCREENED_KINDS)
export const screeningAction = pgEnum('screening_action', SCREENING_ACTIONS)
export const penaltyKind = pgEnum('penalty_kind', PENALTY_KINDS)

/**
 * One queue item per thing to decide (Discourse's reviewable): every open report on the same
 * target merges into one pending item; an appeal or a conflict case is an item of its own.
 * `version` is the optimistic lock: an action names the version it saw, and only one of two
 * moderators acting at once takes effect.
 */
export const reviewItems = pgTable(
  'review_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: reviewItemKind('kind').notNull(),
    status: reviewItemStatus('status').notNull().default('pending'),
    version: integer('version').notNull().default(0),
    targetKind: moderationTargetKind('target_kind'),
    targetId: integer('target_id'),
    /** The member the item is about: the content's author, the reported member, the appellant, the other party. */
    targetUserId: integer('target_user_id').references(() => users.id),
    /** Who opened it: the appellant or the member asking for help (reports have many reporters). */
    openedById: integer('opened_by_id').references(() => users.id),
    score: real('score').notNull().default(0),
    /** 0 first: harassment and copyright reports jump the queue. */
    urgency: smallint('urgency').notNull().default(1),
    /** The reasons reported so far, for filtering by reason. */
    reasons: reportReason('reasons').array().notNull().default(sql`'{}'`),
    moderationActionId: integer('moderation_action_id').references((): AnyPgColumn => moderationActions.id),
    statement: text('statement'),
    claimedById: integer('claimed_by_id').references(() => users.id),
    claimedAt: timestamptz('claimed_at'),
    resolution: text('resolution'),
    resolutionReason: text('resolution_reason'),
    resolvedById: integer('resolved_by_id').references(() => users.id),
    resolvedAt: timestamptz('resolved_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('review_items_one_pending_report_idx')
      .on(t.targetKind, t.targetId)
      .where(sql`${t.kind} = 'report' and ${t.status} = 'pending'`),
    // One appeal per moderation action, whatever its outcome.
    uniqueIndex('review_items_one_appeal_idx').on(t.moderationActionId),
    // The queue's order as one ascending key (score negated), so a keyset bound on the row value
    // (urgency, -score, created_at, id) is one range of this index: page 1,000 reads 51 entries.
    index('review_items_queue_idx')
      .on(t.urgency, sql`(-${t.score})`, t.createdAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    index('review_items_resolved_idx')
      .on(t.resolvedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.status} = 'resolved'`),
    index('review_items_target_user_idx').on(t.targetUserId, t.createdAt.desc().nullsFirst()),
  ],
)

export const reports = pgTable(
  'reports',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    reviewItemId: integer('review_item_id')
      .notNull()
      .references(() => reviewItems.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => users.id),
    targetKind: moderationTargetKind('target_kind').notNull(),
    targetId: integer('target_id').notNull(),
    reason: reportReason('reason').notNull(),
    note: text('note').notNull().default(''),
    /** Staff and long-standing members count for more. */
    weight: real('weight').notNull(),
    status: reportStatus('status').notNull().default('open'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    // One open report per member per target.
    uniqueIndex('reports_one_open_idx')
      .on(t.reporterId, t.targetKind, t.targetId)
      .where(sql`${t.status} = 'open'`),
    index('reports_item_idx').on(t.reviewItemId),
    index('reports_reporter_idx').on(t.reporterId, t.createdAt.desc().nullsFirst()),
  ],
)

/**
 * The audit log: append-only (a trigger in the migration refuses UPDATE and DELETE). A reversal
 * is a new row that names the action it reverses.
 */
export const moderationActions = pgTable(
  'moderation_actions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** Null when Parley acted on its own (hiding content past the report threshold, purging). */
    moderatorId: integer('moderator_id').references(() => users.id),
    action: moderationActionKind('action').notNull(),
    targetKind: moderationTargetKind('target_kind').notNull(),
    targetId: integer('target_id').notNull(),
    targetUserId: integer('target_user_id').references(() => users.id),
    reason: text('reason').notNull(),
    reviewItemId: integer('review_item_id').references((): AnyPgColumn => reviewItems.id),
    reversesActionId: integer('reverses_action_id').references((): AnyPgColumn => moderationActions.id),
    durationDays: integer('duration_days'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('moderation_actions_created_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('moderation_actions_target_user_idx').on(t.targetUserId, t.createdAt.desc().nullsFirst()),
    index('moderation_actions_moderator_idx').on(t.moderatorId, t.createdAt.desc().nullsFirst()),
    index('moderation_actions_reverses_idx').on(t.reversesActionId),
  ],
)

/** The people in a conflict case: only they and moderators see its thread. */
export const conflictParties = pgTable(
  'conflict_parties',
  {
    reviewItemId: integer('review_item_id')
      .notNull()
      .references(() => reviewItems.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.reviewItemId, t.userId] }), index('conflict_parties_user_idx').on(t.userId)],
)

export const conflictMessages = pgTable(
  'conflict_messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    reviewItemId: integer('review_item_id')
      .notNull()
      .references(() => reviewItems.id),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    bodySource: text('body_source').notNull(),
    bodyHtml: text('body_html').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('conflict_messages_item_idx').on(t.reviewItemId, t.createdAt)],
)

/** A blocks B: neither may answer the other's questions. A moderator's mutual block is two rows. */
export const userBlocks = pgTable(
  'user_blocks',
  {
    blockerId: integer('blocker_id')
      .notNull()
      .references(() => users.id),
    blockedId: integer('blocked_id')
      .notNull()
      .references(() => users.id),
    /** Set when a moderator imposed it; the member cannot lift it themselves. */
    moderationActionId: integer('moderation_action_id').references(() => moderationActions.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] }), index('user_blocks_blocked_idx').on(t.blockedId)],
)

/**
 * Words (or phrases) admins watch for, each with what it does to a post (decision 031). Matched as
 * whole words after folding case, compatibility forms and diacritics; `word` is stored folded, so
 * one word has one row whatever its action.
 */
export const watchedWords = pgTable(
  'watched_words',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    word: text('word').notNull(),
    action: watchedWordAction('action').notNull(),
    createdById: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('watched_words_word_idx').on(t.word)],
)

/** Admins' changes to the spam rules' weights and thresholds; a setting without a row uses its default. */
export const spamSettings = pgTable('spam_settings', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
  updatedById: integer('updated_by_id').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
})

/**
 * Screened addresses, domains and IP ranges (Discourse's screened_emails / screened_ip_addresses):
 * checked at sign-up and at posting. `value` is the lower-cased address or domain; an IP entry
 * keeps its range in `ip_range` so `<<=` (is contained by) matches any address in it.
 */
export const screenedEntries = pgTable(
  'screened_entries',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: screenedKind('kind').notNull(),
    value: text('value').notNull(),
    ipRange: cidr('ip_range'),
    action: screeningAction('action').notNull(),
    reason: text('reason').notNull().default(''),
    /** The delete-spammer decision that added it, if any. */
    moderationActionId: integer('moderation_action_id').references(() => moderationActions.id),
    createdById: integer('created_by_id').references(() => users.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('screened_entries_kind_value_idx').on(t.kind, t.value), index('screened_entries_created_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())],
)

/** Canned reasons: a name, the reason text the member is told, and a default silence or suspension. */
export const penaltyTemplates = pgTable(
  'penalty_templates',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    reason: text('reason').notNull(),
    penalty: penaltyKind('penalty').notNull().default('none'),
    days: integer('days'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('penalty_templates_name_idx').on(sql`lower(${t.name})`)],
)

/** Staff notes on a member: seen only by moderators, on the member's moderation page. */
export const staffNotes = pgTable(
  'staff_notes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('staff_notes_user_idx').on(t.userId, t.createdAt.desc().nullsFirst())],
)
