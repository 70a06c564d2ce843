import { sql, type SQL } from 'drizzle-orm'
import { boolean, customType, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamptz } from './columns'
import { questions } from './forum'

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

/**
 * The PostgreSQL search engine's index: one row per visible question, with its answers' text,
 * written by the search.index job after the post's transaction commits. Hidden, removed and
 * ticket content never gets a row.
 */
export const searchDocuments = pgTable(
  'search_documents',
  {
    questionId: integer('question_id')
      .primaryKey()
      .references(() => questions.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** The question's and its visible answers' plain text. */
    body: text('body').notNull(),
    categoryId: integer('category_id').notNull(),
    tagNames: text('tag_names').array().notNull(),
    authorUsername: text('author_username').notNull(),
    answerCount: integer('answer_count').notNull(),
    hasAcceptedAnswer: boolean('has_accepted_answer').notNull(),
    hasOfficialAnswer: boolean('has_official_answer').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    lastActivityAt: timestamptz('last_activity_at').notNull(),
    /** Title words weigh more than body words. */
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs((): SQL => sql`setweight(to_tsvector('english', ${searchDocuments.title}), 'A') || setweight(to_tsvector('english', ${searchDocuments.body}), 'B')`),
  },
  (t) => [
    index('search_documents_vector_idx').using('gin', t.searchVector),
    index('search_documents_title_trgm_idx').using('gin', sql`${t.title} gin_trgm_ops`),
    index('search_documents_tags_idx').using('gin', t.tagNames),
    index('search_documents_category_idx').on(t.categoryId, t.lastActivityAt.desc().nullsFirst()),
  ],
)

/** Every word the index holds, so a misspelled query word can be corrected to its nearest one (pg_trgm). */
export const searchTerms = pgTable(
  'search_terms',
  {
    term: text('term').primaryKey(),
  },
  (t) => [index('search_terms_trgm_idx').using('gin', sql`${t.term} gin_trgm_ops`)],
)
