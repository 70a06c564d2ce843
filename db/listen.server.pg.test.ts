import { sql } from 'drizzle-orm'
import { afterEach, test } from 'vitest'
import { db } from './client.server'
import { listen, stopListening } from './listen.server'
import { collect } from '../tests/notify-collector'

afterEach(() => stopListening())

test('the listener hears again after its connection was killed (a database restart looks the same to it)', async () => {
  const { waitFor, handler } = collect()
  await listen('parley_test', handler)
  await db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen%' and datname = current_database() and pid <> pg_backend_pid()`)
  // Sent until heard: the first may go out before the listener is back.
  let round = 0
  const deadline = Date.now() + 10_000
  for (;;) {
    await db.execute(sql`select pg_notify('parley_test', ${`again-${round}`})`)
    try {
      await waitFor(`again-${round}`, 500)
      break
    } catch (error) {
      if (Date.now() > deadline) throw error
      round++
    }
  }
})
