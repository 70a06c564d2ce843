import { and, eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, postRevisions, questions } from '#db/schema/index'
import { REMOVAL_RESTORABLE_DAYS } from './appeal-actions'
import { DAY_MS } from './decision'
import { loadTarget, recordAction } from './effects.server'

/**
 * Content removed more than 30 days ago loses its text for good (the row stays, so threads and
 * the audit log keep their shape). Runs daily as a job.
 */
export async function purgeRemovedContent(now = new Date()) {
  const cutoff = new Date(now.getTime() - REMOVAL_RESTORABLE_DAYS * DAY_MS).toISOString()
  let purged = 0
  for (const [kind, table] of [
    ['answer', answers],
    ['question', questions],
  ] as const) {
    const rows = await db
      .select({ id: table.id })
      .from(table)
      .where(and(sql`${table.removedAt} <= ${cutoff}::timestamptz`, sql`${table.purgedAt} is null`))
      .limit(500)
    for (const { id } of rows) {
      await db.transaction(async (tx) => {
        const target = await loadTarget(tx, kind, id)
        if (!target || target.purgedAt) return
        await tx.update(table).set({ bodySource: '', bodyHtml: '<p>[removed]</p>', purgedAt: now }).where(eq(table.id, id))
        // Earlier versions hold the same text.
        await tx.update(postRevisions).set({ bodySource: '', bodyHtml: '<p>[removed]</p>' }).where(and(eq(postRevisions.postKind, kind), eq(postRevisions.postId, id)))
        await recordAction(tx, { moderatorId: null, action: 'purge', target, reason: `Removed more than ${REMOVAL_RESTORABLE_DAYS} days ago.`, at: now })
        purged++
      })
    }
  }
  return purged
}
