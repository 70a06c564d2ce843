import { Link } from '@remix-run/react'
import { PRIORITY_LABELS, SLA_LABELS, STATUS_LABELS, type SlaBadge as SlaBadgeState } from '~/tickets/constants'
import type { TicketPriority, TicketStatus } from '~/tickets/sla/engine'

export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span className={`badge badge-status-${status}`}>{STATUS_LABELS[status]}</span>
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  return <span className={`badge badge-priority-${priority}`}>{PRIORITY_LABELS[priority]} priority</span>
}

export function SlaBadge({ state }: { state: SlaBadgeState }) {
  return <span className={`badge badge-sla-${state}`}>{SLA_LABELS[state]}</span>
}

/** A ticket as lists name it: "#1042 Printer offline", linking to the ticket. */
export function TicketLink({ ticket }: { ticket: { number: number; subject: string } }) {
  return (
    <Link to={`/tickets/${ticket.number}`}>
      #{ticket.number} {ticket.subject}
    </Link>
  )
}
