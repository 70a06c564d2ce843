import { defineJob, defineQueue, type JobRegistry } from '~/platform/jobs/boss.server'
import { sendNotificationDigests } from './digest.server'

export const notificationDigestQueue = defineQueue('notifications.digest', { policy: 'singleton', schedule: '0 7 * * *' })

// Daily: one mail per member with the notifications they chose to get as a digest.
export const notificationDigestJob = defineJob(notificationDigestQueue, async () => {
  await sendNotificationDigests()
})

export const notificationJobs: JobRegistry = { queues: [notificationDigestQueue], jobs: [notificationDigestJob] }
