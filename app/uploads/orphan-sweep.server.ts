import { and, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import { db } from '#db/client.server'
import { answers, drafts, postRevisions, questions, ticketMessages, uploads, users } from '#db/schema/index'
import { env } from '~/platform/env.server'
import { logger } from '~/platform/logger.server'
import { getStorage } from '~/platform/storage/index.server'

/** Uploads removed per statement: each candidate costs a search of every body, so the batches stay small. */
const BATCH = 100

/** Whether any row of a table's text column names the upload's key (`/uploads/<key>` in Markdown). */
const referencedIn = (table: PgTable, column: AnyPgColumn): SQL =>
  sql`exists (select 1 from ${table} where strpos(${column}, ${uploads.key}) > 0)`

/**
 * An upload nothing uses: not attached to a ticket message, and its key in no question, answer,
 * earlier revision, draft, ticket message or profile. The one definition, for the sweep's select
 * and its delete alike.
 */
const orphanSql = (olderThan: Date) =>
  and(
    lt(uploads.createdAt, olderThan),
    isNull(uploads.ticketMessageId),
    sql`not ${referencedIn(questions, questions.bodySource)}`,
    sql`not ${referencedIn(answers, answers.bodySource)}`,
    sql`not ${referencedIn(postRevisions, postRevisions.bodySource)}`,
    sql`not ${referencedIn(drafts, drafts.body)}`,
    sql`not ${referencedIn(ticketMessages, ticketMessages.bodySource)}`,
    sql`not ${referencedIn(users, users.bioSource)}`,
  )

/**
 * Removes uploads that were never attached to anything UPLOAD_ORPHAN_HOURS (default 24) after they
 * were sent: a paste into a form never submitted, a file removed from a draft, bytes left by a crash
 * between storage and row. Rows go first (the delete checks again, in the same statement, that
 * nothing refers to them), then their bytes; bytes whose delete fails are only left over, never a
 * link to nothing. Returns how many went.
 */
export async function sweepOrphanUploads({ now = new Date(), maxBatches = 20 }: { now?: Date; maxBatches?: number } = {}) {
  const olderThan = new Date(now.getTime() - env.uploadOrphanHours * 3_600_000)
  const storage = getStorage()
  let removed = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const candidates = await db.select({ id: uploads.id }).from(uploads).where(orphanSql(olderThan)).orderBy(uploads.id).limit(BATCH)
    if (candidates.length === 0) break
    const gone = await db
      .delete(uploads)
      .where(and(inArray(uploads.id, candidates.map((c) => c.id)), orphanSql(olderThan)))
      .returning({ key: uploads.key })
    for (const { key } of gone) {
      try {
        await storage.delete(key)
      } catch (error) {
        logger.warn({ err: error, key }, 'could not delete an orphaned upload’s bytes')
      }
    }
    removed += gone.length
    if (candidates.length < BATCH) break
  }
  return removed
}
