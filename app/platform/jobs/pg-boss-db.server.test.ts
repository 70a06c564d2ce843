import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { db, getConnection, rowsOf } from '#db/client.server'
import { defineJob, defineQueue, drainQueue, enqueue, ensureJobSchema, stopJobs } from './boss.server'
import { connectionDb, transactionDb } from './pg-boss-db.server'

// Runs on PGlite by default and on PostgreSQL with DATABASE_URL: the two adapters are the only
// driver-specific code pg-boss goes through, so each behaviour is checked on both.

afterEach(async () => {
  await stopJobs()
})

describe('the connection adapter', () => {
  test('runs pg-boss text with its own $n values unchanged, a value used twice at two types', async () => {
    const { rows } = await connectionDb().executeSql('select $1::int as n, $1::text as t, $2::jsonb as payload, $3::timestamptz as at', [
      5,
      { to: 'ada@example.test' },
      new Date('2026-01-02T03:04:05Z'),
    ])
    expect(rows).toEqual([{ n: 5, t: '5', payload: { to: 'ada@example.test' }, at: expect.anything() }])
    expect(new Date(rows[0].at).toISOString()).toBe('2026-01-02T03:04:05.000Z')
  })

  test('runs a script of several statements in one transaction and answers with their rows', async () => {
    const { rows } = await connectionDb().executeSql('begin; select 1 as a; select 2 as b; commit;', [])
    expect(rows).toEqual([{ a: 1 }, { b: 2 }])
    expect((await connectionDb().executeSql('select 3 as c', [])).rows).toEqual([{ c: 3 }])
  })

  test('a script that fails halfway changes nothing and leaves the connection usable', async () => {
    await db.execute(sql`create table if not exists adapter_probe (n int)`)
    const adapter = connectionDb()
    await expect(adapter.executeSql('begin; insert into adapter_probe values (1); select 1 / 0; commit;', [])).rejects.toThrow(/division by zero/)
    expect(rowsOf(await db.execute(sql`select count(*)::int as count from adapter_probe`))).toEqual([{ count: 0 }])
    // Not stuck in the aborted transaction (PGlite has a single session; postgres.js a pooled one).
    await adapter.executeSql('begin; insert into adapter_probe values (2); commit;', [])
    expect(rowsOf(await db.execute(sql`select n from adapter_probe`))).toEqual([{ n: 2 }])
  })

  test('installs pg-boss from nothing: its schema scripts run through the adapter', async () => {
    const queue = defineQueue<{ n: number }>('test.fresh-install')
    const handled: unknown[] = []
    await db.execute(sql`drop schema pgboss cascade`)
    await ensureJobSchema([queue])
    const [version] = rowsOf<{ version: number }>(await db.execute(sql`select version from pgboss.version`))
    expect(Number(version.version)).toBeGreaterThan(0)
    await enqueue(db, queue, { n: 1 })
    expect(await drainQueue(defineJob(queue, async (data) => void handled.push(data)))).toEqual({ completed: 1, failed: 0 })
    expect(handled).toEqual([{ n: 1 }])
  })
})

describe('the transaction adapter', () => {
  test('runs pg-boss text with its own $n values on the transaction, seeing its uncommitted rows', async () => {
    await db.execute(sql`create table if not exists adapter_probe_tx (n int)`)
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into adapter_probe_tx values (7)`)
        const { rows } = await transactionDb(tx).executeSql('select $1::int as n, $1::text as t, (select count(*)::int from adapter_probe_tx) as seen', [7])
        expect(rows).toEqual([{ n: 7, t: '7', seen: 1 }])
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    expect(rowsOf(await db.execute(sql`select count(*)::int as count from adapter_probe_tx`))).toEqual([{ count: 0 }])
  })

  test('a job sent in a savepoint that rolls back is gone while the outer transaction commits', async () => {
    const queue = defineQueue<{ n: number }>('test.savepoint')
    await ensureJobSchema([queue])
    await db.transaction(async (tx) => {
      await enqueue(tx, queue, { n: 1 })
      await expect(
        tx.transaction(async (inner) => {
          await enqueue(inner, queue, { n: 2 })
          throw new Error('inner change failed')
        }),
      ).rejects.toThrow('inner change failed')
    })
    const rows = rowsOf<{ n: number }>(await db.execute(sql`select (data->>'n')::int as n from pgboss.job where name = ${queue.name}`))
    expect(rows).toEqual([{ n: 1 }])
  })
})

test('the tests above ran on the driver this run asked for', () => {
  expect(getConnection().driver).toBe(process.env.PARLEY_TEST_SERVER_URL ? 'postgres' : 'pglite')
})
