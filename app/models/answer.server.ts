import { and, eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, answerVotes, postRevisions, questions, userBlocks } from '#db/schema/index'
import { queueSearchIndex } from '#search/index.server'
import { notifyAnswerAccepted, notifyAnswerOfficial, notifyMentionsAddedByEdit, notifyNewAnswer, renderPost } from '~/notifications/events.server'
import { bumpRevision } from './question.server'

export async function createAnswer({ questionId, authorId, bodySource }: { questionId: number; authorId: number; bodySource: string }) {
  return db.transaction(async (tx) => {
      const now = new Date()
      // Bumping the question first also proves it exists and serialises concurrent answers' counts.
      const [question] = await tx
        .update(questions)
        // The first answer also takes the question off the staff's unanswered watch.
        .set({ answerCount: sql`${questions.answerCount} + 1`, lastActivityAt: now, unansweredFlaggedAt: null, unansweredClaimedById: null, ...bumpRevision() })
        .where(eq(questions.id, questionId))
        .returning({ id: questions.id })
      if (!question) return null
      const [answer] = await tx
        .insert(answers)
        .values({ questionId, authorId, bodySource, bodyHtml: await renderPost(tx, bodySource), createdAt: now })
        .returning({ id: answers.id })
      await queueSearchIndex(tx, questionId)
      await notifyNewAnswer(tx, { questionId, answerId: answer.id, authorId, bodySource })
      return answer
  })
}

export type AnswerRefusal = 'not-found' | 'locked' | 'blocked'

/**
 * Why this member may not answer this question, if anything: it is gone or hidden from them, the
 * thread is locked, or one of the two blocked the other.
 */
export async function answerRefusal({ questionId, authorId }: { questionId: number; authorId: number }): Promise<AnswerRefusal | null> {
  const [question] = await db
    .select({
      authorId: questions.authorId,
      lockedAt: questions.lockedAt,
      unavailable: sql<boolean>`${questions.removedAt} is not null or (${questions.hiddenAt} is not null and ${questions.authorId} <> ${authorId})`,
      blocked: sql<boolean>`exists (select 1 from ${userBlocks} b where (b.blocker_id = ${questions.authorId} and b.blocked_id = ${authorId}) or (b.blocker_id = ${authorId} and b.blocked_id = ${questions.authorId}))`,
    })
    .from(questions)
    .where(eq(questions.id, questionId))
  if (!question || question.unavailable) return 'not-found'
  if (question.lockedAt) return 'locked'
  if (question.blocked) return 'blocked'
  return null
}

export async function getAnswer({ answerId }: { answerId: number }) {
  const [answer] = await db
    .select({
      id: answers.id,
      questionId: answers.questionId,
      questionTitle: questions.title,
      questionAuthorId: questions.authorId,
      authorId: answers.authorId,
      bodySource: answers.bodySource,
      hiddenAt: answers.hiddenAt,
      reviewEditUsed: answers.reviewEditUsed,
      // Removing the question removes its answers with it.
      removedAt: sql<Date | null>`coalesce(${answers.removedAt}, ${questions.removedAt})`,
    })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(eq(answers.id, answerId))
    .limit(1)
  return answer ?? null
}

export async function updateAnswer({ answerId, editorId, bodySource }: { answerId: number; editorId: number; bodySource: string }) {
  return db.transaction(async (tx) => {
      const [previous] = await tx
        .select({ questionId: answers.questionId, bodySource: answers.bodySource, bodyHtml: answers.bodyHtml })
        .from(answers)
        .where(eq(answers.id, answerId))
        .for('update')
      if (!previous) return null
      await tx.insert(postRevisions).values({ postKind: 'answer', postId: answerId, editorId, ...previous })
      const now = new Date()
      await tx.update(answers).set({ bodySource, bodyHtml: await renderPost(tx, bodySource), editedAt: now }).where(eq(answers.id, answerId))
      await tx.update(questions).set({ lastActivityAt: now, ...bumpRevision() }).where(eq(questions.id, previous.questionId))
      await queueSearchIndex(tx, previous.questionId)
      await notifyMentionsAddedByEdit(tx, { questionId: previous.questionId, answerId, editorId, before: previous.bodySource, after: bodySource })
      return { id: answerId, questionId: previous.questionId }
  })
}

export type VoteResult = { ok: true; score: number } | { ok: false; reason: 'not-found' | 'own-answer' }

