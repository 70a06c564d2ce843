/**
 * What the browser needs to know about tickets: labels and form options. Schema-free and
 * server-free, so the pages that use them ship no database code.
 */
import type { TicketPriority, TicketStatus } from './sla/engine'

export type TicketSource = 'web' | 'email' | 'thread' | 'chat'
/** The state an agent sees at a glance: the most urgent running target, or whether all were met. */
export type SlaBadge = 'on-track' | 'at-risk' | 'breached' | 'paused' | 'met'

// Keyed by the types, so a priority or SLA state added on the server cannot be missing here.
export const PRIORITY_LABELS: Record<TicketPriority, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' }
export const PRIORITY_OPTIONS = (Object.keys(PRIORITY_LABELS) as TicketPriority[]).map((value) => ({ value, label: PRIORITY_LABELS[value] }))

export const STATUS_LABELS: Record<TicketStatus, string> = { open: 'Open', pending: 'Pending', solved: 'Solved', closed: 'Closed' }

export const SLA_LABELS: Record<SlaBadge, string> = { 'on-track': 'On track', 'at-risk': 'At risk', breached: 'Breached', paused: 'Paused', met: 'SLA met' }
export const SLA_OPTIONS = (Object.keys(SLA_LABELS) as SlaBadge[]).map((value) => ({ value, label: SLA_LABELS[value] }))

export const RATING_OPTIONS = [
  { value: '', label: 'Choose…' },
  { value: '5', label: '5 — excellent' },
  { value: '4', label: '4 — good' },
  { value: '3', label: '3 — okay' },
  { value: '2', label: '2 — poor' },
  { value: '1', label: '1 — very poor' },
]
