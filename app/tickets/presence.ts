/** Browser-safe: what a ticket page says about its reader, and for how long it holds. */
export const PRESENCE_STATES = ['viewing', 'replying'] as const
export type PresenceState = (typeof PRESENCE_STATES)[number]
/** A page says it again every PRESENCE_EVERY_SECONDS; a word older than the TTL is forgotten. */
export const PRESENCE_EVERY_SECONDS = 20
export const PRESENCE_TTL_SECONDS = 50
