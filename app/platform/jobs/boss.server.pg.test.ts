import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import { afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { atOnce } from '../../../tests/setup/at-once'
import { defineJob, defineQueue, drainQueue, enqueue, ensureJobSchema, stopJobs } from './boss.server'

// PostgreSQL only (see vitest.config.ts): on PGlite one drain's fetch always ends before the other's starts.
const queue = defineQueue<{ n: number }>('test.concurrent')
let handled: { n: number }[]

beforeAll(async () => {
  await ensureJobSchema([queue])
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
