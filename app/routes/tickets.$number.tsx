import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { ConversationMessage } from '~/ui/conversation-message'
import { formStateFor } from '~/platform/form-state'
import { PRIORITY_OPTIONS, RATING_OPTIONS, STATUS_LABELS } from '~/tickets/constants'
import { PriorityBadge, SlaBadge, StatusBadge } from '~/tickets/ui/badges'
import { addTicketMessage, assignTicket, changeTicketPriority, changeTicketStatus, escalateTicket, requestEscalation, type ChangeResult } from '~/tickets/changes.server'
import { rateTicket } from '~/tickets/rating.server'
import { getTicket } from '~/tickets/read.server'
import { requireUser } from '~/platform/auth/auth.server'
import { formatDateTime } from '~/platform/dates'
import { badRequest, parseForm } from '~/platform/forms.server'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { invariantResponse, questionPath, requireId } from '~/platform/misc'
import { can } from '~/platform/auth/permissions'
import { forbidden } from '~/platform/auth/permissions.server'
import {
  AssignSchema,
  RatingSchema,
  ReasonSchema,
  TicketPrioritySchema,
  TicketReplySchema,
  TicketStatusSchema,
} from '~/tickets/forms.server'

const NOT_FOUND = 'There is no such ticket, or it is not yours to see.'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const data = await getTicket({ number: requireId(params.number), viewer: user })
  // A ticket someone else asked for is a 404, not a 403: its number says nothing about it.
  invariantResponse(data, NOT_FOUND)
  return json({ ...data, staff: can(user, 'work:ticket:any') })
}

