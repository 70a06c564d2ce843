import { sql } from 'drizzle-orm'
import { afterEach, expect, test } from 'vitest'
import { db } from './client.server'
import { listen, stopListening } from './listen.server'
import { collect } from '../tests/notify-collector'

afterEach(() => stopListening())

test('a NOTIFY is heard once its transaction commits, and never when it rolls back', async () => {
  const { heard, waitFor, handler } = collect()
  await listen('parley_test', handler)
  await db
    .transaction(async (tx) => {
      await tx.execute(sql`select pg_notify('parley_test', 'rolled-back')`)
      throw new Error('roll back')
    })
    .catch(() => {})
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_notify('parley_test', 'committed')`)
    // Not before the commit.
    expect(heard).not.toContain('committed')
  })
  await waitFor('committed')
  expect(heard).toEqual(['committed'])
})

test('after unlistening a handler hears nothing more', async () => {
  const { heard, waitFor, handler } = collect()
  const other = collect()
  const stop = await listen('parley_test', handler)
  await listen('parley_test', other.handler)
  await stop()
  await db.execute(sql`select pg_notify('parley_test', 'after')`)
  await other.waitFor('after')
  expect(heard).toEqual([])
  void waitFor
})
