import type { NotificationDelivery, NotificationKind } from '#db/enums'

export type { NotificationDelivery, NotificationKind }

/**
 * Every kind of notification, with the words a member chooses by and the delivery it gets until
 * they choose. What concerns the member directly comes at once; what they merely watch waits for
 * the daily digest, as Discourse and Stack Overflow do.
 */
export const NOTIFICATION_KINDS: { kind: NotificationKind; label: string; defaultDelivery: NotificationDelivery }[] = [
  { kind: 'new-answer', label: 'A new answer to my question', defaultDelivery: 'immediate' },
  { kind: 'answer-accepted', label: 'My answer accepted', defaultDelivery: 'immediate' },
  { kind: 'answer-official', label: 'My answer marked official', defaultDelivery: 'immediate' },
  { kind: 'mention', label: 'Someone @mentions me', defaultDelivery: 'immediate' },
  { kind: 'watched-thread', label: 'A new answer in a thread I watch', defaultDelivery: 'digest' },
  { kind: 'watched-category', label: 'A new question in a category I watch', defaultDelivery: 'digest' },
  { kind: 'ticket-update', label: 'Updates to my support tickets', defaultDelivery: 'immediate' },
  { kind: 'moderation-outcome', label: 'Moderation decisions about me or my posts', defaultDelivery: 'immediate' },
  { kind: 'report-outcome', label: 'The outcome of reports I filed', defaultDelivery: 'immediate' },
  { kind: 'appeal-decision', label: 'Decisions on my appeals', defaultDelivery: 'immediate' },
  { kind: 'ticket-management', label: 'Tickets escalated to support management (admins)', defaultDelivery: 'immediate' },
]

export const DELIVERY_OPTIONS: { value: NotificationDelivery; label: string }[] = [
  { value: 'immediate', label: 'Mail me at once' },
  { value: 'digest', label: 'In a daily digest' },
  { value: 'never', label: 'Never by mail' },
]

export const defaultDelivery = (kind: NotificationKind) => NOTIFICATION_KINDS.find((k) => k.kind === kind)!.defaultDelivery
