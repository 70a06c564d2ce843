/**
 * What the browser needs to know about live chat: labels, limits and realtime topic names.
 * Schema-free and server-free (STYLE.md: constants shared with the browser).
 */
import type { CHAT_STATES } from '#db/enums'

export type ChatState = (typeof CHAT_STATES)[number]

export const CHAT_STATE_LABELS: Record<ChatState, string> = {
  queued: 'Waiting for an agent',
  active: 'With an agent',
  ended: 'Ended',
  abandoned: 'Left before an agent joined',
  converted: 'Turned into a ticket',
}

/** A chat's own topic: new messages, typing, state and queue-place changes. */
export const chatTopic = (chatId: number) => `chat:${chatId}`
/** Agents' waiting list and availability changes. */
export const CHAT_QUEUE_TOPIC = 'queue:chats'

/** A "typing" word holds this long unless said again; the page says it at most every few seconds. */
export const TYPING_TTL_MS = 6_000
export const TYPING_EVERY_MS = 3_000

export const MIN_CAPACITY = 1
export const MAX_CAPACITY = 10
export const DEFAULT_CAPACITY = 2
export const MAX_CHAT_MESSAGE = 5_000

export const chatPath = (chatId: number) => `/support/chat/${chatId}`
