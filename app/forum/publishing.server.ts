import { and, eq, isNotNull, sql } from 'drizzle-orm'
import type { DbOrTx } from '#db/client.server'
import { answers, questions } from '#db/schema/index'
import { queueSearchIndex } from '#search/index.server'
import { notifyNewAnswer, notifyNewQuestion, renderPost } from '~/notifications/events.server'
import { publish } from '~/platform/realtime/publish.server'
import { touchThread } from './thread.server'

/**
 * What happens when a post goes public (decision 031): the same effects whether it was published at
 * once or approved from the queue, so an approved post notifies, indexes and counts exactly as a
 * post that never waited.
 */

/** A question goes public: search learns of it, watchers and mentioned members are told. */
export async function questionPublished(tx: DbOrTx, { question, authorId, categoryId, mentionedIds }: { question: { id: number; title: string }; authorId: number; categoryId: number; mentionedIds: number[] }) {
  await queueSearchIndex(tx, question.id)
  await notifyNewQuestion(tx, { question, authorId, categoryId, mentionedIds })
}

/** The thread's side of a new answer: its count, its activity, off the staff's unanswered watch. */
export const answerCountedSet = (now: Date) => ({
  answerCount: sql`${questions.answerCount} + 1`,
  lastActivityAt: now,
  unansweredFlaggedAt: null,
  unansweredClaimedById: null,
})

/** An answer goes public (its thread already counted it): the asker, watchers and mentioned members are told, open pages hear of it. */
export async function answerPublished(tx: DbOrTx, { questionId, answerId, authorId, mentionedIds }: { questionId: number; answerId: number; authorId: number; mentionedIds: number[] }) {
  await notifyNewAnswer(tx, { questionId, answerId, authorId, mentionedIds })
  // Heard at commit: open thread pages offer to show it, loading it through their own loader.
  await publish(tx, { topic: `thread:${questionId}`, payload: { answerId, authorId } })
}

/**
 * Publishes a post that waited for approval, keeping its original created time, and runs the
 * effects a post published at once runs. False when it is not waiting (any more).
 */
export async function publishQueuedPost(tx: DbOrTx, { kind, id }: { kind: 'question' | 'answer'; id: number }) {
  const now = new Date()
  if (kind === 'question') {
    const [question] = await tx
      .update(questions)
      // Its time in the lists is now, when readers first see it; created_at stays when it was written.
      .set({ queuedAt: null, lastActivityAt: now })
      .where(and(eq(questions.id, id), isNotNull(questions.queuedAt)))
      .returning({ id: questions.id, title: questions.title, authorId: questions.authorId, categoryId: questions.categoryId, bodySource: questions.bodySource })
    if (!question) return false
    const { mentionedIds } = await renderPost(tx, question.bodySource)
    await touchThread(tx, id)
    await notifyNewQuestion(tx, { question, authorId: question.authorId, categoryId: question.categoryId, mentionedIds })
    return true
  }
  const [answer] = await tx
    .update(answers)
    .set({ queuedAt: null })
    .where(and(eq(answers.id, id), isNotNull(answers.queuedAt)))
    .returning({ id: answers.id, questionId: answers.questionId, authorId: answers.authorId, bodySource: answers.bodySource })
  if (!answer) return false
  await touchThread(tx, answer.questionId, { set: answerCountedSet(now) })
  const { mentionedIds } = await renderPost(tx, answer.bodySource)
  await answerPublished(tx, { questionId: answer.questionId, answerId: answer.id, authorId: answer.authorId, mentionedIds })
  return true
}
