import type { UserRole } from '#db/schema/users'
import { isStaffRole } from '~/platform/auth/permissions'
import { allowedOf, invalid, itemRefusal, type ItemFacts, type Moderator, type Refusal } from './decision'

/** Schema-free: which decisions fit a report item, for the queue page and for `decideReport`. */

export const REPORT_ACTIONS = ['dismiss', 'hide', 'remove', 'lock', 'warn', 'suspend', 'ban'] as const
export type ReportAction = (typeof REPORT_ACTIONS)[number]

export const REPORT_ACTION_LABELS: Record<ReportAction, string> = {
  dismiss: 'Dismiss: the reports were wrong (un-hides it)',
  hide: 'Hide the content (the author may edit once and appeal)',
  remove: 'Remove the content (restorable for 30 days)',
  lock: 'Lock the thread',
  warn: 'Warn the author',
  suspend: 'Suspend the author',
  ban: 'Ban the author',
}

export type ReportFacts = ItemFacts & {
  /** What was reported, and whose it is; null when it no longer exists. */
  target: { kind: 'question' | 'answer' | 'user'; userRole: UserRole } | null
}

export function reportActionRefusal(action: ReportAction, item: ReportFacts, viewer: Pick<Moderator, 'id'>): Refusal | null {
  const general = itemRefusal(item, viewer)
  if (general) return general
  const { target } = item
  if (!target) return invalid('The reported content no longer exists.')
  if ((action === 'hide' || action === 'remove' || action === 'lock') && target.kind === 'user')
    return invalid('A profile cannot be hidden, removed or locked; warn, suspend or ban the member instead.')
  // The thread is the asker's: locking it on an answer's report would tell the answer's author their thread was locked.
  if (action === 'lock' && target.kind === 'answer')
    return invalid('Only a reported question locks its thread; hide or remove the answer, or lock the thread from a report on the question.')
  if ((action === 'warn' || action === 'suspend' || action === 'ban') && isStaffRole(target.userRole))
    return invalid('Staff accounts are not warned, suspended or banned from the queue; talk to an admin.')
  return null
}

export const allowedReportActions = (item: ReportFacts, viewer: Pick<Moderator, 'id'>) => allowedOf(REPORT_ACTIONS, (action) => reportActionRefusal(action, item, viewer))
