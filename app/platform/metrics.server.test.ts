import { sql } from 'drizzle-orm'
import { register } from 'prom-client'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { defineJob, defineQueue, drainQueue, enqueue, ensureJobSchema, stopJobs } from '~/platform/jobs/boss.server'
import { metrics, observeRequest } from './metrics.server'

/** What /metrics would show for one metric, on this file's real database. */
const scrape = (name: string) => register.getSingleMetricAsString(name)

const queue = defineQueue<{ n: number }>('test.metrics')
const failing = defineJob(queue, async () => {
  throw new Error('the mail server is down')
})

beforeAll(async () => {
  await ensureJobSchema([queue])
  metrics()
})

afterAll(async () => {
  await stopJobs()
})

test('a job handler that throws is counted by queue; waiting jobs show in the queue depth', async () => {
  await enqueue(db, queue, { n: 1 }, { retryLimit: 0 })
  await enqueue(db, queue, { n: 2 }, { retryLimit: 0 })
  expect(await scrape('parley_job_queue_depth')).toContain('parley_job_queue_depth{queue="test.metrics",state="created"} 2')

  expect(await drainQueue(failing, { maxJobs: 1 })).toEqual({ completed: 0, failed: 1 })
  expect(await scrape('parley_job_failures_total')).toContain('parley_job_failures_total{queue="test.metrics"} 1')
  await db.execute(sql`delete from pgboss.job where name = 'test.metrics'`)
})

test('the database is reported up, with the pool size', async () => {
  expect(await scrape('parley_db_up')).toMatch(/^parley_db_up 1$/m)
  expect(await scrape('parley_db_pool_max')).toMatch(/^parley_db_pool_max \d+$/m)
})

test('request latency is labelled by route and status class, and unknown methods share one label', async () => {
  observeRequest({ method: 'GET', route: 'routes/questions._index', status: 404, seconds: 0.02 })
  observeRequest({ method: 'BREW', route: 'unmatched', status: 405, seconds: 0.001 })
  const text = await scrape('http_request_duration_seconds')
  expect(text).toContain('http_request_duration_seconds_count{method="GET",route="routes/questions._index",status_class="4xx"} 1')
  expect(text).toContain('http_request_duration_seconds_count{method="OTHER",route="unmatched",status_class="4xx"} 1')
})
