import { MAX_ID } from '~/platform/misc'

/**
 * Which composer a draft belongs to, per member: browser-safe, so pages name their draft with the
 * same words the server checks. One draft per member and key.
 */
export const QUESTION_DRAFT_KEY = 'question:new'
export const TICKET_DRAFT_KEY = 'ticket:new'
export const ANSWER_DRAFT_PREFIX = 'answer:'
export const TICKET_REPLY_DRAFT_PREFIX = 'ticket-reply:'
export const answerDraftKey = (questionId: number) => `${ANSWER_DRAFT_PREFIX}${questionId}`
export const ticketReplyDraftKey = (ticketNumber: number) => `${TICKET_REPLY_DRAFT_PREFIX}${ticketNumber}`

const KEY_PATTERN = /^(?:question:new|ticket:new|(?:answer|ticket-reply):([1-9][0-9]{0,9}))$/

/** Only the four kinds above, with an id that fits PostgreSQL's integer: anything else is no draft. */
export function isDraftKey(key: string): boolean {
  const match = KEY_PATTERN.exec(key)
  return !!match && (match[1] === undefined || Number(match[1]) <= MAX_ID)
}

/** A draft as pages receive it. */
export type Draft = { title: string | null; body: string; updatedAt: string }

/** As long as a post may be: a longer text is neither previewed nor kept as a draft. */
export const COMPOSER_MAX_LENGTH = 30_000
export const DRAFT_TITLE_MAX_LENGTH = 200
