import { defineJob, defineQueue, type JobRegistry } from '~/platform/jobs/boss.server'
import { sweepUnansweredQuestions } from './unanswered.server'

export const unansweredSweepQueue = defineQueue('questions.unanswered-sweep', { policy: 'singleton', schedule: '*/5 * * * *' })

// Every five minutes: flag questions that waited too long for a first answer.
export const unansweredSweepJob = defineJob(unansweredSweepQueue, async () => {
  await sweepUnansweredQuestions()
})

export const forumJobs: JobRegistry = { queues: [unansweredSweepQueue], jobs: [unansweredSweepJob] }
