import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { atOnce } from '../../../tests/setup/at-once'
import { drainQueue, enqueue, QUEUES, registerJobHandler, stopJobs } from './boss.server'

// PostgreSQL only (see vitest.config.ts): on PGlite one drain's fetch always ends before the other's starts.
const queue = QUEUES.searchIndex
let handled: unknown[]

beforeEach(async () => {
  handled = []
  await db.execute(sql`delete from pgboss.job`)
})

afterEach(async () => {
  await stopJobs()
})

test('two workers draining the same queue at once never run a job twice', async () => {
  registerJobHandler(queue, async (data) => {
    await sleep(5)
    handled.push(data)
  })
  for (let n = 0; n < 20; n++) await enqueue(db, queue, { n })
  const [first, second] = await atOnce('pgboss.job', [() => drainQueue(queue), () => drainQueue(queue)])
  expect(first.completed + second.completed).toBe(20)
  expect(first.failed + second.failed).toBe(0)
  expect(new Set(handled.map((d) => (d as { n: number }).n)).size).toBe(20)
  expect(handled).toHaveLength(20)
})
