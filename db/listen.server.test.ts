import { sql } from 'drizzle-orm'
import { afterEach, expect, test } from 'vitest'
import { db } from './client.server'
import { listen, stopListening } from './listen.server'

afterEach(() => stopListening())

function collect() {
  const heard: string[] = []
  const waitFor = (payload: string, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now()
      const check = () => (heard.includes(payload) ? resolve() : Date.now() - started > timeoutMs ? reject(new Error(`never heard ${payload}; heard ${heard.join(', ')}`)) : setTimeout(check, 20))
      check()
    })
  return { heard, waitFor, handler: (payload: string) => void heard.push(payload) }
}

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
