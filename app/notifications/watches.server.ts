/** Watching and muting threads and categories. */
import { and, asc, eq, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { categories, questions, watches, type WatchLevel } from '#db/schema/index'
import { memberViewerSql, questionVisibleSql } from '~/forum/visibility.server'

export type WatchTarget = { questionId: number } | { categoryId: number }
const targetColumn = (target: WatchTarget) => ('questionId' in target ? eq(watches.questionId, target.questionId) : eq(watches.categoryId, target.categoryId))

/**
 * The asker and every answerer watch their thread, unless they chose otherwise before: an existing
 * choice (a mute, say) is kept.
 */
export async function watchAutomatically(tx: DbOrTx, { userId, questionId }: { userId: number; questionId: number }) {
  await tx
    .insert(watches)
    .values({ userId, questionId, level: 'watching' })
    .onConflictDoNothing({ target: [watches.userId, watches.questionId], where: sql`${watches.questionId} is not null` })
}

/** Sets the member's level for a thread or category; null forgets it (back to the default). */
export async function setWatch({ userId, target, level }: { userId: number; target: WatchTarget; level: WatchLevel | null }) {
  await db.transaction(async (tx) => {
    await tx.delete(watches).where(and(eq(watches.userId, userId), targetColumn(target)))
    if (level) await tx.insert(watches).values({ userId, level, ...target })
  })
}

/**
 * What the member watches or mutes, for their settings page (threads newest first, at most 200). A
 * thread they may no longer see (hidden or removed since) keeps its row, so they can forget it, but
 * not its title.
 */
export async function listWatches({ userId }: { userId: number }) {
  const rows = await db
    .select({
      id: watches.id,
      level: watches.level,
      questionId: watches.questionId,
      questionTitle: sql<string | null>`case when ${questionVisibleSql(memberViewerSql(userId))} then ${questions.title} end`,
      categoryId: watches.categoryId,
      categoryName: categories.name,
      categorySlug: categories.slug,
    })
    .from(watches)
    .leftJoin(questions, eq(questions.id, watches.questionId))
    .leftJoin(categories, eq(categories.id, watches.categoryId))
    .where(eq(watches.userId, userId))
    .orderBy(asc(watches.categoryId), sql`${watches.createdAt} desc`)
    .limit(200)
  return rows
}

/** Forgets one of the member's own watches or mutes; false when it is not theirs. */
export async function forgetWatch({ userId, watchId }: { userId: number; watchId: number }) {
  const rows = await db
    .delete(watches)
    .where(and(eq(watches.id, watchId), eq(watches.userId, userId)))
    .returning({ id: watches.id })
  return rows.length > 0
}
