import type { UserRole } from '#db/schema/users'
import { isStaffRole } from '~/platform/auth/permissions'
import { allowedOf, invalid, itemRefusal, type ItemFacts, type Moderator, type Refusal } from './decision'

/** Schema-free: which outcomes fit a conflict case, for the queue page and for `resolveConflict`. */

export const CONFLICT_ACTIONS = ['agreement', 'warning', 'mutual-block', 'suspension'] as const
export type ConflictOutcome = (typeof CONFLICT_ACTIONS)[number]

export const CONFLICT_ACTION_LABELS: Record<ConflictOutcome, string> = {
  agreement: 'Resolved by agreement',
  warning: 'Warn the chosen parties',
  'mutual-block': 'Mutual block',
  suspension: 'Suspend the chosen parties',
}

export type ConflictFacts = ItemFacts & {
  /** The member the case is about. */
  targetUserId: number | null
  parties: { id: number; role: UserRole }[]
}

export function conflictActionRefusal(action: ConflictOutcome, item: ConflictFacts, viewer: Pick<Moderator, 'id' | 'role'>): Refusal | null {
  const general = itemRefusal(item, viewer)
  if (general) return general
  // As with appeals, nobody judges their own case; admins are the last resort.
  if (item.parties.some((p) => p.id === viewer.id) && viewer.role !== 'admin') return invalid('You are a party to this case, so another moderator (or an admin) must resolve it.')
  const members = item.parties.filter((p) => !isStaffRole(p.role))
  if (action === 'suspension' && members.length === 0) return invalid('Staff accounts are not suspended from the queue.')
  if (action === 'mutual-block') {
    // The case is about one member: they and each other party are kept apart; staff are never
    // blocked, as members cannot block them either.
    const reported = members.find((p) => p.id === item.targetUserId)
    if (!reported || members.length < 2) return invalid('A mutual block needs the member the case is about and another party, neither of them staff.')
  }
  return null
}

export const allowedConflictActions = (item: ConflictFacts, viewer: Pick<Moderator, 'id' | 'role'>) => allowedOf(CONFLICT_ACTIONS, (action) => conflictActionRefusal(action, item, viewer))
