/** `npm run db:migrate`: prepares the database for a new release before any process starts on it. */
import { closeDatabase } from '#db/client.server'
import { jobRegistry } from '~/jobs.server'
import { migrateAll } from '~/platform/migrate.server'

await migrateAll(jobRegistry)
console.log('Migrations applied.')
await closeDatabase()
