import { fileURLToPath, pathToFileURL } from 'node:url'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import { ensureJobSchema } from '~/platform/jobs/boss.server'
import { closeDatabase, getConnection } from './client.server'

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url))
// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 7_301_001

/** Applies the committed SQL migrations and the job queue's schema; safe to call from several processes at once. */
export async function migrateDatabase() {
  const connection = getConnection()
  if (connection.driver === 'pglite') {
    await migratePglite(connection.db as never, { migrationsFolder })
    await ensureJobSchema()
    return
  }
  // A session lock held on one reserved connection serialises concurrent starters (web server and
  // workers); the migrations themselves run on the pool.
  const reserved = await connection.client.reserve()
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migratePostgres(connection.db as never, { migrationsFolder })
    await ensureJobSchema()
  } finally {
    await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`
    reserved.release()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await migrateDatabase()
  console.log('Migrations applied.')
  await closeDatabase()
}
