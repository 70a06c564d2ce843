/** The search.index job, queued by queueSearchIndex (index.server.ts). */
import { defineJob, type JobRegistry } from '~/platform/jobs/boss.server'
import { indexQuestions, searchIndexQueue } from './index.server'

// After a post's transaction commits. A failure (Meilisearch down) throws, and pg-boss retries the
// job with backoff, so no update is lost; the job reads the question as it is then, so a retry
// never writes stale text.
// A worker's batch of jobs is indexed in one go: the same few queries for ten threads as for one.
export const searchIndexJob = defineJob(
  searchIndexQueue,
  async (data) => {
    await indexQuestions(data.questionIds ?? [])
  },
  { batchHandler: async (batch) => void (await indexQuestions(batch.flatMap((data) => data.questionIds ?? []))) },
)

export const searchJobs: JobRegistry = { queues: [searchIndexQueue], jobs: [searchIndexJob] }
