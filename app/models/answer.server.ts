import { and, eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, answerVotes, postRevisions, questions } from '#db/schema/index'
import { renderMarkdown } from '~/utils/markdown.server'
import { bumpRevision } from './question.server'

export async function createAnswer({ questionId, authorId, bodySource }: { questionId: number; authorId: number; bodySource: string }) {
  return db.transaction(async (tx) => {
    const now = new Date()
    // Bumping the question first also proves it exists and serialises concurrent answers' counts.
    const [question] = await tx
      .update(questions)
      .set({ answerCount: sql`${questions.answerCount} + 1`, lastActivityAt: now, ...bumpRevision() })
      .where(eq(questions.id, questionId))
      .returning({ id: questions.id })
    if (!question) return null
    const [answer] = await tx
      .insert(answers)
      .values({ questionId, authorId, bodySource, bodyHtml: renderMarkdown(bodySource), createdAt: now })
      .returning({ id: answers.id })
    return answer
  })
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
    await tx.update(answers).set({ bodySource, bodyHtml: renderMarkdown(bodySource), editedAt: now }).where(eq(answers.id, answerId))
    await tx.update(questions).set({ lastActivityAt: now, ...bumpRevision() }).where(eq(questions.id, previous.questionId))
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
export async function setAcceptedAnswer({ questionId, answerId }: { questionId: number; answerId: number | null }) {
  const now = new Date()
  const updated = await db
    .update(questions)
    .set(
      answerId === null
        ? { acceptedAnswerId: null, acceptedAt: null, ...bumpRevision() }
        : { acceptedAnswerId: answerId, acceptedAt: now, lastActivityAt: now, ...bumpRevision() },
    )
    .where(and(eq(questions.id, questionId), answerBelongs(questionId, answerId)))
    .returning({ id: questions.id })
  return updated.length > 0
}

/** Marks (or with null, unmarks) the staff's official answer, recording who marked it. */
export async function setOfficialAnswer({ questionId, answerId, staffId }: { questionId: number; answerId: number | null; staffId: number }) {
  const now = new Date()
  const updated = await db
    .update(questions)
    .set(
      answerId === null
        ? { officialAnswerId: null, officialMarkedById: null, officialMarkedAt: null, ...bumpRevision() }
        : { officialAnswerId: answerId, officialMarkedById: staffId, officialMarkedAt: now, lastActivityAt: now, ...bumpRevision() },
    )
    .where(and(eq(questions.id, questionId), answerBelongs(questionId, answerId)))
    .returning({ id: questions.id })
  return updated.length > 0
}
