import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { closeDatabase, db, getConnection } from '#db/client.server'
import { drainQueue, enqueue, ensureJobSchema, QUEUES, registerJobHandler, startWorkers, stopJobs } from './boss.server'

// The queues are real ones; their real handlers are not loaded here, so each test installs its own.
// This one has pg-boss's standard policy (no singleton or stately limits).
const queue = QUEUES.searchIndex
let handled: unknown[]

beforeEach(async () => {
  handled = []
  registerJobHandler(queue, async (data) => {
    handled.push(data)
  })
  await db.execute(sql`delete from pgboss.job`)
})

afterEach(async () => {
  await stopJobs()
})

async function jobStates(name: string) {
  const result: unknown = await db.execute(sql`select state, retry_count from pgboss.job where name = ${name} order by created_on`)
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { state: string; retry_count: number }[]
  return rows.map((row) => ({ state: row.state, retries: Number(row.retry_count) }))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('enqueue', () => {
  test('a job queued in a committed transaction is run by drainQueue, once', async () => {
    await db.transaction(async (tx) => {
      await enqueue(tx, queue, { ticketId: 1 })
    })
    expect(await drainQueue(queue)).toEqual({ completed: 1, failed: 0 })
    expect(handled).toEqual([{ ticketId: 1 }])
    expect(await drainQueue(queue)).toEqual({ completed: 0, failed: 0 })
    expect(await jobStates(queue)).toEqual([{ state: 'completed', retries: 0 }])
  })

  test('a job queued in a rolled-back transaction does not exist', async () => {
    await expect(
      db.transaction(async (tx) => {
        await enqueue(tx, queue, { ticketId: 2 })
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await drainQueue(queue)).toEqual({ completed: 0, failed: 0 })
    expect(handled).toEqual([])
    expect(await jobStates(queue)).toEqual([])
  })

  test('every job gets the default retry policy unless the caller overrides it', async () => {
    await enqueue(db, queue, { n: 1 })
    await enqueue(db, queue, { n: 2 }, { retryLimit: 3, retryBackoff: false, retryDelay: 5 })
    const result: unknown = await db.execute(sql`select retry_limit, retry_backoff, retry_delay from pgboss.job where name = ${queue} order by data->>'n'`)
    const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows
    expect(rows).toEqual([
      { retry_limit: 10, retry_backoff: true, retry_delay: 30 },
      { retry_limit: 3, retry_backoff: false, retry_delay: 5 },
    ])
  })

  test('a singletonKey with singletonSeconds throttles jobs with the same key', async () => {
    const throttle = { singletonKey: 'ticket-3', singletonSeconds: 60 }
    expect(await enqueue(db, queue, { ticketId: 3 }, throttle)).toEqual(expect.any(String))
    expect(await enqueue(db, queue, { ticketId: 3 }, throttle)).toBeNull()
    expect(await enqueue(db, queue, { ticketId: 4 }, { ...throttle, singletonKey: 'ticket-4' })).toEqual(expect.any(String))
  })
})

describe('a failing job', () => {
  test('is retried on a later drain after its delay, and then succeeds', async () => {
    let attempts = 0
    registerJobHandler(queue, async (data) => {
      attempts++
      if (attempts === 1) throw new Error('the mail server is down')
      handled.push(data)
    })
    await enqueue(db, queue, { ticketId: 4 }, { retryDelay: 1, retryBackoff: false })

    expect(await drainQueue(queue)).toEqual({ completed: 0, failed: 1 })
    expect(await jobStates(queue)).toEqual([{ state: 'retry', retries: 0 }])
    // Not before its delay has passed.
    expect(await drainQueue(queue)).toEqual({ completed: 0, failed: 0 })

    await sleep(1100)
    expect(await drainQueue(queue)).toEqual({ completed: 1, failed: 0 })
    expect(handled).toEqual([{ ticketId: 4 }])
    expect(await jobStates(queue)).toEqual([{ state: 'completed', retries: 1 }])
  })

  test('that runs out of tries ends up failed, not lost', async () => {
    registerJobHandler(queue, async () => {
      throw new Error('always broken')
    })
    await enqueue(db, queue, {}, { retryLimit: 0 })
    expect(await drainQueue(queue)).toEqual({ completed: 0, failed: 1 })
    expect(await jobStates(queue)).toEqual([{ state: 'failed', retries: 0 }])
  })
})

test('queued jobs survive a restart of the job queue (and, on PostgreSQL, of the connection)', async () => {
  await db.transaction(async (tx) => {
    await enqueue(tx, queue, { ticketId: 5 })
  })
  await stopJobs()
  await stopJobs()
  // An in-memory PGlite lives only as long as its connection; PostgreSQL outlives it.
  if (getConnection().driver === 'postgres') await closeDatabase()
  expect(await drainQueue(queue)).toEqual({ completed: 1, failed: 0 })
  expect(handled).toEqual([{ ticketId: 5 }])
})

test('ensureJobSchema can run again on a database that has everything', async () => {
  await ensureJobSchema()
  const result: unknown = await db.execute(sql`select name from pgboss.queue where name not like '%pgboss%' order by name`)
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows
  expect(rows).toEqual(Object.values(QUEUES).sort().map((name) => ({ name })))
})

describe('startWorkers', () => {
  test('runs queued jobs without being asked and keeps the schedules of queues that have a handler', async () => {
    registerJobHandler(QUEUES.slaSweep, async () => {})
    await enqueue(db, queue, { ticketId: 6 })
    await startWorkers()
    for (let waited = 0; handled.length === 0 && waited < 5000; waited += 50) await sleep(50)
    expect(handled).toEqual([{ ticketId: 6 }])

    const result: unknown = await db.execute(sql`select name, cron from pgboss.schedule`)
    const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows
    expect(rows).toEqual([{ name: QUEUES.slaSweep, cron: '* * * * *' }])

    await stopJobs()
    await stopJobs()
  })

  test('closing the database lets a running job finish first', async () => {
    let started = false
    registerJobHandler(queue, async (data) => {
      started = true
      await sleep(300)
      handled.push(data)
    })
    await enqueue(db, queue, { ticketId: 7 })
    await startWorkers({ schedules: {} })
    for (let waited = 0; !started && waited < 5000; waited += 10) await sleep(10)
    expect(started).toBe(true)
    // On PGlite this also ends the in-memory database: the file's last step.
    await closeDatabase()
    expect(handled).toEqual([{ ticketId: 7 }])
  })
})
