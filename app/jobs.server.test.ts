import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import { afterAll, expect, test } from 'vitest'
import { db, rowsOf } from '#db/client.server'
import { stopJobs } from '~/platform/jobs/boss.server'
import { checkJobRegistry } from '~/platform/jobs/registry'
import { jobRegistry, startJobWorkers } from './jobs.server'

afterAll(async () => {
  await stopJobs()
})

const names = (queues: readonly { name: string }[]) => queues.map((q) => q.name).sort()

test('every queue of the registry has one handler, and every handler a queue', () => {
  expect(() => checkJobRegistry(jobRegistry)).not.toThrow()
  expect(names(jobRegistry.jobs.map((job) => job.queue))).toEqual(names(jobRegistry.queues))
})

test('migrating created exactly the queues of the registry, with their policies', async () => {
  const rows = rowsOf<{ name: string; policy: string }>(await db.execute(sql`select name, policy from pgboss.queue order by name`))
  expect(rows).toEqual(
    [...jobRegistry.queues].sort((a, b) => a.name.localeCompare(b.name)).map((q) => ({ name: q.name, policy: q.policy ?? 'standard' })),
  )
})

test('the web server and the worker start the same workers: the registry’s, through startJobWorkers', () => {
  for (const entry of ['app/server.ts', 'app/worker.ts']) {
    const source = readFileSync(entry, 'utf8')
    expect(source, entry).toMatch(/import \{[^}]*\bstartJobWorkers\b[^}]*\} from '\.\/jobs\.server'/)
    expect(source, entry).toMatch(/await startJobWorkers\(\)/)
    // Any other way of starting workers could hand them a set of its own.
    expect(source, entry).not.toMatch(/\bstartWorkers\b/)
  }
})

test('startJobWorkers keeps the schedule of every scheduled queue of the registry', async () => {
  await startJobWorkers()
  const rows = rowsOf<{ name: string; cron: string }>(await db.execute(sql`select name, cron from pgboss.schedule order by name`))
  expect(rows).toEqual(
    jobRegistry.queues
      .filter((q) => q.schedule)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((q) => ({ name: q.name, cron: q.schedule })),
  )
})
