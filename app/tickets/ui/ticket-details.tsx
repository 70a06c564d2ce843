import { STATUS_LABELS } from '~/tickets/constants'
import type { TicketStatus } from '~/tickets/sla/engine'
import { DateTime } from '~/ui/time'

type DetailsTicket = {
  requesterUsername: string | null
  requesterEmail: string
  createdAt: string
  status: TicketStatus
  tier: number | null
  assigneeUsername: string | null
  source: string
  slaStartedAt: string
  firstResponseAt: string | null
  firstResponseDueAt: string | null
  solvedAt: string | null
  resolutionDueAt: string | null
  nextUpdateDueAt: string | null
}

/** Who asked and when; staff also see the tier, the assignee and the SLA clocks. */
export function TicketDetails({ ticket, staff }: { ticket: DetailsTicket; staff: boolean }) {
  return (
    <section>
      <h2>Details</h2>
      <dl>
        <dt>Requester</dt>
        <dd>{ticket.requesterUsername ?? ticket.requesterEmail}</dd>
        <dt>Opened</dt>
        <dd><DateTime value={ticket.createdAt} /></dd>
        <dt>Status</dt>
        <dd>{STATUS_LABELS[ticket.status]}</dd>
        {staff ? (
          <>
            <dt>Tier</dt>
            <dd>{ticket.tier}</dd>
            <dt>Assignee</dt>
            <dd>{ticket.assigneeUsername ?? 'Unassigned'}</dd>
            <dt>Source</dt>
            <dd>{ticket.source}</dd>
            <dt>Waiting since</dt>
            <dd><DateTime value={ticket.slaStartedAt} /></dd>
            <dt>First response due</dt>
            <dd>{ticket.firstResponseAt ? <>Answered <DateTime value={ticket.firstResponseAt} /></> : ticket.firstResponseDueAt ? <DateTime value={ticket.firstResponseDueAt} /> : 'Paused'}</dd>
            <dt>Resolution due</dt>
            <dd>{ticket.solvedAt ? <>Solved <DateTime value={ticket.solvedAt} /></> : ticket.resolutionDueAt ? <DateTime value={ticket.resolutionDueAt} /> : 'Paused'}</dd>
            {ticket.nextUpdateDueAt ? (
              <>
                <dt>Next update due</dt>
                <dd><DateTime value={ticket.nextUpdateDueAt} /></dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>
    </section>
  )
}

type TicketEvent = { id: number; kind: string; actorUsername: string | null; fromValue: string | null; toValue: string | null; reason: string | null; createdAt: string }

const statusLabel = (value: string | null) => STATUS_LABELS[value as TicketStatus] ?? value

function eventWords(e: TicketEvent) {
  switch (e.kind) {
    case 'created':
      return e.toValue === 'thread' ? 'converted the forum thread into this ticket' : e.toValue === 'chat' ? 'converted a live chat into this ticket' : e.toValue === 'email' ? 'opened the ticket by mail' : 'opened the ticket'
    case 'status':
      return `changed the status from ${statusLabel(e.fromValue)} to ${statusLabel(e.toValue)}`
    case 'priority':
      return `changed the priority from ${e.fromValue} to ${e.toValue}`
    case 'tier':
      return `escalated from tier ${e.fromValue} to tier ${e.toValue}`
    case 'assignee':
      return e.toValue ? `assigned the ticket to ${e.toValue}` : `unassigned ${e.fromValue ?? 'the ticket'}`
    case 'escalation-requested':
      return 'asked for escalation'
    case 'sla-warning':
      return `warned: the ${e.toValue?.replace('-', ' ')} target is at risk`
    case 'sla-breach':
      return `recorded a breach of the ${e.toValue?.replace('-', ' ')} target`
    case 'rated':
      return `rated the support ${e.toValue} out of 5`
    case 'follow-up':
      return `opened follow-up ticket #${e.toValue}`
    case 'management':
      return 'escalated to support management'
  }
}

/** What happened to the ticket, oldest first; the requester's page carries only the events they may see. */
export function TicketHistory({ events }: { events: TicketEvent[] }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ol className="history">
        {events.map((e) => (
          <li key={e.id}>
            <DateTime value={e.createdAt} />: {e.actorUsername ?? 'Parley'} {eventWords(e)}
            {e.kind === 'created' && e.toValue === 'chat' && e.reason?.startsWith('/support/chat/') ? (
              <>
                {' '}
                (<a href={e.reason}>see the chat</a>)
              </>
            ) : e.reason ? (
              ` (“${e.reason}”)`
            ) : (
              ''
            )}
          </li>
        ))}
      </ol>
    </section>
  )
}