/** Sets the voter's vote (+1, -1, or 0 to take it back) and moves the score by the difference. */
export async function voteOnAnswer({ answerId, voterId, value }: { answerId: number; voterId: number; value: -1 | 0 | 1 }): Promise<VoteResult> {
  return db.transaction(async (tx) => {
      const [answer] = await tx
        .select({ authorId: answers.authorId, questionId: answers.questionId })
        .from(answers)
        .where(eq(answers.id, answerId))
        .for('update')
      if (!answer) return { ok: false, reason: 'not-found' }
      if (answer.authorId === voterId) return { ok: false, reason: 'own-answer' }
      const [existing] = await tx
        .select({ value: answerVotes.value })
        .from(answerVotes)
        .where(and(eq(answerVotes.answerId, answerId), eq(answerVotes.userId, voterId)))
      const delta = value - (existing?.value ?? 0)
      if (value === 0) {
        await tx.delete(answerVotes).where(and(eq(answerVotes.answerId, answerId), eq(answerVotes.userId, voterId)))
      } else {
        await tx
          .insert(answerVotes)
          .values({ answerId, userId: voterId, value })
          .onConflictDoUpdate({ target: [answerVotes.answerId, answerVotes.userId], set: { value } })
      }
      const [updated] = await tx
        .update(answers)
        .set({ score: sql`${answers.score} + ${delta}` })
        .where(eq(answers.id, answerId))
        .returning({ score: answers.score })
      await tx.update(questions).set(bumpRevision()).where(eq(questions.id, answer.questionId))
      return { ok: true, score: updated.score }
  })
}

/** True in SQL when `answerId` (or null, for "none") may be set on the question. */
const answerBelongs = (questionId: number, answerId: number | null) =>
  answerId === null ? sql`true` : sql`exists (select 1 from ${answers} where ${answers.id} = ${answerId} and ${answers.questionId} = ${questionId})`

/**
 * Accepts `answerId` on its question (moving acceptance from any other answer), or removes the
 * acceptance when `answerId` is null. Returns false when the answer is not on that question.
 */
export async function setAcceptedAnswer({ questionId, answerId, actorId }: { questionId: number; answerId: number | null; actorId?: number }) {
  const now = new Date()
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ acceptedAnswerId: questions.acceptedAnswerId, authorId: questions.authorId }).from(questions).where(eq(questions.id, questionId)).for('update')
    const updated = await tx
      .update(questions)
      .set(
        answerId === null
          ? { acceptedAnswerId: null, acceptedAt: null, ...bumpRevision() }
          : { acceptedAnswerId: answerId, acceptedAt: now, lastActivityAt: now, ...bumpRevision() },
      )
      .where(and(eq(questions.id, questionId), answerBelongs(questionId, answerId)))
      .returning({ id: questions.id })
    // Solved and official status are search filters: the index follows in the same transaction.
    if (updated.length > 0) await queueSearchIndex(tx, questionId)
    // The asker accepts (or staff for them); a second click on the same answer tells nobody again.
    if (updated.length > 0 && answerId !== null && before.acceptedAnswerId !== answerId) await notifyAnswerAccepted(tx, { answerId, actorId: actorId ?? before.authorId })
    return updated.length > 0
  })
}

/** Marks (or with null, unmarks) the staff's official answer, recording who marked it. */
export async function setOfficialAnswer({ questionId, answerId, staffId }: { questionId: number; answerId: number | null; staffId: number }) {
  const now = new Date()
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ officialAnswerId: questions.officialAnswerId }).from(questions).where(eq(questions.id, questionId)).for('update')
    const updated = await tx
      .update(questions)
      .set(
        answerId === null
          ? { officialAnswerId: null, officialMarkedById: null, officialMarkedAt: null, ...bumpRevision() }
          : { officialAnswerId: answerId, officialMarkedById: staffId, officialMarkedAt: now, lastActivityAt: now, ...bumpRevision() },
      )
      .where(and(eq(questions.id, questionId), answerBelongs(questionId, answerId)))
      .returning({ id: questions.id })
    // Solved and official status are search filters: the index follows in the same transaction.
    if (updated.length > 0) await queueSearchIndex(tx, questionId)
    if (updated.length > 0 && answerId !== null && before.officialAnswerId !== answerId) await notifyAnswerOfficial(tx, { answerId, actorId: staffId })
    return updated.length > 0
  })
}
