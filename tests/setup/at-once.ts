import { getConnection } from '#db/client.server'

/**
 * Runs `calls` at the same moment on PostgreSQL, for the *.pg.test.ts files. Sending them together
 * is not enough: one may finish before the pool even starts the next, and the test then passes
 * whatever the code does. So a connection of its own holds `table` locked until `waiting` of the
 * calls (each on its own pooled connection) wait on a lock, then lets them go: without a lock of
 * its own the code lets them all reach the contested rows together, every run, however busy the
 * machine is; with one, they wait on it instead and the gate proves nothing is lost.
 *
 * `table` must be one that every call reads or writes, after whatever lock the code takes to
 * serialise them; `waiting` cannot exceed the pool size (DATABASE_POOL_SIZE) less the one
 * connection held here.
 */
export async function atOnce<T>(table: string, calls: (() => Promise<T>)[], { waiting = calls.length }: { waiting?: number } = {}): Promise<T[]> {
  const connection = getConnection()
  if (connection.driver !== 'postgres') throw new Error('atOnce needs PostgreSQL: run *.pg.test.ts files with DATABASE_URL set.')
  const gate = await connection.client.reserve()
  await gate`begin`
  let running: Promise<T>[] = []
  try {
    await gate.unsafe(`lock table ${table} in access exclusive mode`)
    let settled = 0
    running = calls.map((call) => {
      const promise = call()
      promise.then(
        () => settled++,
        () => settled++,
      )
      return promise
    })
    // Waits for a state of the server, not for an amount of time.
    for (;;) {
      // This file's database is its own, so every session waiting on a lock in it is one of the
      // calls: behind the gate, or behind a call that is (a lock the code takes on purpose).
      // pg_stat_activity is read once per transaction unless told to read it afresh.
      await gate`select pg_stat_clear_snapshot()`
      const [{ count }] = await gate<{ count: number }[]>`
        select count(*)::int as count from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`
      if (count >= waiting) break
      if (settled > 0) throw new Error(`A call finished before ${waiting} of them waited on a lock; gate on a table every call uses (not ${table}).`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  } catch (error) {
    await gate`rollback`
    gate.release()
    await Promise.allSettled(running)
    throw error
  }
  await gate`rollback`
  gate.release()
  return Promise.all(running)
}
