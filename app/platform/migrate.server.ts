/**
 * Everything a database needs before Parley runs on it: the committed SQL migrations, then
 * pg-boss's schema and every queue of the job registry, under the migrations' lock. The callers
 * (server, scripts, test setup) pass the registry from app/jobs.server.ts: the platform knows no
 * queue by name.
 */
import { migrateDatabase } from '#db/migrate'
import { ensureJobSchema } from './jobs/boss.server'
import type { JobRegistry } from './jobs/registry'

export async function migrateAll(registry: Pick<JobRegistry, 'queues'>) {
  await migrateDatabase({ afterMigrations: () => ensureJobSchema(registry.queues) })
}
