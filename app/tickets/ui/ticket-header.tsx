import { Link } from '@remix-run/react'
import { questionPath } from '~/platform/misc'
import type { SlaBadge as SlaBadgeState } from '~/tickets/constants'
import type { TicketPriority, TicketStatus } from '~/tickets/sla/engine'
import { PriorityBadge, SlaBadge, StatusBadge } from './badges'
import { DateTime } from '~/ui/time'

type HeaderTicket = {
  number: number
  subject: string
  status: TicketStatus
  priority: TicketPriority
  slaBadge: SlaBadgeState | null
  premium: boolean
  needsTriage: boolean
  questionId: number | null
  questionTitle: string | null
  followUpOfNumber: number | null
  followUpNumbers: number[]
  escalationRequestedAt: string | null
  escalationRequestReason: string | null
}

/** The ticket's number, state and title, where it came from, and (for staff) a pending escalation request. */
export function TicketHeader({ ticket, staff }: { ticket: HeaderTicket; staff: boolean }) {
  return (
    <header>
      <p className="meta">
        <span>Ticket #{ticket.number}</span>
        <StatusBadge status={ticket.status} />
        <PriorityBadge priority={ticket.priority} />
        {ticket.slaBadge ? <SlaBadge state={ticket.slaBadge} /> : null}
        {staff && ticket.premium ? <span className="badge badge-role">Premium</span> : null}
        {staff && ticket.needsTriage ? <span className="badge badge-flag">Unknown sender: check who this is</span> : null}
      </p>
      <h1 id="ticket-title">{ticket.subject}</h1>
      {ticket.questionId ? (
        <p>
          From the forum thread <Link to={questionPath({ id: ticket.questionId, title: ticket.questionTitle ?? '' })}>{ticket.questionTitle}</Link>
        </p>
      ) : null}
      {ticket.followUpOfNumber ? (
        <p>
          Follow-up to <Link to={`/tickets/${ticket.followUpOfNumber}`}>#{ticket.followUpOfNumber}</Link>
        </p>
      ) : null}
      {ticket.followUpNumbers.length ? (
        <p>
          Follow-up:{' '}
          {ticket.followUpNumbers.map((n) => (
            <Link key={n} to={`/tickets/${n}`}>
              #{n}{' '}
            </Link>
          ))}
        </p>
      ) : null}
      {staff && ticket.escalationRequestedAt ? (
        <p className="notice" role="status">
          <strong>The requester asked for escalation</strong> on <DateTime value={ticket.escalationRequestedAt} />: {ticket.escalationRequestReason}
        </p>
      ) : null}
    </header>
  )
}
