import { QUEUES, registerJobHandler } from '~/platform/jobs/boss.server'
import { recomputeOpenTickets, sweepTickets } from '~/tickets/sweep.server'

// Every minute: close tickets solved four days ago, warn before and at SLA breaches.
registerJobHandler(QUEUES.slaSweep, async () => {
  await sweepTickets()
})

// After an admin changes the SLA policies or the business calendar.
registerJobHandler(QUEUES.recomputeSla, async () => {
  await recomputeOpenTickets()
})
