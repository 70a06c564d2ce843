import { and, asc, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db } from '#db/client.server'
import { categories, questions, users } from '#db/schema/index'
import { encodeCursor, type Cursor } from '~/platform/cursor'
import { env } from '~/platform/env.server'
import { questionPublicSql } from './visibility.server'

const PAGE_SIZE = 50
const isFlagged = sql`${questions.unansweredFlaggedAt} is not null`

/**
 * The unanswered watch: questions nobody answered within UNANSWERED_AFTER_HOURS are flagged for
 * support staff. Runs as a job every five minutes; the first answer clears the flag.
 */
export async function sweepUnansweredQuestions(now = new Date()) {
  const cutoff = new Date(now.getTime() - env.unansweredAfterHours * 60 * 60 * 1000)
  const flagged = await db
    .update(questions)
    .set({ unansweredFlaggedAt: now })
    .where(
      and(
        eq(questions.answerCount, 0),
        sql`${questions.unansweredFlaggedAt} is null`,
        sql`${questions.createdAt} <= ${cutoff.toISOString()}::timestamptz`,
        questionPublicSql(),
      ),
    )
    .returning({ id: questions.id })
  return flagged.length
}

/** Flagged questions, longest waiting first, keyset-paginated on the flag's partial index; one query. */
export async function listUnansweredQuestions({ after }: { after?: Cursor | null } = {}) {
  const claimer = alias(users, 'claimer')
  const rows = await db
    .select({
      id: questions.id,
      title: questions.title,
      createdAt: questions.createdAt,
      flaggedAt: questions.unansweredFlaggedAt,
      categoryName: categories.name,
      categorySlug: categories.slug,
      authorUsername: users.username,
      claimedById: questions.unansweredClaimedById,
      claimedByUsername: claimer.username,
    })
    .from(questions)
    .innerJoin(users, eq(users.id, questions.authorId))
    .innerJoin(categories, eq(categories.id, questions.categoryId))
    .leftJoin(claimer, eq(claimer.id, questions.unansweredClaimedById))
    .where(
      and(
        isFlagged,
        // A question hidden or removed after it was flagged is the moderators' business now.
        questionPublicSql(),
        after ? sql`(${questions.createdAt}, ${questions.id}) > (${after.at.toISOString()}::timestamptz, ${after.id})` : undefined,
      ),
    )
    // Longest waiting first: by when the question was asked.
    .orderBy(asc(questions.createdAt), asc(questions.id))
    .limit(PAGE_SIZE + 1)
  const page = rows.slice(0, PAGE_SIZE)
  const last = page.at(-1)
  return { questions: page, nextCursor: rows.length > PAGE_SIZE && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null }
}


/** "I'll take this": an agent claims a flagged question (or lets it go). False when it is no longer flagged. */
export async function claimUnansweredQuestion({ questionId, agentId, release = false }: { questionId: number; agentId: number; release?: boolean }) {
  const rows = await db
    .update(questions)
    .set({ unansweredClaimedById: release ? null : agentId })
    .where(and(eq(questions.id, questionId), isFlagged, release ? eq(questions.unansweredClaimedById, agentId) : undefined))
    .returning({ id: questions.id })
  return rows.length > 0
}

export async function countUnansweredQuestions() {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int`, unclaimed: sql<number>`count(*) filter (where ${questions.unansweredClaimedById} is null)::int` })
    .from(questions)
    .where(and(isFlagged, questionPublicSql()))
  return row
}
