/**
 * What the header's "Live chat" link last learned about chat being open, kept for 20 seconds in this
 * process (availability.server.ts fills it). Here on its own so that whatever changes the answer —
 * an agent's availability, the business calendar — can forget it without importing the chat module.
 */
/** Whether chat is open now, and if not, why and (when the calendar is closed) when it opens. */
export type ChatOpenness = { open: true } | { open: false; reason: 'closed'; opensAt: Date } | { open: false; reason: 'no-agents' }

let remembered: { until: number; value: ChatOpenness } | null = null

export const rememberedOpenness = () => remembered
export function rememberOpenness(value: ChatOpenness, until: number) {
  remembered = { until, value }
}
export function forgetChatOpenness() {
  remembered = null
}
