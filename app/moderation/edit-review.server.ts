import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '#db/client.server'
import { answers, questions, reviewItems } from '#db/schema/index'
import { reviewQueueChanged } from './queue-events.server'

// The forum's one way into moderation when a post is edited. It writes only the queue row, and
// imports nothing that imports the forum, so the two domains stay free of import circles.

/**
 * The author of hidden content edited it: once, that puts it back in the queue for another look.
 * Returns false when the author already used their one edit.
 */
export async function requestReviewAfterEdit(tx: Tx, targetKind: 'question' | 'answer', targetId: number) {
  const table = targetKind === 'question' ? questions : answers
  const [post] = await tx
    .update(table)
    .set({ reviewEditUsed: true })
    .where(and(eq(table.id, targetId), sql`${table.hiddenAt} is not null`, eq(table.reviewEditUsed, false)))
    .returning({ authorId: table.authorId })
  if (!post) return false
  await reviewQueueChanged(tx)
  await tx
    .insert(reviewItems)
    .values({ kind: 'report', targetKind, targetId, targetUserId: post.authorId, statement: 'The author edited the hidden content and asks for another review.' })
    .onConflictDoUpdate({
      target: [reviewItems.targetKind, reviewItems.targetId],
      targetWhere: sql`${reviewItems.kind} = 'report' and ${reviewItems.status} = 'pending'`,
      set: { statement: 'The author edited the hidden content and asks for another review.', version: sql`${reviewItems.version} + 1`, updatedAt: new Date() },
    })
  return true
}
