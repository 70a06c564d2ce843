import { QUEUES, registerJobHandler } from '~/platform/jobs/boss.server'
import { sweepUnansweredQuestions } from './unanswered.server'

// Every five minutes: flag questions that waited too long for a first answer.
registerJobHandler(QUEUES.unansweredSweep, async () => {
  await sweepUnansweredQuestions()
})