function outcome(result: ChangeResult, number: number, invalidMessage: string) {
  if (!result.ok && result.reason === 'forbidden') throw forbidden()
  invariantResponse(result.ok || result.reason !== 'not-found', NOT_FOUND)
  if (!result.ok) throw json({ message: invalidMessage }, { status: 400 })
  return redirect(`/tickets/${number}`)
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const number = requireId(params.number)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const staff = can(user, 'work:ticket:any')
  const staffOnly = () => {
    if (!staff) throw forbidden('Only support agents and admins can do that.')
  }
  const fail = (submission: Parameters<typeof badRequest>[0]) => badRequest(submission, undefined, { intent })

  if (intent === 'reply' || intent === 'note') {
    const submission = parseForm(formData, TicketReplySchema)
    if (submission.status !== 'success') return fail(submission)
    const { body, statusAfter } = submission.value
    if (intent === 'note') staffOnly()
    // Every reply mails the other side; notes stay inside (and staff are exempt anyway).
    if (intent === 'reply') {
      const limited = await rateLimitRefusal({ action: 'ticket-reply', context })
      if (limited) return rateLimitedForm(formData, limited, { intent })
    }
    const result = await addTicketMessage({
      number,
      author: user,
      bodySource: body,
      internal: intent === 'note',
      statusAfter: staff && statusAfter !== 'keep' ? statusAfter : null,
    })
    if (!result.ok && result.reason === 'forbidden') throw forbidden()
    if (!result.ok && result.reason === 'invalid') return fail({ reply: () => submission.reply({ formErrors: ['This ticket is closed; the customer’s next message opens a follow-up.'] }) })
    invariantResponse(result.ok, NOT_FOUND)
    return redirect(`/tickets/${result.number}${result.followUp ? '?followUp=1' : ''}`)
  }

  if (intent === 'status') {
    staffOnly()
    const submission = parseForm(formData, TicketStatusSchema)
    if (submission.status !== 'success') return fail(submission)
    return outcome(await changeTicketStatus({ number, staff: user, status: submission.value.status }), number, 'A closed ticket cannot change status; the customer’s next message opens a follow-up.')
  }

  if (intent === 'priority') {
    staffOnly()
    const submission = parseForm(formData, TicketPrioritySchema)
    if (submission.status !== 'success') return fail(submission)
    return outcome(await changeTicketPriority({ number, staff: user, priority: submission.value.priority }), number, 'That priority could not be set.')
  }

  if (intent === 'escalate') {
    staffOnly()
    const submission = parseForm(formData, ReasonSchema)
    if (submission.status !== 'success') return fail(submission)
    const result = await escalateTicket({ number, staff: user, reason: submission.value.reason })
    if (!result.ok && result.reason === 'invalid') return fail({ reply: () => submission.reply({ formErrors: ['This ticket is already at the top tier, or closed.'] }) })
    return outcome(result, number, '')
  }

  if (intent === 'assign' || intent === 'assign-me') {
    staffOnly()
    const invalid = 'Tickets can be assigned only to agents and admins.'
    if (intent === 'assign-me') return outcome(await assignTicket({ number, staff: user, assigneeId: user.id }), number, invalid)
    const submission = parseForm(formData, AssignSchema)
    if (submission.status !== 'success') return fail(submission)
    const { assigneeId } = submission.value
    return outcome(await assignTicket({ number, staff: user, assigneeId: assigneeId === 'none' ? null : assigneeId }), number, invalid)
  }

  if (intent === 'request-escalation') {
    const submission = parseForm(formData, ReasonSchema)
    if (submission.status !== 'success') return fail(submission)
    const result = await requestEscalation({ number, requester: user, reason: submission.value.reason })
    if (!result.ok && result.reason === 'invalid') return fail({ reply: () => submission.reply({ formErrors: ['You have already asked for escalation, or the ticket is closed.'] }) })
    return outcome(result, number, '')
  }

  if (intent === 'rate') {
    const submission = parseForm(formData, RatingSchema)
    if (submission.status !== 'success') return fail(submission)
    const result = await rateTicket({ number, by: { requesterId: user.id }, ...submission.value })
    invariantResponse(result.ok || result.reason !== 'not-found', NOT_FOUND)
    if (!result.ok) {
      const message = result.reason === 'already-rated' ? 'You have already rated this ticket.' : 'You can rate a ticket once it is solved, until it closes.'
      return fail({ reply: () => submission.reply({ formErrors: [message] }) })
    }
    return redirect(`/tickets/${number}#rating`)
  }

  throw json({ message: 'Unknown action.' }, { status: 400 })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

const eventWords = (e: Data['events'][number]) => {
  switch (e.kind) {
    case 'created':
      return e.toValue === 'thread' ? 'converted the forum thread into this ticket' : e.toValue === 'email' ? 'opened the ticket by mail' : 'opened the ticket'
    case 'status':
      return `changed the status from ${STATUS_LABELS[e.fromValue as keyof typeof STATUS_LABELS] ?? e.fromValue} to ${STATUS_LABELS[e.toValue as keyof typeof STATUS_LABELS] ?? e.toValue}`
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
  }
}

export default function TicketPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { ticket, messages, events, agents, staff } = data
  const reply = formStateFor(actionData, 'reply')
  const note = formStateFor(actionData, 'note')
  const escalate = formStateFor(actionData, 'escalate')
  const requestEsc = formStateFor(actionData, 'request-escalation')
  const rate = formStateFor(actionData, 'rate')
  const closed = ticket.status === 'closed'
  return (
    <article aria-labelledby="ticket-title">
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
            <strong>The requester asked for escalation</strong> on {formatDateTime(ticket.escalationRequestedAt)}: {ticket.escalationRequestReason}
          </p>
        ) : null}
      </header>

      <div className="ticket-layout">
        <div>
          <section aria-labelledby="conversation-heading">
            <h2 id="conversation-heading">Conversation</h2>
            {messages.map((m) => (
              <ConversationMessage
                key={m.id}
                author={m.authorUsername ?? m.authorEmail ?? 'unknown'}
                createdAt={m.createdAt}
                bodyHtml={m.bodyHtml}
                internal={m.internal}
                label={m.internal ? 'Internal note' : 'Message'}
                badges={
                  <>
                    {m.byStaff ? <span className="badge badge-role">Support</span> : null}
                    {m.internal ? <span className="badge badge-flag">Internal note</span> : null}
                  </>
                }
              />
            ))}
          </section>

          {ticket.status === 'solved' && !staff && ticket.ratingScore === null ? (
            <section aria-labelledby="rate-heading" id="rating">
              <h2 id="rate-heading">How did we do?</h2>
              <Form method="post" noValidate>
                <FormErrors errors={rate.formErrors} />
                <SelectField
                  label="Rating"
                  name="score"
                  options={RATING_OPTIONS}
                  defaultValue={rate.value('score')}
                  errors={rate.errorsFor('score')}
                />
                <Field as="textarea" label="Comment (optional)" name="comment" rows={2} defaultValue={rate.value('comment')} errors={rate.errorsFor('comment')} />
                <button type="submit" name="intent" value="rate">
                  Send rating
                </button>
              </Form>
            </section>
          ) : null}
          {ticket.ratingScore !== null ? (
            <p id="rating" className="notice">
              Rated {ticket.ratingScore} out of 5{ticket.ratingComment ? `: “${ticket.ratingComment}”` : ''}
            </p>
          ) : null}

          <section aria-labelledby="reply-heading">
            <h2 id="reply-heading">{closed && !staff ? 'Reply (opens a follow-up request)' : 'Reply'}</h2>
            {closed && staff ? (
              <p className="muted">This ticket is closed. The requester’s next message opens a follow-up ticket.</p>
            ) : (
              <Form method="post" noValidate>
                <FormErrors errors={reply.formErrors} />
                <Field as="textarea" label={staff ? 'Public reply' : 'Your reply'} name="body" rows={5} defaultValue={reply.value('body')} errors={reply.errorsFor('body')} hint={staff ? 'Mailed to the requester. Markdown is supported.' : 'Markdown is supported.'} required />
                {staff ? (
                  <SelectField
                    label="Status after replying"
                    name="statusAfter"
                    defaultValue="pending"
                    options={[
                      { value: 'pending', label: 'Pending (waiting for the customer)' },
                      { value: 'open', label: 'Open' },
                      { value: 'solved', label: 'Solved' },
                      { value: 'keep', label: 'Keep the current status' },
                    ]}
                  />
                ) : null}
                <button type="submit" name="intent" value="reply">
                  {staff ? 'Send reply' : 'Send'}
                </button>
              </Form>
            )}
          </section>

          {staff && !closed ? (
            <section aria-labelledby="note-heading">
              <h2 id="note-heading">Internal note</h2>
              <Form method="post" noValidate>
                <Field as="textarea" id="note-body" label="Note for the team" name="body" rows={3} defaultValue={note.value('body')} errors={note.errorsFor('body')} hint="Only agents and admins see internal notes; they are never mailed." required />
                <button type="submit" name="intent" value="note" className="secondary">
                  Add internal note
                </button>
              </Form>
            </section>
          ) : null}
        </div>

        <aside className="ticket-side" aria-label="Ticket details">
          <section>
            <h2>Details</h2>
            <dl>
              <dt>Requester</dt>
              <dd>{ticket.requesterUsername ?? ticket.requesterEmail}</dd>
              <dt>Opened</dt>
              <dd>{formatDateTime(ticket.createdAt)}</dd>
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
                  <dd>{formatDateTime(ticket.slaStartedAt)}</dd>
                  <dt>First response due</dt>
                  <dd>{ticket.firstResponseAt ? `Answered ${formatDateTime(ticket.firstResponseAt)}` : ticket.firstResponseDueAt ? formatDateTime(ticket.firstResponseDueAt) : 'Paused'}</dd>
                  <dt>Resolution due</dt>
                  <dd>{ticket.solvedAt ? `Solved ${formatDateTime(ticket.solvedAt)}` : ticket.resolutionDueAt ? formatDateTime(ticket.resolutionDueAt) : 'Paused'}</dd>
                  {ticket.nextUpdateDueAt ? (
                    <>
                      <dt>Next update due</dt>
                      <dd>{formatDateTime(ticket.nextUpdateDueAt)}</dd>
                    </>
                  ) : null}
                </>
              ) : null}
            </dl>
          </section>

          {staff && !closed ? (
            <section aria-labelledby="manage-heading">
              <h2 id="manage-heading">Manage</h2>
              <Form method="post">
                <SelectField label="Status" name="status" id="manage-status" defaultValue={ticket.status} options={(['open', 'pending', 'solved', 'closed'] as const).map((s) => ({ value: s, label: STATUS_LABELS[s] }))} />
                <button type="submit" name="intent" value="status" className="secondary">
                  Change status
                </button>
              </Form>
              <Form method="post">
                <SelectField label="Priority" name="priority" id="manage-priority" defaultValue={ticket.priority} options={PRIORITY_OPTIONS} />
                <button type="submit" name="intent" value="priority" className="secondary">
                  Change priority
                </button>
              </Form>
              <Form method="post">
                <SelectField
                  label="Assignee"
                  name="assigneeId"
                  defaultValue={ticket.assigneeId ? String(ticket.assigneeId) : 'none'}
                  options={[{ value: 'none', label: 'Unassigned' }, ...agents.map((a) => ({ value: String(a.id), label: `${a.username}${a.supportTier ? ` (tier ${a.supportTier})` : ''}` }))]}
                />
                <div className="actions">
                  <button type="submit" name="intent" value="assign" className="secondary">
                    Assign
                  </button>
                  <button type="submit" name="intent" value="assign-me" className="secondary">
                    Assign to me
                  </button>
                </div>
              </Form>
              {ticket.tier && ticket.tier < 3 ? (
                <Form method="post" noValidate>
                  <FormErrors errors={escalate.formErrors} />
                  <Field label={`Reason to escalate to tier ${ticket.tier + 1}`} name="reason" id="escalate-reason" defaultValue={escalate.value('reason')} errors={escalate.errorsFor('reason')} required />
                  <button type="submit" name="intent" value="escalate" className="secondary">
                    Escalate to tier {ticket.tier + 1}
                  </button>
                </Form>
              ) : null}
            </section>
          ) : null}

          {!staff && !closed && !ticket.escalationRequestedAt ? (
            <section aria-labelledby="ask-escalation-heading">
              <h2 id="ask-escalation-heading">Need more help?</h2>
              <Form method="post" noValidate>
                <FormErrors errors={requestEsc.formErrors} />
                <Field label="Why should this go to a senior specialist?" name="reason" id="request-escalation-reason" defaultValue={requestEsc.value('reason')} errors={requestEsc.errorsFor('reason')} required />
                <button type="submit" name="intent" value="request-escalation" className="secondary">
                  Ask for escalation
                </button>
              </Form>
            </section>
          ) : null}
          {!staff && ticket.escalationRequestedAt ? <p className="notice">You asked for escalation; our team has been told.</p> : null}

          <section aria-labelledby="history-heading">
            <h2 id="history-heading">History</h2>
            <ol className="history">
              {events.map((e) => (
                <li key={e.id}>
                  <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>: {e.actorUsername ?? 'Parley'} {eventWords(e)}
                  {e.reason ? ` (“${e.reason}”)` : ''}
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </div>
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `#${data.ticket.number} ${data.ticket.subject} · Parley` : 'Ticket not found · Parley' }]
