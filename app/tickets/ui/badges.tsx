import type { SlaBadge as SlaBadgeState } from '~/tickets/tickets.server'
import type { TicketPriority, TicketStatus } from '~/tickets/sla/engine'

// Keyed by the types, so a priority or SLA state added on the server cannot be missing here.
export const PRIORITY_LABELS: Record<TicketPriority, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' }
export const PRIORITY_OPTIONS = (Object.keys(PRIORITY_LABELS) as TicketPriority[]).map((value) => ({ value, label: PRIORITY_LABELS[value] }))

export const STATUS_LABELS: Record<TicketStatus, string> = { open: 'Open', pending: 'Pending', solved: 'Solved', closed: 'Closed' }

const SLA_LABELS: Record<SlaBadgeState, string> = { 'on-track': 'On track', 'at-risk': 'At risk', breached: 'Breached', paused: 'Paused', met: 'SLA met' }
export const SLA_OPTIONS = (Object.keys(SLA_LABELS) as SlaBadgeState[]).map((value) => ({ value, label: SLA_LABELS[value] }))

export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span className={`badge badge-status-${status}`}>{STATUS_LABELS[status]}</span>
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  return <span className={`badge badge-priority-${priority}`}>{PRIORITY_LABELS[priority]} priority</span>
}

export function SlaBadge({ state }: { state: SlaBadgeState }) {
  return <span className={`badge badge-sla-${state}`}>{SLA_LABELS[state]}</span>
}

export const RATING_OPTIONS = [
  { value: '', label: 'Choose…' },
  { value: '5', label: '5 — excellent' },
  { value: '4', label: '4 — good' },
  { value: '3', label: '3 — okay' },
  { value: '2', label: '2 — poor' },
  { value: '1', label: '1 — very poor' },
]
