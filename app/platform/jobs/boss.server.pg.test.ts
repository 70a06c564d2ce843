import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import { afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import { db, rowsOf } from '#db/client.server'
import { atOnce } from '../../../tests/setup/at-once'
import { defineJob, defineQueue, drainQueue, enqueue, enqueueOncePerKey, ensureJobSchema, stopJobs } from './boss.server'

// PostgreSQL only (see vitest.config.ts): on PGlite one drain's fetch always ends before the other's starts.
const queue = defineQueue<{ n: number }>('test.concurrent')
const keyed = defineQueue<{ n: number }>('test.once-per-key', { policy: 'short' })
let handled: { n: number }[]

beforeAll(async () => {
  await ensureJobSchema([queue, keyed])
})

beforeEach(async () => {
  handled = []
  await db.execute(sql`delete from pgboss.job`)
})

afterEach(async () => {
  await stopJobs()
})

test('two workers draining the same queue at once never run a job twice', async () => {
  const job = defineJob(queue, async (data) => {
    await sleep(5)
    handled.push(data)
  })
  for (let n = 0; n < 20; n++) await enqueue(db, queue, { n })
  const [first, second] = await atOnce('pgboss.job', [() => drainQueue(job), () => drainQueue(job)])
  expect(first.completed + second.completed).toBe(20)
  expect(first.failed + second.failed).toBe(0)
  expect(new Set(handled.map((d) => d.n)).size).toBe(20)
  expect(handled).toHaveLength(20)
})

test('a job that a later writer folded into stays unfetched until that writer commits, so it reads what it wrote', async () => {
  const job = defineJob(keyed, async (data) => {
    handled.push(data)
  })
  await enqueueOncePerKey(db, keyed, { n: 1 }, 'thread-1')
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  let folded!: () => void
  const hasFolded = new Promise<void>((resolve) => (folded = resolve))
  // A second writer to the same thread: its job is folded into the waiting one, and it has not
  // committed yet when a worker comes for jobs.
  const writer = db.transaction(async (tx) => {
    await enqueueOncePerKey(tx, keyed, { n: 2 }, 'thread-1')
    folded()
    await held
  })
  await hasFolded
  expect((await drainQueue(job)).completed).toBe(0)
  release()
  await writer
  expect((await drainQueue(job)).completed).toBe(1)
  const [jobs] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from pgboss.job where name = 'test.once-per-key'`))
  expect(Number(jobs.n)).toBe(1)
})
