/**
 * Call-back rules the browser needs too (which fields, when they show): schema-free, server-free.
 * Premium "phone support for critical issues" (issue 14, docs/decisions/035).
 */
export const CALL_BACK_FIELDS = ['callBackPhone', 'callBackDate', 'callBackFrom', 'callBackTo'] as const

/** Who may ask for a call back on a ticket: a premium member, on a critical request of their own. */
export function mayRequestCallBack(user: { isPremium: boolean } | null | undefined, ticket: { priority: string }) {
  return !!user?.isPremium && ticket.priority === 'critical'
}
