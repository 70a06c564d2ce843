import { eq, sql } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db, rowsOf } from '#db/client.server'
import { questions } from '#db/schema/index'
import { loadTarget, setHidden, setLocked, setRemoved } from '~/moderation/effects.server'
import { searchIndexQueue } from '#search/index.server'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser } from '../../tests/factories'
import { createAnswer, setAcceptedAnswer, setOfficialAnswer, updateAnswer, voteOnAnswer } from './answers.server'
import { updateQuestion } from './questions.server'
import { touchThread } from './thread.server'

async function revisionOf(questionId: number) {
  const [row] = await db.select({ revision: questions.revision }).from(questions).where(eq(questions.id, questionId))
  return row.revision
}

/** Search-index jobs queued for this question (jobs of every test file live in their own database). */
async function indexJobsFor(questionId: number) {
  const result = await db.execute(sql`select count(*)::int as n from pgboss.job where name = ${searchIndexQueue.name} and data->'questionIds' @> ${JSON.stringify([questionId])}::jsonb`)
  return rowsOf<{ n: number }>(result)[0].n
}

async function setup() {
  const asker = await createTestUser()
  const answerer = await createTestUser()
  const voter = await createTestUser()
  const agent = await createTestUser({ role: 'agent', supportTier: 1 })
  const question = await createTestQuestion({ authorId: asker.id })
  const answer = await createTestAnswer({ questionId: question.id, authorId: answerer.id })
  return { asker, answerer, voter, agent, question, answer }
}

/** Search-index jobs for this question still waiting for a worker. */
async function waitingIndexJobsFor(questionId: number) {
  const result = await db.execute(
    sql`select count(*)::int as n from pgboss.job where name = ${searchIndexQueue.name} and state = 'created' and data->'questionIds' @> ${JSON.stringify([questionId])}::jsonb`,
  )
  return rowsOf<{ n: number }>(result)[0].n
}

/** As if a worker had run the question's waiting index job: a new change may queue another. */
async function markIndexJobsDone(questionId: number) {
  await db.execute(sql`update pgboss.job set state = 'completed' where name = ${searchIndexQueue.name} and state = 'created' and data->'questionIds' @> ${JSON.stringify([questionId])}::jsonb`)
}

/**
 * Runs the change and checks it moved the revision on by one and queued an index job. A thread
 * has at most one waiting index job, so the one from the change before is first marked done, as a
 * worker would.
 */
async function expectTouched(questionId: number, change: () => Promise<unknown>) {
  await markIndexJobsDone(questionId)
  const revision = await revisionOf(questionId)
  const jobs = await indexJobsFor(questionId)
  await change()
  expect(await revisionOf(questionId)).toBe(revision + 1)
  expect(await indexJobsFor(questionId)).toBe(jobs + 1)
  expect(await waitingIndexJobsFor(questionId)).toBe(1)
}

describe('touchThread', () => {
  test('every kind of change to a thread bumps its revision and queues one reindex', async () => {
    const { asker, answerer, voter, agent, question, answer } = await setup()
    await expectTouched(question.id, () => createAnswer({ questionId: question.id, authorId: voter.id, bodySource: 'Have you tried the reset button?' }))
    const technical = await categoryId()
    await expectTouched(question.id, () =>
      updateQuestion({ questionId: question.id, editorId: asker.id, title: 'The widget stopped working after the update', bodySource: 'Still broken.', categoryId: technical, tagNames: [] }),
    )
    await expectTouched(question.id, () => updateAnswer({ answerId: answer.id, editorId: answerer.id, bodySource: 'Hold the reset button for ten seconds.' }))
    await expectTouched(question.id, () => setAcceptedAnswer({ questionId: question.id, answerId: answer.id, actorId: asker.id }))
    await expectTouched(question.id, () => setOfficialAnswer({ questionId: question.id, answerId: answer.id, staffId: agent.id }))
    // A vote moves the score on the page.
    await expectTouched(question.id, () => voteOnAnswer({ answerId: answer.id, questionId: question.id, voterId: voter.id, value: 1 }))
    const moderation = (effect: (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) => Promise<void>) => () => db.transaction(effect)
    await expectTouched(question.id, moderation(async (tx) => setHidden(tx, (await loadTarget(tx, 'answer', answer.id))!, 'rude')))
    await expectTouched(question.id, moderation(async (tx) => setHidden(tx, (await loadTarget(tx, 'answer', answer.id))!, null)))
    await expectTouched(question.id, moderation(async (tx) => setLocked(tx, question.id, 'Resolved elsewhere')))
    await expectTouched(question.id, moderation(async (tx) => setHidden(tx, (await loadTarget(tx, 'question', question.id))!, 'spam')))
    await expectTouched(question.id, moderation(async (tx) => setRemoved(tx, (await loadTarget(tx, 'question', question.id))!, 'spam')))
  })

  test('a refused change touches nothing: no revision, no reindex', async () => {
    const { question } = await setup()
    await markIndexJobsDone(question.id)
    const revision = await revisionOf(question.id)
    const jobs = await indexJobsFor(question.id)
    expect(await touchThread(db, question.id, { set: { lockedReason: 'never' }, where: sql`false` })).toEqual([])
    expect(await revisionOf(question.id)).toBe(revision)
    expect(await indexJobsFor(question.id)).toBe(jobs)
  })

  test('a rolled-back change leaves neither a revision nor a job behind', async () => {
    const { question } = await setup()
    await markIndexJobsDone(question.id)
    const revision = await revisionOf(question.id)
    const jobs = await indexJobsFor(question.id)
    await expect(
      db.transaction(async (tx) => {
        await touchThread(tx, question.id)
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect(await revisionOf(question.id)).toBe(revision)
    expect(await indexJobsFor(question.id)).toBe(jobs)
  })
})
