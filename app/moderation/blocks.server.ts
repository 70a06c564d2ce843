import { and, eq, sql, type AnyColumn, type SQLWrapper } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { userBlocks, users } from '#db/schema/index'
import { isStaffRole } from '~/platform/auth/permissions'

// Other domains read blocks through blockedBetweenSql; this file imports no other moderation
// module, so importing it never pulls moderation's effects (and their forum imports) along.

/**
 * True in SQL when either member blocked the other: then neither may reply to, or be notified
 * about, the other. Takes ids or column expressions, so it fits in any query's select or where.
 */
export const blockedBetweenSql = (a: number | AnyColumn | SQLWrapper, b: number | AnyColumn | SQLWrapper) =>
  sql<boolean>`exists (select 1 from user_blocks b where (b.blocker_id = ${a} and b.blocked_id = ${b}) or (b.blocker_id = ${b} and b.blocked_id = ${a}))`

/** Blocks in one direction each, in one statement; a member's block is one pair, a moderator's mutual block two per pair of members. */
export async function addBlocks(tx: DbOrTx, pairs: { blockerId: number; blockedId: number; moderationActionId?: number | null }[]) {
  if (pairs.length === 0) return
  await tx
    .insert(userBlocks)
    .values(pairs.map((p) => ({ blockerId: p.blockerId, blockedId: p.blockedId, moderationActionId: p.moderationActionId ?? null })))
    .onConflictDoUpdate({ target: [userBlocks.blockerId, userBlocks.blockedId], set: { moderationActionId: sql`coalesce(${userBlocks.moderationActionId}, excluded.moderation_action_id)` } })
}

export async function removeBlock(tx: DbOrTx, blockerId: number, blockedId: number, { includeModerated = false } = {}) {
  const rows = await tx
    .delete(userBlocks)
    .where(and(eq(userBlocks.blockerId, blockerId), eq(userBlocks.blockedId, blockedId), includeModerated ? undefined : sql`${userBlocks.moderationActionId} is null`))
    .returning({ blockerId: userBlocks.blockerId })
  return rows.length > 0
}

export type BlockResult = 'ok' | 'no-such-member' | 'self' | 'staff'

export async function blockMember({ blockerId, username }: { blockerId: number; username: string }): Promise<BlockResult> {
  return db.transaction(async (tx) => {
    const [other] = await tx.select({ id: users.id, role: users.role }).from(users).where(sql`lower(${users.username}) = lower(${username})`)
    if (!other) return 'no-such-member'
    if (other.id === blockerId) return 'self'
    // Staff must stay able to help everyone.
    if (isStaffRole(other.role)) return 'staff'
    await addBlocks(tx, [{ blockerId, blockedId: other.id }])
    return 'ok'
  })
}

export async function unblockMember({ blockerId, username }: { blockerId: number; username: string }) {
  return db.transaction(async (tx) => {
    const [other] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${username})`)
    if (!other) return false
    return removeBlock(tx, blockerId, other.id)
  })
}

export async function hasBlocked({ blockerId, blockedId }: { blockerId: number; blockedId: number }) {
  const [row] = await db
    .select({ byModerator: sql<boolean>`${userBlocks.moderationActionId} is not null` })
    .from(userBlocks)
    .where(and(eq(userBlocks.blockerId, blockerId), eq(userBlocks.blockedId, blockedId)))
  return row ? { byModerator: row.byModerator } : null
}
