/**
 * The job registry: every domain's queues and handlers. The web server (with JOBS_IN_PROCESS) and
 * the worker both start their workers through startJobWorkers, and migrations create the queues
 * listed here, so every process agrees on one set. A domain adds its jobs to its own
 * jobs.server.ts; a new domain adds its list here. The workers refuse to start while a queue lacks
 * a handler or a handler lacks a queue.
 */
import { accountJobs } from '~/accounts/jobs.server'
import { forumJobs } from '~/forum/jobs.server'
import { moderationJobs } from '~/moderation/jobs.server'
import { notificationJobs } from '~/notifications/jobs.server'
import { mergeJobRegistries, startWorkers } from '~/platform/jobs/boss.server'
import { mailJobs } from '~/platform/mail-jobs.server'
import { realtimeJobs } from '~/platform/realtime/jobs.server'
import { ticketJobs } from '~/tickets/jobs.server'
import { uploadJobs } from '~/uploads/jobs.server'
import { searchJobs } from '#search/search-jobs.server'

export const jobRegistry = mergeJobRegistries([mailJobs, ticketJobs, moderationJobs, forumJobs, accountJobs, notificationJobs, searchJobs, realtimeJobs, uploadJobs])

export function startJobWorkers() {
  return startWorkers(jobRegistry)
}
