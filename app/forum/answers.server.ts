import { and, eq, sql, type SQLWrapper } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { answers, answerVotes, postRevisions, questions } from '#db/schema/index'
import { blockedBetweenSql } from '~/moderation/blocks.server'
import { requestReviewAfterEdit } from '~/moderation/edit-review.server'
import type { PostGate } from '~/moderation/posting-gate.server'
import { flagPost, queuePostForApproval } from '~/moderation/queued-post.server'
import { censorPost } from '~/moderation/watched-words.server'
import { notifyAnswerAccepted, notifyAnswerOfficial, notifyMentionsAddedByEdit, renderPost } from '~/notifications/events.server'
import { answerCountedSet, answerPublished } from './publishing.server'
import { touchThread } from './thread.server'
import { answerIdVisibleSql, memberViewerSql, questionVisibleSql } from './visibility.server'

/** Why a member may not answer a question that they can see. */
export class AnswerRefused extends Error {
  constructor(readonly reason: 'locked' | 'blocked') {
    super(`answer refused: ${reason}`)
  }
}

/**
 * Why this member may not answer a question, as SQL on the questions row: it is gone or hidden
 * from them, the thread is locked, or one of the two blocked the other.
 */
const refusalSql = (authorId: number) => ({
  // As a member sees it, whatever their role: nobody answers into a hidden or removed thread, where
  // the answer would reach only moderators.
  unavailable: sql<boolean>`not ${questionVisibleSql({ id: authorId, moderates: false })}`,
  locked: sql<boolean>`${questions.lockedAt} is not null`,
  blocked: blockedBetweenSql(questions.authorId, authorId),
})

/**
 * Adds the answer unless the member may not answer, checked in the statement that locks the
 * question row, so a lock or block committed meanwhile cannot be slipped past. Null when the
 * question is gone or hidden from them; throws AnswerRefused when it is locked or there is a block.
 * With a "queue" gate (decision 031) the answer is stored waiting for approval: the thread is not
 * counted, touched or told until a moderator approves it.
 */
export async function createAnswer({
  questionId,
  authorId,
  bodySource,
  gate = { action: 'publish', flags: [] },
}: {
  questionId: number
  authorId: number
  bodySource: string
  gate?: PostGate
}): Promise<{ id: number; queued: boolean } | null> {
  return db.transaction(async (tx) => {
      const now = new Date()
      const refusal = refusalSql(authorId)
      const allowed = and(sql`not ${refusal.unavailable}`, sql`not ${refusal.locked}`, sql`not ${refusal.blocked}`)
      const queued = gate.action === 'queue'
      // Touching the question first also serialises concurrent answers' counts; a held answer only locks the row.
      const [question] = queued
        ? await tx.select({ id: questions.id }).from(questions).where(and(eq(questions.id, questionId), allowed)).for('update')
        : await touchThread(tx, questionId, { set: answerCountedSet(now), where: allowed })
      if (!question) {
        const refusal = await answerRefusal({ questionId, authorId }, tx)
        if (refusal === 'locked' || refusal === 'blocked') throw new AnswerRefused(refusal)
        return null
      }
      const { html, mentionedIds } = await renderPost(tx, bodySource)
      const censored = await censorPost(tx, { html })
      const [answer] = await tx
        .insert(answers)
        .values({ questionId, authorId, bodySource, bodyHtml: censored.html, createdAt: now, queuedAt: queued ? now : null })
        .returning({ id: answers.id })
      if (gate.action === 'queue') {
        await queuePostForApproval(tx, { kind: 'answer', id: answer.id, authorId, reasons: [...gate.reasons, ...gate.flags], score: gate.score })
        return { id: answer.id, queued: true }
      }
      await answerPublished(tx, { questionId, answerId: answer.id, authorId, mentionedIds })
      await flagPost(tx, { kind: 'answer', id: answer.id, authorId, flags: gate.flags })
      return { id: answer.id, queued: false }
  })
}

/**
 * Why this member may not answer this question, if anything. The answer route asks before it counts
 * the attempt against the member's rate limit; createAnswer asks again under the row lock.
 */
export async function answerRefusal({ questionId, authorId }: { questionId: number; authorId: number }, tx: DbOrTx = db) {
  const [question] = await tx.select(refusalSql(authorId)).from(questions).where(eq(questions.id, questionId))
  if (!question || question.unavailable) return 'not-found' as const
  if (question.locked) return 'locked' as const
  if (question.blocked) return 'blocked' as const
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
      queuedAt: answers.queuedAt,
    })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(eq(answers.id, answerId))
    .limit(1)
  return answer ?? null
}

/**
 * Keeps the previous version as a revision, then writes the new one. With `asksForReview` (the
 * author editing their hidden answer) the edit also claims their one request for another review, in
 * the same transaction: 'review-edit-used' when it was already claimed.
 */
