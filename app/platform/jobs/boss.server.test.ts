import { sql } from 'drizzle-orm'
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { closeDatabase, db, getConnection, rowsOf } from '#db/client.server'
import { listen } from '#db/listen.server'
import { defineJob, defineQueue, drainQueue, enqueue, enqueueMany, ensureJobSchema, startWorkers, stopJobs, type Job, type JobHandler } from './boss.server'

// Queues of this file's own, so the platform is tested without any domain. This one has pg-boss's
// standard policy (no singleton or stately limits).
const queue = defineQueue<{ ticketId?: number; n?: number }>('test.standard')
const scheduledQueue = defineQueue('test.scheduled', { policy: 'singleton', schedule: '* * * * *' })
let handled: unknown[]
let job: Job<{ ticketId?: number; n?: number }>
const handleWith = (handler: JobHandler<{ ticketId?: number; n?: number }>) => {
  job = defineJob(queue, handler)
}

beforeAll(async () => {
  await ensureJobSchema([queue, scheduledQueue])
})

beforeEach(async () => {
  handled = []
  handleWith(async (data) => {
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
    expect(await drainQueue(job)).toEqual({ completed: 1, failed: 0 })
    expect(handled).toEqual([{ ticketId: 1 }])
    expect(await drainQueue(job)).toEqual({ completed: 0, failed: 0 })
    expect(await jobStates(queue.name)).toEqual([{ state: 'completed', retries: 0 }])
  })

  test('a job queued in a rolled-back transaction does not exist', async () => {
    await expect(
      db.transaction(async (tx) => {
        await enqueue(tx, queue, { ticketId: 2 })
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await drainQueue(job)).toEqual({ completed: 0, failed: 0 })
    expect(handled).toEqual([])
    expect(await jobStates(queue.name)).toEqual([])
  })

  test('every job gets the default retry policy unless the caller overrides it', async () => {
    await enqueue(db, queue, { n: 1 })
    await enqueue(db, queue, { n: 2 }, { retryLimit: 3, retryBackoff: false, retryDelay: 5 })
    const result: unknown = await db.execute(sql`select retry_limit, retry_backoff, retry_delay from pgboss.job where name = ${queue.name} order by data->>'n'`)
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
    handleWith(async (data) => {
      attempts++
      if (attempts === 1) throw new Error('the mail server is down')
      handled.push(data)
    })
    await enqueue(db, queue, { ticketId: 4 }, { retryDelay: 1, retryBackoff: false })

    expect(await drainQueue(job)).toEqual({ completed: 0, failed: 1 })
    expect(await jobStates(queue.name)).toEqual([{ state: 'retry', retries: 0 }])
    // Not before its delay has passed.
    expect(await drainQueue(job)).toEqual({ completed: 0, failed: 0 })

    await sleep(1100)
    expect(await drainQueue(job)).toEqual({ completed: 1, failed: 0 })
    expect(handled).toEqual([{ ticketId: 4 }])
    expect(await jobStates(queue.name)).toEqual([{ state: 'completed', retries: 1 }])
  })

  test('that runs out of tries ends up failed, not lost', async () => {
    handleWith(async () => {
      throw new Error('always broken')
    })
    await enqueue(db, queue, {}, { retryLimit: 0 })
    expect(await drainQueue(job)).toEqual({ completed: 0, failed: 1 })
    expect(await jobStates(queue.name)).toEqual([{ state: 'failed', retries: 0 }])
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
  expect(await drainQueue(job)).toEqual({ completed: 1, failed: 0 })
  expect(handled).toEqual([{ ticketId: 5 }])
})

test('ensureJobSchema can run again on a database that has everything', async () => {
  const before: unknown = await db.execute(sql`select name, policy from pgboss.queue order by name`)
  await ensureJobSchema([queue, scheduledQueue])
  expect(await db.execute(sql`select name, policy from pgboss.queue order by name`)).toEqual(before)
})

test('a queued job wakes the workers through NOTIFY once its transaction commits; a rolled-back or dropped one does not', async () => {
  const heard: string[] = []
  const unlisten = await listen('parley_jobs', (queueName) => heard.push(queueName))
  try {
    const keyed = defineQueue<{ n: number }>('test.notify-keyed', { policy: 'short' })
    await ensureJobSchema([queue, keyed])
    await db
      .transaction(async (tx) => {
        await enqueue(tx, queue, { n: 1 })
        throw new Error('rolled back on purpose')
      })
      .catch(() => {})
    await enqueueMany(db, keyed, [{ data: { n: 1 }, options: { singletonKey: 'k' } }])
    // The marker is sent after the rest: once it arrives, everything sent before it has too.
    const heardMarkers = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (heard.filter((name) => name === 'marker').length === count ? resolve() : setTimeout(check, 10))
        check()
      })
    await db.execute(sql`select pg_notify('parley_jobs', 'marker')`)
    await heardMarkers(1)
    expect(heard).toEqual(['test.notify-keyed', 'marker'])

    await enqueueMany(db, keyed, [{ data: { n: 2 }, options: { singletonKey: 'k' } }])
    await db.transaction(async (tx) => {
      await enqueue(tx, queue, { n: 2 })
      await enqueue(tx, queue, { n: 3 })
    })
    await db.execute(sql`select pg_notify('parley_jobs', 'marker')`)
    await heardMarkers(2)
    expect(heard).toEqual(['test.notify-keyed', 'marker', 'test.standard', 'marker'])
  } finally {
    await unlisten()
  }
})

test('a queue whose declared policy changed gets it at the next migration; jobs then follow it', async () => {
  const before = defineQueue<{ n: number }>('test.policy-change')
  const keyed = (n: number, key = 'thread-1') => ({ data: { n }, options: { singletonKey: key } })
  const waiting = async () =>
    rowsOf<{ n: string }>(await db.execute(sql`select data->>'n' as n from pgboss.job where name = 'test.policy-change' and state = 'created' order by 1`)).map((r) => r.n)
  await ensureJobSchema([before])
  await enqueueMany(db, before, [keyed(1)])
  await enqueueMany(db, before, [keyed(2)])
  expect(await waiting()).toEqual(['1', '2'])

  const changed = defineQueue<{ n: number }>('test.policy-change', { policy: 'short' })
  await ensureJobSchema([changed])
  const [queueRow] = rowsOf<{ policy: string }>(await db.execute(sql`select policy from pgboss.queue where name = 'test.policy-change'`))
  expect(queueRow.policy).toBe('short')
  // Jobs already waiting keep the policy they were queued under; under 'short', a key with a job
  // waiting queues nothing more, a repeat within one statement included.
  await enqueueMany(db, changed, [keyed(3), keyed(4)])
  await enqueueMany(db, changed, [keyed(5), keyed(6, 'thread-2')])
  const after = await waiting()
  expect(after.filter((n) => n === '3' || n === '4')).toHaveLength(1)
  expect(after.filter((n) => n !== '3' && n !== '4')).toEqual(['1', '2', '6'])
})

describe('startWorkers refuses to start', () => {
  const noop = async () => {}

  test('when a queue has no handler, naming the queue, and runs nothing', async () => {
    await enqueue(db, queue, { ticketId: 8 })
    await expect(startWorkers({ queues: [queue, scheduledQueue], jobs: [job] })).rejects.toThrow(
      'The job queue test.scheduled has no handler',
    )
    await sleep(200)
    expect(handled).toEqual([])
    expect(await jobStates(queue.name)).toEqual([{ state: 'created', retries: 0 }])
  })

  test('when a handler names a queue that is not in the registry', async () => {
    await expect(startWorkers({ queues: [queue], jobs: [job, defineJob(scheduledQueue, noop)] })).rejects.toThrow(
      'A job handler names the queue test.scheduled, which is not in the job registry',
    )
  })

  test('when a queue is declared twice or handled twice', async () => {
    await expect(startWorkers({ queues: [queue, queue], jobs: [job] })).rejects.toThrow('The job queue test.standard is declared twice')
    await expect(startWorkers({ queues: [queue], jobs: [job, job] })).rejects.toThrow('The job queue test.standard has two handlers')
  })

  test('when a queue of the registry was never created in the database', async () => {
    const unmigrated = defineQueue('test.never-created')
    await expect(startWorkers({ queues: [queue, unmigrated], jobs: [job, defineJob(unmigrated, noop)] })).rejects.toThrow(
      'the queue test.never-created does not exist in the database',
    )
  })
})

test('enqueue refuses a queue that was never created instead of dropping the job', async () => {
  await expect(enqueue(db, defineQueue('test.never-created'), {})).rejects.toThrow('The job queue test.never-created does not exist')
})

describe('startWorkers', () => {
  test('runs queued jobs without being asked and keeps the schedules of queues that have a handler', async () => {
    await enqueue(db, queue, { ticketId: 6 })
    await startWorkers({ queues: [queue, scheduledQueue], jobs: [job, defineJob(scheduledQueue, async () => {})] })
    for (let waited = 0; handled.length === 0 && waited < 5000; waited += 50) await sleep(50)
    expect(handled).toEqual([{ ticketId: 6 }])

    const result: unknown = await db.execute(sql`select name, cron from pgboss.schedule`)
    const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows
    expect(rows).toEqual([{ name: scheduledQueue.name, cron: '* * * * *' }])

    await stopJobs()
    await stopJobs()
  })

  test('a batch handler takes the jobs fetched together; when it fails, each job runs on its own and only the bad one fails', async () => {
    const batches: number[][] = []
    const batched = defineJob(queue, async (data) => {
      if (data.n === 3) throw new Error('job 3 is bad')
      handled.push(data)
    }, {
      batchHandler: async (batch) => {
        batches.push(batch.map((data) => data.n!).sort())
        if (batch.some((data) => data.n === 3)) throw new Error('a bad job in the batch')
        handled.push(...batch)
      },
    })
    // Queued together, so the worker's first fetch takes them all.
    await db.transaction(async (tx) => {
      for (const n of [1, 2]) await enqueue(tx, queue, { n })
    })
    await startWorkers({ queues: [queue], jobs: [batched] })
    for (let waited = 0; handled.length < 2 && waited < 5000; waited += 50) await sleep(50)
    expect(batches).toEqual([[1, 2]])
    await db.transaction(async (tx) => {
      for (const n of [3, 4]) await enqueue(tx, queue, { n })
    })
    const states = async () => rowsOf<{ n: number; state: string }>(await db.execute(sql`select (data->>'n')::int as n, state from pgboss.job where name = ${queue.name} order by 1`))
    for (let waited = 0; (await states()).some((j) => j.state === 'created' || j.state === 'active') && waited < 5000; waited += 50) await sleep(50)
    expect(batches).toEqual([[1, 2], [3, 4]])
    expect(handled.map((data) => (data as { n: number }).n).sort()).toEqual([1, 2, 4])
    expect((await states()).map((j) => [j.n, j.state])).toEqual([[1, 'completed'], [2, 'completed'], [3, 'retry'], [4, 'completed']])
  })

  test('closing the database lets a running job finish first', async () => {
    let started = false
    handleWith(async (data) => {
      started = true
      await sleep(300)
      handled.push(data)
    })
    await enqueue(db, queue, { ticketId: 7 })
    await startWorkers({ queues: [queue], jobs: [job] })
    for (let waited = 0; !started && waited < 5000; waited += 10) await sleep(10)
    expect(started).toBe(true)
    // On PGlite this also ends the in-memory database: the file's last step.
    await closeDatabase()
    expect(handled).toEqual([{ ticketId: 7 }])
  })
})
