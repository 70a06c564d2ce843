import { fileURLToPath } from 'node:url'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import { getConnection } from './client.server'

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url))
// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 7_301_001

/**
 * Applies the committed SQL migrations, then `afterMigrations` (the app installs its job queue's
 * schema there), both under one lock: safe to call from several processes at once.
 */
export async function migrateDatabase({ afterMigrations }: { afterMigrations?: () => Promise<void> } = {}) {
  const connection = getConnection()
  if (connection.driver === 'pglite') {
    // One process, one session: nothing can race it.
    await migratePglite(connection.db as never, { migrationsFolder })
    await afterMigrations?.()
    return
  }
  // A session lock held on one reserved connection serialises concurrent starters (web server and
  // workers); the migrations themselves run on the pool.
  const reserved = await connection.client.reserve()
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migratePostgres(connection.db as never, { migrationsFolder })
    await afterMigrations?.()
  } finally {
    await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`
    reserved.release()
  }
}
