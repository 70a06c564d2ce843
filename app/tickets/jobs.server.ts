import { defineJob, defineQueue, type JobRegistry } from '~/platform/jobs/boss.server'
import { recomputeSlaQueue } from './sla-settings.server'
import { recomputeOpenTickets, sweepTickets } from './sweep.server'

// A sweep goes over every ticket: two at once would only race each other for the same alerts.
export const slaSweepQueue = defineQueue('tickets.sla-sweep', { policy: 'singleton', schedule: '* * * * *' })

// Every minute: close tickets solved four days ago, warn before and at SLA breaches.
export const slaSweepJob = defineJob(slaSweepQueue, async () => {
  await sweepTickets()
})

// After an admin changes the SLA policies or the business calendar.
export const recomputeSlaJob = defineJob(recomputeSlaQueue, async () => {
  await recomputeOpenTickets()
})

export const ticketJobs: JobRegistry = { queues: [slaSweepQueue, recomputeSlaQueue], jobs: [slaSweepJob, recomputeSlaJob] }