export async function updateAnswer({
  answerId,
  editorId,
  bodySource,
  asksForReview = false,
  flags = [],
}: {
  answerId: number
  editorId: number
  bodySource: string
  asksForReview?: boolean
  /** Watched words the edit added that open a queue item on the answer (the gate's verdict). */
  flags?: string[]
}) {
  return db.transaction(async (tx) => {
      if (asksForReview && !(await requestReviewAfterEdit(tx, 'answer', answerId))) return 'review-edit-used' as const
      const [previous] = await tx
        .select({ questionId: answers.questionId, bodySource: answers.bodySource, bodyHtml: answers.bodyHtml, authorId: answers.authorId })
        .from(answers)
        .where(eq(answers.id, answerId))
        .for('update')
      if (!previous) return null
      const { authorId, ...revision } = previous
      await tx.insert(postRevisions).values({ postKind: 'answer', postId: answerId, editorId, ...revision })
      await flagPost(tx, { kind: 'answer', id: answerId, authorId, flags })
      const now = new Date()
      const censored = await censorPost(tx, { html: (await renderPost(tx, bodySource)).html })
      await tx.update(answers).set({ bodySource, bodyHtml: censored.html, editedAt: now }).where(eq(answers.id, answerId))
      await touchThread(tx, previous.questionId, { set: { lastActivityAt: now } })
      await notifyMentionsAddedByEdit(tx, { questionId: previous.questionId, answerId, editorId, before: previous.bodySource, after: bodySource })
      return { id: answerId, questionId: previous.questionId }
  })
}

export type VoteResult = { ok: true; score: number } | { ok: false; reason: 'not-found' | 'own-answer' }

/**
 * Sets the voter's vote (+1, -1, or 0 to take it back) and moves the score by the difference.
 * 'not-found' unless the answer is on `questionId` (when given) and the voter may see it: a hidden
 * answer, or one in a removed thread, takes no votes from those it is hidden from.
 */
export async function voteOnAnswer({ answerId, questionId, voterId, value }: { answerId: number; questionId?: number; voterId: number; value: -1 | 0 | 1 }): Promise<VoteResult> {
  return db.transaction(async (tx) => {
      const [answer] = await tx
        .select({ authorId: answers.authorId, questionId: answers.questionId })
        .from(answers)
        .where(and(eq(answers.id, answerId), answerIdVisibleSql(memberViewerSql(voterId), answers.id, questionId)))
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
      await touchThread(tx, answer.questionId)
      return { ok: true, score: updated.score }
  })
}

/**
 * True in SQL when the actor may set `answerId` (or null, for "none") on the question: they may see
 * the question, and the answer is on it and visible to them.
 */
const mayPick = (questionId: number, answerId: number | null, actorId: number | SQLWrapper) => {
  const actor = memberViewerSql(actorId)
  return and(questionVisibleSql(actor), answerId === null ? undefined : answerIdVisibleSql(actor, answerId, questionId))
}

/**
 * Accepts `answerId` on its question (moving acceptance from any other answer), or removes the
 * acceptance when `answerId` is null. Returns false when the answer is not on that question, or the
 * actor (the asker when not given) may not see the question or the answer.
 */
export async function setAcceptedAnswer({ questionId, answerId, actorId }: { questionId: number; answerId: number | null; actorId?: number }) {
  const now = new Date()
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ acceptedAnswerId: questions.acceptedAnswerId, authorId: questions.authorId }).from(questions).where(eq(questions.id, questionId)).for('update')
    // Solved and official status are search filters: touching the thread reindexes it.
    const updated = await touchThread(tx, questionId, {
      set: answerId === null ? { acceptedAnswerId: null, acceptedAt: null } : { acceptedAnswerId: answerId, acceptedAt: now, lastActivityAt: now },
      where: mayPick(questionId, answerId, actorId ?? questions.authorId),
    })
    // The asker accepts (or staff for them); a second click on the same answer tells nobody again.
    if (updated.length > 0 && answerId !== null && before.acceptedAnswerId !== answerId) await notifyAnswerAccepted(tx, { answerId, actorId: actorId ?? before.authorId })
    return updated.length > 0
  })
}

/** Marks (or with null, unmarks) the staff's official answer, recording who marked it; false as setAcceptedAnswer. */
export async function setOfficialAnswer({ questionId, answerId, staffId }: { questionId: number; answerId: number | null; staffId: number }) {
  const now = new Date()
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ officialAnswerId: questions.officialAnswerId }).from(questions).where(eq(questions.id, questionId)).for('update')
    const updated = await touchThread(tx, questionId, {
      set:
        answerId === null
          ? { officialAnswerId: null, officialMarkedById: null, officialMarkedAt: null }
          : { officialAnswerId: answerId, officialMarkedById: staffId, officialMarkedAt: now, lastActivityAt: now },
      where: mayPick(questionId, answerId, staffId),
    })
    if (updated.length > 0 && answerId !== null && before.officialAnswerId !== answerId) await notifyAnswerOfficial(tx, { answerId, actorId: staffId })
    return updated.length > 0
  })
}
