/**
 * The app's way into search: the configured engine, and keeping its index in step with the forum.
 * Posts never write to the index themselves: their transaction queues a search.index job
 * (queueSearchIndex), which runs after the commit and is retried while the engine is unreachable.
 */
import { sql } from 'drizzle-orm'
import { db, rowsOf, type DbOrTx } from '#db/client.server'
import { questions } from '#db/schema/index'
import { questionPublicSql } from '~/forum/visibility.server'
import { defineQueue, enqueueOncePerKey } from '~/platform/jobs/boss.server'
import { loadSearchDocuments } from './documents.server'
import type { SearchEngine } from './engine'
import { createMeilisearchEngine, DEFAULT_MEILI_INDEX } from './meilisearch-engine'
import { createPostgresEngine } from './postgres-engine'

// One engine per process even when this module is loaded twice (server script and Remix build),
// rebuilt when the MEILI_* settings it was made from change (tests switch them).
const engineKey = Symbol.for('parley.search.engine')
type GlobalWithEngine = typeof globalThis & { [engineKey]?: { config: string; engine: SearchEngine } }

function engineConfig() {
  const host = process.env.MEILI_URL?.trim()
  if (!host) return { kind: 'postgres' as const }
  return {
    kind: 'meilisearch' as const,
    host,
    apiKey: process.env.MEILI_MASTER_KEY || undefined,
    indexName: process.env.MEILI_INDEX?.trim() || DEFAULT_MEILI_INDEX,
  }
}

/** Meilisearch when MEILI_URL is set, otherwise PostgreSQL full-text search in the app's database. */
export function getSearchEngine(): SearchEngine {
  const config = engineConfig()
  const key = JSON.stringify(config)
  const g = globalThis as GlobalWithEngine
  const cached = g[engineKey]
  if (cached?.config === key) return cached.engine
  const engine = config.kind === 'meilisearch' ? createMeilisearchEngine(config) : createPostgresEngine()
  g[engineKey] = { config: key, engine }
  return engine
}

/**
 * Brings the index in line with the questions as they are now: visible ones are (re)indexed,
 * hidden, removed and deleted ones taken out. Throws when the engine fails, so a job retries.
 */
export async function indexQuestions(questionIds: number[], engine: SearchEngine = getSearchEngine()) {
  const ids = [...new Set(questionIds.map(Number).filter(Number.isInteger))]
  if (ids.length === 0) return { indexed: 0, removed: 0 }
  const { documents, invisibleIds } = await loadSearchDocuments(ids)
  await engine.index(documents)
  // A moderator may have hidden a question after it was read above; that hide's own job can have
  // run already. Checking again after writing leaves the index right whichever order they ran in.
  const stillVisible = await visibleAmong(documents.map((d) => d.questionId))
  const hiddenMeanwhile = documents.map((d) => d.questionId).filter((id) => !stillVisible.has(id))
  const removed = [...invisibleIds, ...hiddenMeanwhile]
  await engine.remove(removed)
  return { indexed: documents.length - hiddenMeanwhile.length, removed: removed.length }
}

async function visibleAmong(questionIds: number[]) {
  if (questionIds.length === 0) return new Set<number>()
  const result = await db.execute(
    sql`select id from ${questions} where id = any(${`{${questionIds.join(',')}}`}::int[]) and ${questionPublicSql()}`,
  )
  const rows = rowsOf<{ id: number }>(result)
  return new Set(rows.map((r) => Number(r.id)))
}

export type SearchIndexJob = { questionIds: number[] }

/**
 * Handled by search-jobs.server.ts. 'short': at most one job per thread waits (see
 * queueSearchIndex); one already running does not count, since it may have read the thread before
 * the latest change.
 */
export const searchIndexQueue = defineQueue<SearchIndexJob>('search.index', { policy: 'short' })

/**
 * Queues the reindexing of a question (or several) as part of `tx`: call it in every transaction
 * that changes what search may show (posting, editing, answering, accepting, hiding, removing,
 * restoring). It runs only if `tx` commits. One job per thread, keyed by the thread: while a job
 * for it is still waiting, that job will read the thread as it is when it runs, so no second one
 * is queued (a burst of answers to one thread queues one job, not one per answer), and that job waits
for this transaction (enqueueOncePerKey).
 */
export async function queueSearchIndex(tx: DbOrTx, questionId: number | number[]) {
  const questionIds = [...new Set(Array.isArray(questionId) ? questionId : [questionId])]
  if (questionIds.length === 0) return
  // The waiting job, when there is one, is held until tx commits, so it reads what tx wrote.
  for (const id of questionIds) await enqueueOncePerKey(tx, searchIndexQueue, { questionIds: [id] }, `q:${id}`)
}
