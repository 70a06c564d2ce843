import { defineJob, defineQueue, type JobRegistry } from '~/platform/jobs/boss.server'
import { sweepOrphanUploads } from './orphan-sweep.server'

// Hourly, one at a time: two sweeps would only race for the same rows.
export const orphanUploadSweepQueue = defineQueue('uploads.orphan-sweep', { policy: 'singleton', schedule: '17 * * * *' })

export const orphanUploadSweepJob = defineJob(orphanUploadSweepQueue, async () => {
  await sweepOrphanUploads()
})

export const uploadJobs: JobRegistry = { queues: [orphanUploadSweepQueue], jobs: [orphanUploadSweepJob] }
