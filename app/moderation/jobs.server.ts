import { defineJob, defineQueue, type JobRegistry } from '~/platform/jobs/boss.server'
import { purgeRemovedContent } from './purge.server'

export const purgeRemovedQueue = defineQueue('moderation.purge-removed', { policy: 'singleton', schedule: '17 3 * * *' })

// Daily: content removed more than 30 days ago loses its text for good.
export const purgeRemovedJob = defineJob(purgeRemovedQueue, async () => {
  await purgeRemovedContent()
})

export const moderationJobs: JobRegistry = { queues: [purgeRemovedQueue], jobs: [purgeRemovedJob] }
