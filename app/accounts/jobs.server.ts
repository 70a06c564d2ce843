import { defineJob, defineQueue, type JobRegistry } from '~/platform/jobs/boss.server'
import { anonymiseDueAccounts } from './lifecycle.server'

export const deleteAccountsQueue = defineQueue<{ now?: string }>('accounts.delete-due', { policy: 'singleton', schedule: '41 4 * * *' })

// Daily: makes final the deletions whose grace period is over. `now` lets a test (or an operator
// catching up) run it as of another time; the schedule sends none.
export const deleteAccountsJob = defineJob(deleteAccountsQueue, async (data: { now?: string } | null) => {
  await anonymiseDueAccounts({ now: data?.now ? new Date(data.now) : undefined })
})

export const accountJobs: JobRegistry = { queues: [deleteAccountsQueue], jobs: [deleteAccountsJob] }
