import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import { getConnection, rowsOf } from './client.server'

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

/**
 * Whether the newest committed migration has been applied to the database (for /readyz). drizzle
 * records each applied migration with its journal timestamp, so comparing the newest of those with
 * the journal's last entry is one query on a table of a few rows.
 */
export async function latestMigrationApplied() {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: { when: number }[] }
  const newest = Math.max(...journal.entries.map((entry) => entry.when))
  try {
    const [row] = rowsOf<{ applied: string | number | null }>(await getConnection().db.execute(sql`select max(created_at) as applied from drizzle.__drizzle_migrations`))
    return row?.applied != null && Number(row.applied) >= newest
  } catch (error) {
    // No migrations table yet: nothing is applied. Anything else (the database is away) is the caller's to report.
    // drizzle wraps the driver's error; its code is on the cause.
    const code = (error as { code?: string }).code ?? ((error as { cause?: { code?: string } }).cause?.code)
    if (code === '42P01' || code === '3F000') return false
    throw error
  }
}
