import { randomBytes } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { Meilisearch } from 'meilisearch'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { db, rowsOf, type DbOrTx } from '#db/client.server'
import { questions } from '#db/schema/index'
import { drainQueue } from '~/platform/jobs/boss.server'
import { searchIndexJob } from '#search/search-jobs.server'
import { categoryId, createTestAnswer, createTestUser } from '../tests/factories'
import { uniqueWord } from './engine-contract'
import { getSearchEngine, queueSearchIndex } from './index.server'

// With MEILI_URL set these run against Meilisearch, in an index of their own.
const meiliIndex = `parley-test-jobs-${randomBytes(4).toString('hex')}`
beforeAll(() => {
  if (process.env.MEILI_URL) process.env.MEILI_INDEX = meiliIndex
})
afterAll(async () => {
  if (!process.env.MEILI_URL) return
  await new Meilisearch({ host: process.env.MEILI_URL, apiKey: process.env.MEILI_MASTER_KEY }).deleteIndex(meiliIndex).waitTask()
})


/** The states of the search.index jobs queued for a question. */
const jobStates = async (questionId: number) =>
  rowsOf<{ state: string }>(
    await db.execute(sql`select state from pgboss.job where name = ${searchIndexJob.queue.name} and data->'questionIds' @> to_jsonb(${questionId}::int) order by created_on`),
  ).map((r) => r.state)

/**
 * A question row written directly, without the model (which queues its own search job), so the
 * only job for it is the one the test queues.
 */
let author: { id: number }
let technical: number
beforeAll(async () => {
  author = await createTestUser()
  technical = await categoryId('technical')
})

async function insertQuestion(tx: DbOrTx, title: string) {
  const [question] = await tx
    .insert(questions)
    .values({ authorId: author.id, categoryId: technical, title, bodySource: 'Details.', bodyHtml: '<p>Details.</p>' })
    .returning({ id: questions.id })
  return question
}

const found = async (text: string) => (await getSearchEngine().search({ text })).hits.map((h) => h.questionId)

describe('the search.index job', () => {
  test('a question queued in a committed transaction is findable once the job ran; a rolled-back one queues nothing', async () => {
    const committedWord = uniqueWord('commit')
    const rolledBackWord = uniqueWord('rollback')

    const question = await db.transaction(async (tx) => {
      const created = await insertQuestion(tx, `How do I ${committedWord}?`)
      await queueSearchIndex(tx, created.id)
      return created
    })
    let rolledBackId = 0
    await db
      .transaction(async (tx) => {
        rolledBackId = (await insertQuestion(tx, `How do I ${rolledBackWord}?`)).id
        await queueSearchIndex(tx, rolledBackId)
        throw new Error('rolled back on purpose')
      })
      .catch((error: Error) => expect(error.message).toBe('rolled back on purpose'))

    expect(await jobStates(question.id)).toEqual(['created'])
    expect(await jobStates(rolledBackId)).toEqual([])
    // The transaction itself never writes to the index: the job does, after the commit.
    expect(await found(committedWord)).toEqual([])
    expect((await drainQueue(searchIndexJob)).failed).toBe(0)
    expect(await jobStates(question.id)).toEqual(['completed'])
    expect(await found(committedWord)).toEqual([question.id])
    expect(await found(rolledBackWord)).toEqual([])
  })

  test('hiding a question and queueing it takes it out of the index', async () => {
    const word = uniqueWord('hide')
    const question = await insertQuestion(db, `Where is the ${word} setting?`)
    await queueSearchIndex(db, question.id)
    await drainQueue(searchIndexJob)
    expect(await found(word)).toEqual([question.id])

    await db.transaction(async (tx) => {
      await tx.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'spam' }).where(eq(questions.id, question.id))
      await queueSearchIndex(tx, question.id)
    })
    expect((await drainQueue(searchIndexJob)).failed).toBe(0)
    expect(await found(word)).toEqual([])
  })

  test('a burst of 50 answers to one thread queues one index job, and after it ran the index holds all 50', async () => {
    const words = Array.from({ length: 50 }, (_, i) => uniqueWord(`burst${i}`))
    const question = await insertQuestion(db, `Burst ${uniqueWord('thread')}`)
    const answerers = await Promise.all(Array.from({ length: 5 }, () => createTestUser()))
    await Promise.all(
      answerers.map(async (answerer, writer) => {
        for (let i = writer; i < words.length; i += answerers.length) await createTestAnswer({ questionId: question.id, authorId: answerer.id, body: `Try ${words[i]}.` })
      }),
    )
    expect(await jobStates(question.id)).toEqual(['created'])
    expect((await drainQueue(searchIndexJob)).failed).toBe(0)
    for (const word of [words[0], words[24], words[49]]) expect(await found(word)).toEqual([question.id])
    const [document] = (await getSearchEngine().search({ text: words[49] })).hits
    expect(document.answerCount).toBe(50)
  })

  test('a job already running does not stop the next change from queueing one, which then sees that change', async () => {
    const first = uniqueWord('first')
    const second = uniqueWord('second')
    const question = await insertQuestion(db, `Running ${first}`)
    await queueSearchIndex(db, question.id)
    // A worker has taken the job (as pg-boss's fetch marks it) and read the thread, and is still running.
    const setState = (from: string, to: string) =>
      db.execute(sql`update pgboss.job set state = ${to}::pgboss.job_state, started_on = now()
        where name = ${searchIndexJob.queue.name} and singleton_key = ${`q:${question.id}`} and state = ${from}::pgboss.job_state`)
    await setState('created', 'active')
    await db.transaction(async (tx) => {
      await tx.update(questions).set({ title: `Running ${second}` }).where(eq(questions.id, question.id))
      await queueSearchIndex(tx, question.id)
    })
    expect(await jobStates(question.id)).toEqual(['active', 'created'])
    expect((await drainQueue(searchIndexJob)).completed).toBe(1)
    expect(await found(second)).toEqual([question.id])
    await setState('active', 'completed')
  })

  test('when the engine cannot be reached the job fails and waits for its retry, losing nothing', async () => {
    const word = uniqueWord('retry')
    const question = await insertQuestion(db, `Retry ${word} please`)
    await queueSearchIndex(db, question.id)
    const savedUrl = process.env.MEILI_URL
    // Nothing listens on the discard port: every request is refused at once.
    process.env.MEILI_URL = 'http://127.0.0.1:9'
    try {
      expect(getSearchEngine().name).toBe('meilisearch')
      expect(await drainQueue(searchIndexJob)).toEqual({ completed: 0, failed: 1 })
    } finally {
      if (savedUrl === undefined) delete process.env.MEILI_URL
      else process.env.MEILI_URL = savedUrl
    }
    expect(await jobStates(question.id)).toEqual(['retry'])
    expect(await found(word)).toEqual([])
  })
})
