import { eq, sql } from 'drizzle-orm'
import { db, type Tx } from '#db/client.server'
import { moderationActions, userBlocks } from '#db/schema/index'
import { REMOVAL_RESTORABLE_DAYS } from './appeal-actions'
import { removeBlock } from './blocks.server'
import type { Moderator } from './decision'
import { loadTarget, recordAction, setBan, setHidden, setLocked, setRemoved, setSilence, setSuspension, type ActionKind } from './effects.server'
import { unscreenDecision } from './screening.server'

const REVERSAL: Partial<Record<ActionKind, ActionKind>> = {
  'auto-hide': 'unhide',
  hide: 'unhide',
  remove: 'restore',
  lock: 'unlock',
  warn: 'withdraw-warning',
  suspend: 'lift-suspension',
  silence: 'lift-silence',
  ban: 'lift-ban',
  block: 'unblock',
}
/** Undoes an action's effect and records the reversal against it. */
export async function reverseAction(tx: Tx, actionId: number, moderatorId: number, reason: string, reviewItemId: number | null): Promise<{ ok: true } | { ok: false; message: string }> {
  const [action] = await tx.select().from(moderationActions).where(eq(moderationActions.id, actionId))
  if (!action) return { ok: false, message: 'There is no such action.' }
  const reversal = REVERSAL[action.action]
  if (!reversal) return { ok: false, message: 'That action cannot be reversed.' }
  const [already] = await tx.select({ id: moderationActions.id }).from(moderationActions).where(eq(moderationActions.reversesActionId, actionId))
  if (already) return { ok: false, message: 'That action was already reversed.' }
  const target = await loadTarget(tx, action.targetKind, action.targetId)
  if (!target) return { ok: false, message: 'The content no longer exists.' }
  switch (action.action) {
    case 'auto-hide':
    case 'hide':
      await setHidden(tx, target, null)
      break
    case 'remove':
      if (target.purgedAt) return { ok: false, message: `The content was purged ${REMOVAL_RESTORABLE_DAYS} days after removal and cannot be restored.` }
      await setRemoved(tx, target, null)
      break
    case 'lock':
      await setLocked(tx, action.targetId, null)
      break
    case 'suspend':
      await setSuspension(tx, action.targetUserId!, null, null)
      break
    case 'silence':
      await setSilence(tx, action.targetUserId!, null, null)
      break
    case 'ban':
      await setBan(tx, action.targetUserId!, null)
      await unscreenDecision(tx, actionId)
      break
    case 'block': {
      // A mutual block is one 'block' action per party; reversing any of them lifts the whole block.
      const siblings = action.reviewItemId
        ? sql`(select id from moderation_actions where review_item_id = ${action.reviewItemId} and action = 'block')`
        : sql`(${actionId})`
      const pairs = await tx
        .select({ blockerId: userBlocks.blockerId, blockedId: userBlocks.blockedId })
        .from(userBlocks)
        .where(sql`${userBlocks.moderationActionId} in ${siblings}`)
      for (const p of pairs) await removeBlock(tx, p.blockerId, p.blockedId, { includeModerated: true })
      break
    }
  }
  await recordAction(tx, { moderatorId, action: reversal, target: { kind: action.targetKind, id: action.targetId, userId: action.targetUserId ?? target.userId }, reason, reviewItemId, reversesActionId: actionId })
  return { ok: true }
}

/**
 * A moderator restores removed content (before it is purged) or lifts an action outside an appeal.
 * From a queue item (`reviewItemId`), only an action taken on that item, and the reversal is logged
 * with it, so the item's history shows its restore.
 */
export async function reverseModerationAction({ actionId, moderator, reason, reviewItemId = null }: { actionId: number; moderator: Moderator; reason: string; reviewItemId?: number | null }) {
  return db.transaction(async (tx) => {
    if (reviewItemId !== null) {
      const [action] = await tx.select({ reviewItemId: moderationActions.reviewItemId }).from(moderationActions).where(eq(moderationActions.id, actionId))
      if (action && action.reviewItemId !== reviewItemId) return { ok: false, message: 'That action was not taken on this item.' } as const
    }
    return reverseAction(tx, actionId, moderator.id, reason, reviewItemId)
  })
}
