import { afterAll } from 'vitest'

/**
 * For the database-free project: a file listed there that opens the database after all fails here,
 * instead of quietly paying for one. The in-memory directory keeps such a slip from writing ./data.
 */
process.env.PGLITE_DIR = 'memory://'
delete process.env.PGLITE_LOAD_FROM

afterAll(async () => {
  const opened = (globalThis as Record<symbol, unknown>)[Symbol.for('parley.database')]
  if (!opened) return
  const { closeDatabase } = await import('../../db/client.server')
  await closeDatabase()
  throw new Error('A test in the database-free project opened the database; move its file out of `databaseFree` in vitest.config.ts.')
})
