import { and, eq } from 'drizzle-orm'
import { db, type Tx } from '#db/client.server'
import { moderationActions, reports, reviewItems } from '#db/schema/index'
import { APPEALABLE_ACTIONS, appealActionRefusal, type AppealAction } from './appeal-actions'
import type { DecideResult, Moderator } from './decision'
import { loadTarget, recordAction, tellMembers } from './effects.server'
import { lockPendingItem, resolveItem } from './queue.server'
import { reverseAction } from './reversal.server'
import { reviewQueueChanged } from './queue-events.server'

export type AppealResult = { ok: true; reviewItemId: number } | { ok: false; reason: 'not-found' | 'not-appealable' | 'duplicate' }

/** One appeal per action, by the member it affected, with their statement. */
export async function fileAppeal({ memberId, actionId, statement }: { memberId: number; actionId: number; statement: string }): Promise<AppealResult> {
  return db.transaction(async (tx) => {
    const [action] = await tx
      .select({ id: moderationActions.id, action: moderationActions.action, targetKind: moderationActions.targetKind, targetId: moderationActions.targetId })
      .from(moderationActions)
      .where(and(eq(moderationActions.id, actionId), eq(moderationActions.targetUserId, memberId)))
    if (!action) return { ok: false, reason: 'not-found' } as const
    const [reversed] = await tx.select({ id: moderationActions.id }).from(moderationActions).where(eq(moderationActions.reversesActionId, actionId))
    if (!APPEALABLE_ACTIONS.includes(action.action) || reversed) return { ok: false, reason: 'not-appealable' } as const
    await reviewQueueChanged(tx)
    const [item] = await tx
      .insert(reviewItems)
      .values({ kind: 'appeal', targetKind: action.targetKind, targetId: action.targetId, targetUserId: memberId, openedById: memberId, moderationActionId: actionId, statement: statement.trim() })
      .onConflictDoNothing({ target: reviewItems.moderationActionId })
      .returning({ id: reviewItems.id })
    if (!item) return { ok: false, reason: 'duplicate' } as const
    return { ok: true, reviewItemId: item.id } as const
  })
}

/**
 * An appeal is decided by a moderator other than the one who acted (an admin may decide any).
 * Overturning reverses the action's effects; the audit log records the decision and the reversal.
 */
export async function decideAppeal({
  id,
  version,
  moderator,
  outcome,
  reason,
}: {
  id: number
  version: number
  moderator: Moderator
  outcome: AppealAction
  reason: string
}): Promise<DecideResult> {
  return db.transaction(async (tx) => {
    const locked = await lockPendingItem(tx, id, version, 'appeal')
    if (locked.error) return locked.error
    const { item } = locked
    const [action] = await tx.select().from(moderationActions).where(eq(moderationActions.id, item.moderationActionId!))
    const [reversal] = await tx.select({ id: moderationActions.id }).from(moderationActions).where(eq(moderationActions.reversesActionId, action.id))
    const affected = action.action === 'remove' ? await loadTarget(tx, action.targetKind, action.targetId) : null
    const refused = appealActionRefusal(outcome, { ...item, appealedAction: { ...action, reversed: Boolean(reversal) }, targetPurged: Boolean(affected?.purgedAt) }, moderator)
    if (refused) return refused
    const target = { kind: action.targetKind, id: action.targetId, userId: action.targetUserId! }
    if (outcome === 'overturned') {
      const reversed = await reverseAction(tx, action.id, moderator.id, reason, id)
      if (!reversed.ok) return { ok: false, reason: 'invalid', message: reversed.message } as const
    }
    await recordAction(tx, { moderatorId: moderator.id, action: outcome === 'overturned' ? 'appeal-overturned' : 'appeal-upheld', target, reason, reviewItemId: id })
    await resolveItem(tx, id, moderator.id, outcome, reason)
    await tellMembers(tx, {
      userIds: [action.targetUserId!],
      kind: 'appeal-decision',
      subject: outcome === 'overturned' ? 'Your appeal was successful' : 'Your appeal was reviewed',
      lines: [outcome === 'overturned' ? 'A moderator reviewed your appeal and reversed the decision.' : 'A moderator reviewed your appeal and upheld the decision.', `Explanation: ${reason}`],
      footer: 'See your moderation history at',
    })
    if (outcome === 'overturned' && action.reviewItemId) await tellReporters(tx, action.reviewItemId, action.action)
    return { ok: true } as const
  })
}

/**
 * The members whose report led to an action now overturned were told it was upheld: they hear
 * that it no longer holds (never who decided, nor the appellant's statement).
 */
async function tellReporters(tx: Tx, reportItemId: number, action: string) {
  const reporters = await tx
    .select({ reporterId: reports.reporterId })
    .from(reports)
    .where(and(eq(reports.reviewItemId, reportItemId), eq(reports.status, 'upheld')))
  await tellMembers(tx, {
    userIds: [...new Set(reporters.map((r) => r.reporterId))],
    kind: 'report-outcome',
    subject: 'A decision on your report was reversed on appeal',
    lines: [`A moderator reviewed an appeal against the decision on a report you filed (${action}) and reversed it.`],
    footer: 'See your reports at',
  })
}
