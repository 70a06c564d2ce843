/**
 * The search.index job. index.server.ts loads this module, so every process that can queue the
 * job (the web server, the worker, a test) also has its handler; the handler loads index.server
 * lazily so the two modules do not import each other at load time.
 */
import { QUEUES, registerJobHandler } from '~/platform/jobs/boss.server'

export type SearchIndexJob = { questionIds: number[] }

// After a post's transaction commits. A failure (Meilisearch down) throws, and pg-boss retries the
// job with backoff, so no update is lost; the job reads the question as it is then, so a retry
// never writes stale text.
registerJobHandler(QUEUES.searchIndex, async (data: SearchIndexJob) => {
  const { indexQuestions } = await import('./index.server')
  await indexQuestions(data.questionIds ?? [])
})
