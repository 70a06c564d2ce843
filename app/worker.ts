/**
 * `npm run worker`: runs the job handlers and recurring schedules in a process of its own, for
 * deployments that keep them out of the web processes (JOBS_IN_PROCESS=0). It migrates nothing:
 * start it after `npm start` or `npm run db:migrate` has prepared the database.
 */
import { closeDatabase } from '#db/client.server'
import { stopJobs } from '~/platform/jobs/boss.server'
import { startJobWorkers } from './jobs.server'

// Checked before connecting: opening PGlite's data directory beside the server would corrupt it.
if (!process.env.DATABASE_URL) {
  console.error('npm run worker needs PostgreSQL (DATABASE_URL). With PGlite, npm start runs the jobs itself.')
  process.exit(1)
}

await startJobWorkers()
console.log('Parley worker is running; Ctrl-C stops it.')

let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  stopJobs()
    .then(closeDatabase)
    .then(
      () => process.exit(0),
      (error) => {
        console.error(error)
        process.exit(1)
      },
    )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
