import type { UserRole } from '#db/schema/users'
import { isStaffRole } from '~/platform/auth/permissions'
import { allowedOf, invalid, itemRefusal, type ItemFacts, type Moderator, type Refusal } from './decision'

/** Schema-free: which decisions fit a report item, for the queue page and for `decideReport`. */

export const REPORT_ACTIONS = ['dismiss', 'ignore', 'hide', 'remove', 'lock', 'warn', 'silence', 'suspend', 'hide-silence', 'hide-suspend', 'ban'] as const
export type ReportAction = (typeof REPORT_ACTIONS)[number]

export const REPORT_ACTION_LABELS: Record<ReportAction, string> = {
  dismiss: 'Dismiss: the reports were wrong (un-hides it)',
  ignore: 'Ignore: close the reports without a verdict (nothing changes, nobody is told)',
  hide: 'Hide the content (the author may edit once and appeal)',
  remove: 'Remove the content (restorable for 30 days)',
  lock: 'Lock the thread',
  warn: 'Warn the author',
  silence: 'Silence the author (can read and log in, cannot post)',
  suspend: 'Suspend the author (cannot use the site except to appeal)',
  'hide-silence': 'Hide the content and silence the author',
  'hide-suspend': 'Hide the content and suspend the author',
  ban: 'Ban the author',
}

/** The actions that restrict the author, each for a number of days but the ban. */
export const PENALISES_AUTHOR: readonly ReportAction[] = ['warn', 'silence', 'suspend', 'hide-silence', 'hide-suspend', 'ban']
export const TAKES_DAYS: readonly ReportAction[] = ['silence', 'suspend', 'hide-silence', 'hide-suspend']

export type ReportFacts = ItemFacts & {
  /** What was reported, and whose it is; null when it no longer exists. */
  target: { kind: 'question' | 'answer' | 'user'; userRole: UserRole } | null
}

export function reportActionRefusal(action: ReportAction, item: ReportFacts, viewer: Pick<Moderator, 'id'>): Refusal | null {
  const general = itemRefusal(item, viewer)
  if (general) return general
  const { target } = item
  if (!target) return invalid('The reported content no longer exists.')
  if ((action === 'hide' || action === 'remove' || action === 'lock' || action === 'hide-silence' || action === 'hide-suspend') && target.kind === 'user')
    return invalid('A profile cannot be hidden, removed or locked; warn, suspend or ban the member instead.')
  // The thread is the asker's: locking it on an answer's report would tell the answer's author their thread was locked.
  if (action === 'lock' && target.kind === 'answer')
    return invalid('Only a reported question locks its thread; hide or remove the answer, or lock the thread from a report on the question.')
  if (PENALISES_AUTHOR.includes(action) && isStaffRole(target.userRole))
    return invalid('Staff accounts are not warned, suspended or banned from the queue; talk to an admin.')
  return null
}

export const allowedReportActions = (item: ReportFacts, viewer: Pick<Moderator, 'id'>) => allowedOf(REPORT_ACTIONS, (action) => reportActionRefusal(action, item, viewer))
