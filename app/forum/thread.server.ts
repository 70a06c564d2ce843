/**
 * The one way to say "a thread changed": its revision moves on, so cached renders of the page are
 * dropped, and its search document is rebuilt after the commit, so search follows. Both happen in
 * the caller's transaction, so a rolled-back change does neither.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core'
import type { DbOrTx } from '#db/client.server'
import { questions } from '#db/schema/index'
import { queueSearchIndex } from '#search/index.server'

export type ThreadChange = {
  /** Further columns of the question to write in the same statement (answer count, acceptance, …). */
  set?: PgUpdateSetSource<typeof questions>
  /** A condition the question must meet, checked in the statement that writes it (and locks the row). */
  where?: SQL
}

/**
 * Marks the thread (or threads) changed, with any further changes to the question row in the same
 * statement. Returns the ids of the threads touched: fewer than asked when `where` refused one, and
 * only those are reindexed.
 */
export async function touchThread(tx: DbOrTx, questionId: number | number[], { set, where }: ThreadChange = {}): Promise<number[]> {
  const ids = Array.isArray(questionId) ? [...new Set(questionId)] : [questionId]
  if (ids.length === 0) return []
  const rows = await tx
    .update(questions)
    .set({ ...set, revision: sql`${questions.revision} + 1` })
    .where(and(ids.length === 1 ? eq(questions.id, ids[0]) : inArray(questions.id, ids), where))
    .returning({ id: questions.id })
  const touched = rows.map((r) => r.id)
  if (touched.length > 0) await queueSearchIndex(tx, touched)
  return touched
}
