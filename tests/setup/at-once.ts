import { getConnection } from '#db/client.server'

/**
 * Runs `calls` at the same moment on PostgreSQL, for the *.pg.test.ts files. Sending them together
 * is not enough: one may finish before the pool even starts the next, and the test then passes
 * whatever the code does. So a connection of its own holds `table` locked until `waiting` of the
 * calls (each on its own pooled connection) stand in line behind the lock, then lets them all go:
 * they reach the contested rows together, every run, however busy the machine is.
 *
 * `table` must be one that every call reads or writes; `waiting` cannot exceed the pool size
 * (DATABASE_POOL_SIZE) less the one connection held here.
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
      const [{ count }] = await gate<{ count: number }[]>`
        select count(*)::int as count from pg_locks where relation = ${table}::regclass and not granted`
      if (count >= waiting) break
      if (settled > 0) throw new Error(`A call finished without waiting for the lock on ${table}; gate on a table every call uses.`)
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
