import type { ActionKind } from './effects.server'
import { allowedOf, invalid, itemRefusal, type ItemFacts, type Moderator, type Refusal } from './decision'

/** Schema-free: which outcomes fit an appeal, for the queue page and for `decideAppeal`. */

export const APPEAL_ACTIONS = ['upheld', 'overturned'] as const
export type AppealAction = (typeof APPEAL_ACTIONS)[number]

export const APPEAL_ACTION_LABELS: Record<AppealAction, string> = {
  upheld: 'Uphold the decision',
  overturned: 'Overturn it (reverses the action)',
}

/** The actions a member may appeal; each has a reversal. */
export const APPEALABLE_ACTIONS: readonly ActionKind[] = ['hide', 'remove', 'warn', 'suspend', 'silence', 'ban', 'block', 'delete-spammer']
export const REMOVAL_RESTORABLE_DAYS = 30

export type AppealFacts = ItemFacts & {
  /** The action under appeal: who took it, and whether it is still in force. */
  appealedAction: { action: ActionKind; moderatorId: number | null; reversed: boolean } | null
  /** Whether the removed content under appeal has lost its text for good. */
  targetPurged: boolean
}

export function appealActionRefusal(action: AppealAction, item: AppealFacts, viewer: Pick<Moderator, 'id' | 'role'>): Refusal | null {
  const general = itemRefusal(item, viewer)
  if (general) return general
  const appealed = item.appealedAction
  if (!appealed) return invalid('The action under appeal no longer exists.')
  // A second pair of eyes; admins are the last resort and may decide any appeal.
  if (appealed.moderatorId === viewer.id && viewer.role !== 'admin') return { ok: false, reason: 'same-moderator' }
  if (action === 'overturned' && appealed.reversed) return invalid('That action was already reversed.')
  if (action === 'overturned' && appealed.action === 'remove' && item.targetPurged)
    return invalid(`The content was purged ${REMOVAL_RESTORABLE_DAYS} days after removal and cannot be restored.`)
  return null
}

export const allowedAppealActions = (item: AppealFacts, viewer: Pick<Moderator, 'id' | 'role'>) => allowedOf(APPEAL_ACTIONS, (action) => appealActionRefusal(action, item, viewer))
