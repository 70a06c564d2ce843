import { invalid, itemRefusal, allowedOf, type ItemFacts, type Moderator, type Refusal } from './decision'

/** Schema-free: which decisions fit a queued post (decision 031), for the queue page and for `decideQueuedPost`. */

export const QUEUED_POST_ACTIONS = ['approve', 'edit-approve', 'reject'] as const
export type QueuedPostAction = (typeof QUEUED_POST_ACTIONS)[number]

export const QUEUED_POST_ACTION_LABELS: Record<QueuedPostAction, string> = {
  approve: 'Approve: publish it as written',
  'edit-approve': 'Edit and approve: publish it with your changes',
  reject: 'Reject: it is never published (the author is told why)',
}

export type QueuedPostFacts = ItemFacts & {
  /** The post, while it still exists and waits. */
  target: { queuedAt: Date | string | null; removedAt: Date | string | null } | null
}

export function queuedPostActionRefusal(_action: QueuedPostAction, item: QueuedPostFacts, viewer: Pick<Moderator, 'id'>): Refusal | null {
  const general = itemRefusal(item, viewer)
  if (general) return general
  if (!item.target || item.target.removedAt) return invalid('The post no longer exists.')
  if (!item.target.queuedAt) return invalid('The post is no longer waiting for approval.')
  return null
}

export const allowedQueuedPostActions = (item: QueuedPostFacts, viewer: Pick<Moderator, 'id'>) => allowedOf(QUEUED_POST_ACTIONS, (action) => queuedPostActionRefusal(action, item, viewer))
