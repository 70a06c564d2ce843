import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'
import { timestamptz } from './columns'
import { users } from './users'
import { POST_KINDS } from '../enums'

export const categories = pgTable('categories', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  position: integer('position').notNull().default(0),
})

export const tags = pgTable('tags', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull().unique(),
})

export const questions = pgTable(
  'questions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id),
    title: text('title').notNull(),
    bodySource: text('body_source').notNull(),
    bodyHtml: text('body_html').notNull(),
    // Denormalised so that lists filter and sort on indexed columns of one table.
    answerCount: integer('answer_count').notNull().default(0),
    /** Sum of question_votes, moved in the same transaction as the vote (as answers.score is). */
    score: integer('score').notNull().default(0),
    acceptedAnswerId: integer('accepted_answer_id').references((): AnyPgColumn => answers.id, {
      onDelete: 'set null',
    }),
    acceptedAt: timestamptz('accepted_at'),
    officialAnswerId: integer('official_answer_id').references((): AnyPgColumn => answers.id, {
      onDelete: 'set null',
    }),
    officialMarkedById: integer('official_marked_by_id').references(() => users.id),
    officialMarkedAt: timestamptz('official_marked_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    editedAt: timestamptz('edited_at'),
    lastActivityAt: timestamptz('last_activity_at').notNull().defaultNow(),
    /**
     * Bumped by every write that changes what the thread page shows (answers, edits, votes,
     * acceptance, official answer): cached renders of the page are valid while it is unchanged.
     */
    revision: integer('revision').notNull().default(0),
    // Moderation state. Hidden: the author and moderators still see it (with the reason); removed:
    // a soft delete, restorable until purged 30 days later.
    hiddenAt: timestamptz('hidden_at'),
    hiddenReason: text('hidden_reason'),
    /** The author of hidden content may edit it once to ask for another review. */
    reviewEditUsed: boolean('review_edit_used').notNull().default(false),
    removedAt: timestamptz('removed_at'),
    removedReason: text('removed_reason'),
    purgedAt: timestamptz('purged_at'),
    /**
     * Set while the post waits in the approval queue (decision 031): like hidden, only its author
     * and moderators see it, and nothing else (notifications, search, counters) has happened yet.
     */
    queuedAt: timestamptz('queued_at'),
    lockedAt: timestamptz('locked_at'),
    lockedReason: text('locked_reason'),
    /** Set by the unanswered sweep when nobody answered in time; cleared by the first answer. */
    unansweredFlaggedAt: timestamptz('unanswered_flagged_at'),
    /** The agent who said "I'll take this". */
    unansweredClaimedById: integer('unanswered_claimed_by_id').references(() => users.id),
  },
  (t) => [
    index('questions_activity_idx').on(t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('questions_category_activity_idx').on(t.categoryId, t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('questions_author_idx').on(t.authorId, t.createdAt.desc().nullsFirst()),
    // Partial indexes keep the filtered lists a short index scan however many questions exist.
    index('questions_unanswered_idx')
      .on(t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.answerCount} = 0`),
    index('questions_unsolved_idx')
      .on(t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.acceptedAnswerId} is null and ${t.officialAnswerId} is null`),
    index('questions_unanswered_flagged_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.unansweredFlaggedAt} is not null`),
    index('questions_solved_idx')
      .on(t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.acceptedAnswerId} is not null or ${t.officialAnswerId} is not null`),
  ],
)

export const questionTags = pgTable(
  'question_tags',
  {
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.tagId] }), index('question_tags_tag_idx').on(t.tagId, t.questionId)],
)

export const answers = pgTable(
  'answers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    bodySource: text('body_source').notNull(),
    bodyHtml: text('body_html').notNull(),
    score: integer('score').notNull().default(0),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    editedAt: timestamptz('edited_at'),
    // Moderation state. Hidden: the author and moderators still see it (with the reason); removed:
    // a soft delete, restorable until purged 30 days later.
    hiddenAt: timestamptz('hidden_at'),
    hiddenReason: text('hidden_reason'),
    /** The author of hidden content may edit it once to ask for another review. */
    reviewEditUsed: boolean('review_edit_used').notNull().default(false),
    removedAt: timestamptz('removed_at'),
    removedReason: text('removed_reason'),
    purgedAt: timestamptz('purged_at'),
    /**
     * Set while the post waits in the approval queue (decision 031): like hidden, only its author
     * and moderators see it, and nothing else (notifications, search, counters) has happened yet.
     */
    queuedAt: timestamptz('queued_at'),
  },
  (t) => [index('answers_question_idx').on(t.questionId, t.id), index('answers_author_idx').on(t.authorId, t.createdAt.desc().nullsFirst())],
)

export const answerVotes = pgTable(
  'answer_votes',
  {
    answerId: integer('answer_id')
      .notNull()
      .references(() => answers.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    value: smallint('value').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.answerId, t.userId] }), check('answer_votes_value_check', sql`${t.value} in (-1, 1)`)],
)

/** Votes on questions, the same shape and rules as answer votes. */
export const questionVotes = pgTable(
  'question_votes',
  {
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    value: smallint('value').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] }), check('question_votes_value_check', sql`${t.value} in (-1, 1)`)],
)

export const postKind = pgEnum('post_kind', POST_KINDS)

/** The state of a post before each edit; the current state lives on the post itself. */
export const postRevisions = pgTable(
  'post_revisions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    postKind: postKind('post_kind').notNull(),
    postId: integer('post_id').notNull(),
    // The thread the post belongs to, so one query loads a whole thread's history.
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    editorId: integer('editor_id')
      .notNull()
      .references(() => users.id),
    title: text('title'),
    bodySource: text('body_source').notNull(),
    bodyHtml: text('body_html').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('post_revisions_question_idx').on(t.questionId, t.createdAt), uniqueIndex('post_revisions_post_idx').on(t.postKind, t.postId, t.id)],
)
