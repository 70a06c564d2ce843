import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { answers, questions } from '#db/schema/index'
import { createTestAnswer, createTestQuestion, createTestUser } from '../../tests/factories'
import {
  answerIdVisibleSql,
  answerStateVisibleSql,
  answerStateVisibleTo,
  answerVisibleSql,
  answerVisibleTo,
  contentVisible,
  memberViewerSql,
  questionIdVisibleSql,
  questionPublicSql,
  questionVisibleSql,
  questionVisibleTo,
  viewerOf,
  VISITOR,
  type Viewer,
} from './visibility.server'

type State = { hidden?: boolean; removed?: boolean; locked?: boolean; queued?: boolean }
const QUESTION_STATES: Record<string, State> = {
  visible: {},
  hidden: { hidden: true },
  removed: { removed: true },
  locked: { locked: true },
  'hidden and locked': { hidden: true, locked: true },
  'hidden and removed': { hidden: true, removed: true },
  'awaiting approval': { queued: true },
}
const ANSWER_STATES: Record<string, State> = { visible: {}, hidden: { hidden: true }, removed: { removed: true }, 'awaiting approval': { queued: true } }

const at = (on?: boolean) => (on ? new Date() : null)

/**
 * Every viewer the rule tells apart: the asker (a member), the answerer (an agent, so an agent's
 * own hidden post is covered), another member, another agent, a moderator, an admin, a visitor.
 */
async function viewers() {
  const asker = await createTestUser()
  const answerer = await createTestUser({ role: 'agent', supportTier: 1 })
  const users = {
    asker,
    answerer,
    'other member': await createTestUser(),
    'other agent': await createTestUser({ role: 'agent', supportTier: 1 }),
    moderator: await createTestUser({ role: 'moderator' }),
    admin: await createTestUser({ role: 'admin' }),
  }
  return { asker, answerer, users: { ...users, visitor: null } as Record<string, { id: number; role: (typeof asker)['role'] } | null> }
}

/** One thread per pair of states, set in the database as moderation leaves them. */
async function thread(askerId: number, answererId: number, q: State, a: State) {
  const question = await createTestQuestion({ authorId: askerId })
  const answer = await createTestAnswer({ questionId: question.id, authorId: answererId })
  await db.update(questions).set({ hiddenAt: at(q.hidden), removedAt: at(q.removed), lockedAt: at(q.locked), queuedAt: at(q.queued) }).where(eq(questions.id, question.id))
  await db.update(answers).set({ hiddenAt: at(a.hidden), removedAt: at(a.removed), queuedAt: at(a.queued) }).where(eq(answers.id, answer.id))
  const [row] = await db
    .select({
      question: { authorId: questions.authorId, hiddenAt: questions.hiddenAt, removedAt: questions.removedAt, queuedAt: questions.queuedAt },
      answer: { authorId: answers.authorId, hiddenAt: answers.hiddenAt, removedAt: answers.removedAt, queuedAt: answers.queuedAt },
    })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(eq(answers.id, answer.id))
  return { questionId: question.id, answerId: answer.id, ...row }
}

/** The SQL twin's verdicts, each form it comes in: on joined rows, by id, and for a member known only by id. */
async function sqlVerdicts(viewer: Viewer, userId: number | null, t: { questionId: number; answerId: number }) {
  const [row] = await db
    .select({
      question: sql<boolean>`${questionVisibleSql(viewer)}`.mapWith(Boolean),
      answer: sql<boolean>`${answerVisibleSql(viewer)}`.mapWith(Boolean),
      answerState: sql<boolean>`${answerStateVisibleSql(viewer)}`.mapWith(Boolean),
      questionById: sql<boolean>`${questionIdVisibleSql(viewer, t.questionId)}`.mapWith(Boolean),
      answerById: sql<boolean>`${answerIdVisibleSql(viewer, t.answerId, t.questionId)}`.mapWith(Boolean),
      questionForMember: userId === null ? sql<boolean>`null` : sql<boolean>`${questionVisibleSql(memberViewerSql(userId))}`.mapWith(Boolean),
      answerForMember: userId === null ? sql<boolean>`null` : sql<boolean>`${answerVisibleSql(memberViewerSql(userId))}`.mapWith(Boolean),
    })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(eq(answers.id, t.answerId))
  return row
}

