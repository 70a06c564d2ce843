import { defineJob, defineQueue, type JobRegistry } from '../jobs/boss.server'
import { pruneRealtimeEvents } from './publish.server'

// Every minute, one at a time: events older than the replay window are of no use to anyone.
export const pruneRealtimeQueue = defineQueue('realtime.prune', { policy: 'singleton', schedule: '* * * * *' })

export const pruneRealtimeJob = defineJob(pruneRealtimeQueue, async () => {
  await pruneRealtimeEvents()
})

export const realtimeJobs: JobRegistry = { queues: [pruneRealtimeQueue], jobs: [pruneRealtimeJob] }
