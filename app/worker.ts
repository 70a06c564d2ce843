/**
 * `npm run worker`: runs the job handlers and recurring schedules in a process of its own, for
 * deployments that keep them out of the web processes (JOBS_IN_PROCESS=0). It migrates nothing:
 * start it after `npm start` or `npm run db:migrate` has prepared the database.
 */
import { closeDatabase } from '#db/client.server'
import { stopJobs } from '~/platform/jobs/boss.server'
import { logger } from '~/platform/logger.server'
import { onStopSignal } from '~/platform/supervision.server'
import { startJobWorkers } from './jobs.server'

// Checked before connecting: opening PGlite's data directory beside the server would corrupt it.
if (!process.env.DATABASE_URL) {
  console.error('npm run worker needs PostgreSQL (DATABASE_URL). With PGlite, npm start runs the jobs itself.')
  process.exit(1)
}

// Registered first, so a signal that arrives during startup is graceful too: running handlers
// finish (stopJobs waits up to 30 s), then the connection closes and the process exits 0.
onStopSignal(() => stopJobs().then(closeDatabase))
await startJobWorkers()
logger.info('Parley worker is running; Ctrl-C stops it')
