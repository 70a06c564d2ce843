import { and, eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { questions, questionVotes } from '#db/schema/index'
import { touchThread } from './thread.server'
import { memberViewerSql, questionVisibleSql } from './visibility.server'

export type QuestionVoteResult = { ok: true; score: number } | { ok: false; reason: 'not-found' | 'own-question' }

/**
 * Sets the voter's vote on a question (+1, -1, or 0 to take it back) and moves the question's score
 * by the difference, in one transaction, as voteOnAnswer does for answers. 'not-found' when the
 * voter may not see the question (hidden or removed from them), 'own-question' for the asker.
 * Touching the thread moves its revision, so a cached page shows the new score.
 */
export async function voteOnQuestion({ questionId, voterId, value }: { questionId: number; voterId: number; value: -1 | 0 | 1 }): Promise<QuestionVoteResult> {
  return db.transaction(async (tx) => {
    // The row lock serialises concurrent votes on one question, so the score stays the sum.
    const [question] = await tx
      .select({ authorId: questions.authorId })
      .from(questions)
      .where(and(eq(questions.id, questionId), questionVisibleSql(memberViewerSql(voterId))))
      .for('update')
    if (!question) return { ok: false, reason: 'not-found' }
    if (question.authorId === voterId) return { ok: false, reason: 'own-question' }
    const [existing] = await tx
      .select({ value: questionVotes.value })
      .from(questionVotes)
      .where(and(eq(questionVotes.questionId, questionId), eq(questionVotes.userId, voterId)))
    const delta = value - (existing?.value ?? 0)
    if (value === 0) {
      await tx.delete(questionVotes).where(and(eq(questionVotes.questionId, questionId), eq(questionVotes.userId, voterId)))
    } else {
      await tx
        .insert(questionVotes)
        .values({ questionId, userId: voterId, value })
        .onConflictDoUpdate({ target: [questionVotes.questionId, questionVotes.userId], set: { value } })
    }
    await touchThread(tx, questionId, { set: { score: sql`${questions.score} + ${delta}` } })
    const [updated] = await tx.select({ score: questions.score }).from(questions).where(eq(questions.id, questionId))
    return { ok: true, score: updated.score }
  })
}
