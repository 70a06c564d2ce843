import type { ReportAction } from './report-actions'

/**
 * Schema-free: the list's one-click decisions (Discourse's agree / disagree / ignore) and the
 * standard reason each gives the member it affects.
 */
export const QUICK_ACTION_NAMES = ['agree', 'disagree', 'ignore'] as const
export type QuickAction = (typeof QUICK_ACTION_NAMES)[number]

export const QUICK_ACTIONS: Record<QuickAction, { action: ReportAction; label: string; reason: string }> = {
  agree: { action: 'hide', label: 'Agree', reason: 'A moderator agreed with the reports: this breaks the community rules, so it was hidden.' },
  disagree: { action: 'dismiss', label: 'Disagree', reason: 'A moderator reviewed the reports and found nothing wrong.' },
  ignore: { action: 'ignore', label: 'Ignore', reason: 'Closed by a moderator without a verdict.' },
}
