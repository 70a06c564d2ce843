import { QUEUES, registerJobHandler } from '~/platform/jobs/boss.server'
import { anonymiseDueAccounts } from './lifecycle.server'

// Daily: makes final the deletions whose grace period is over. `now` lets a test (or an operator
// catching up) run it as of another time; the schedule sends none.
registerJobHandler(QUEUES.deleteAccounts, async (data: { now?: string } | null) => {
  await anonymiseDueAccounts({ now: data?.now ? new Date(data.now) : undefined })
})
