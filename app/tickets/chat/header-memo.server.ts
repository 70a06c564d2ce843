/**
 * What the header's "Live chat" link last learned about chat being open, kept for 20 seconds in this
 * process (availability.server.ts fills it). Here on its own so that whatever changes the answer —
 * an agent's availability, the business calendar — can forget it without importing the chat module.
 */
export type RememberedOpenness<T> = { until: number; value: T }

let remembered: RememberedOpenness<unknown> | null = null

export const rememberedOpenness = <T>() => remembered as RememberedOpenness<T> | null
export function rememberOpenness<T>(value: T, until: number) {
  remembered = { until, value }
}
export function forgetChatOpenness() {
  remembered = null
}