describe('the visibility rule', () => {
  test('the SQL predicates and the JavaScript twin agree on every state, for every kind of viewer', async () => {
    const { asker, answerer, users } = await viewers()
    const table: string[] = []
    for (const [qName, qState] of Object.entries(QUESTION_STATES)) {
      for (const [aName, aState] of Object.entries(ANSWER_STATES)) {
        const t = await thread(asker.id, answerer.id, qState, aState)
        for (const [who, user] of Object.entries(users)) {
          const viewer = viewerOf(user)
          const js = { question: questionVisibleTo(t.question, viewer), answer: answerVisibleTo(t.answer, t.question, viewer) }
          const inSql = await sqlVerdicts(viewer, user?.id ?? null, t)
          const where = `question ${qName}, answer ${aName}, seen by ${who}`
          expect(inSql.question, where).toBe(js.question)
          expect(inSql.questionById, where).toBe(js.question)
          expect(inSql.answer, where).toBe(js.answer)
          expect(inSql.answerById, where).toBe(js.answer)
          expect(inSql.answerState, where).toBe(answerStateVisibleTo(t.answer, viewer))
          expect(await contentVisible({ kind: 'answer', id: t.answerId, viewer }), where).toBe(js.answer)
          if (user) {
            expect(inSql.questionForMember, where).toBe(js.question)
            expect(inSql.answerForMember, where).toBe(js.answer)
          }
          table.push(`${where}: question ${js.question ? 'seen' : 'not seen'}, answer ${js.answer ? 'seen' : 'not seen'}`)
        }
      }
    }
    // The rule itself, for the cases that matter (both twins could be wrong the same way).
    const seen = (line: string) => table.find((l) => l.startsWith(line))!
    expect(seen('question visible, answer hidden, seen by asker')).toMatch(/answer not seen/)
    expect(seen('question visible, answer hidden, seen by answerer')).toMatch(/answer seen/)
    expect(seen('question visible, answer hidden, seen by other agent')).toMatch(/answer not seen/)
    expect(seen('question visible, answer hidden, seen by moderator')).toMatch(/answer seen/)
    expect(seen('question visible, answer removed, seen by answerer')).toMatch(/answer not seen/)
    expect(seen('question visible, answer removed, seen by admin')).toMatch(/answer seen/)
    expect(seen('question hidden, answer visible, seen by asker')).toBe('question hidden, answer visible, seen by asker: question seen, answer seen')
    expect(seen('question hidden, answer visible, seen by answerer')).toMatch(/question not seen, answer not seen/)
    expect(seen('question hidden, answer visible, seen by visitor')).toMatch(/question not seen/)
    expect(seen('question removed, answer visible, seen by asker')).toMatch(/question not seen, answer not seen/)
    expect(seen('question removed, answer visible, seen by answerer')).toMatch(/answer not seen/)
    expect(seen('question removed, answer visible, seen by moderator')).toMatch(/question seen, answer seen/)
    expect(seen('question locked, answer visible, seen by visitor')).toMatch(/question seen, answer seen/)
    expect(seen('question hidden and locked, answer visible, seen by other member')).toMatch(/question not seen/)
    // A post awaiting approval reaches its author and moderators, nobody else.
    expect(seen('question awaiting approval, answer visible, seen by asker')).toMatch(/question seen/)
    expect(seen('question awaiting approval, answer visible, seen by other member')).toMatch(/question not seen/)
    expect(seen('question awaiting approval, answer visible, seen by visitor')).toMatch(/question not seen/)
    expect(seen('question awaiting approval, answer visible, seen by moderator')).toMatch(/question seen/)
    expect(seen('question visible, answer awaiting approval, seen by answerer')).toMatch(/answer seen/)
    expect(seen('question visible, answer awaiting approval, seen by asker')).toMatch(/answer not seen/)
    expect(seen('question visible, answer awaiting approval, seen by visitor')).toMatch(/answer not seen/)
    expect(seen('question visible, answer awaiting approval, seen by admin')).toMatch(/answer seen/)
  })

  test('lists and search show what a visitor sees: nothing hidden or removed, not even to its author', async () => {
    const asker = await createTestUser()
    const shown = await createTestQuestion({ authorId: asker.id })
    const hidden = await createTestQuestion({ authorId: asker.id })
    const removed = await createTestQuestion({ authorId: asker.id })
    await db.update(questions).set({ hiddenAt: new Date() }).where(eq(questions.id, hidden.id))
    await db.update(questions).set({ removedAt: new Date() }).where(eq(questions.id, removed.id))
    const rows = await db.select({ id: questions.id }).from(questions).where(and(eq(questions.authorId, asker.id), questionPublicSql()))
    expect(rows.map((r) => r.id)).toEqual([shown.id])
    expect(await contentVisible({ kind: 'question', id: hidden.id, viewer: VISITOR })).toBe(false)
    expect(await contentVisible({ kind: 'question', id: hidden.id, viewer: viewerOf(asker) })).toBe(true)
  })

  test('an answer looked up with a question id must belong to that question', async () => {
    const asker = await createTestUser()
    const first = await createTestQuestion({ authorId: asker.id })
    const second = await createTestQuestion({ authorId: asker.id })
    const answer = await createTestAnswer({ questionId: first.id, authorId: (await createTestUser()).id })
    expect(await contentVisible({ kind: 'answer', id: answer.id, questionId: first.id, viewer: VISITOR })).toBe(true)
    expect(await contentVisible({ kind: 'answer', id: answer.id, questionId: second.id, viewer: VISITOR })).toBe(false)
    expect(await contentVisible({ kind: 'answer', id: 2_000_000_000, viewer: viewerOf({ id: asker.id, role: 'admin' }) })).toBe(false)
  })
})
