import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type LinksFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { formStateFor } from '~/platform/form-state'
import { requireUser } from '~/platform/auth/auth.server'
import { can } from '~/platform/auth/permissions'
import { invariantResponse, requireId } from '~/platform/misc'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { performTicketPageIntent, TICKET_NOT_FOUND } from '~/tickets/page-actions.server'
import { getTicket } from '~/tickets/read.server'
import { InternalNoteForm, TicketConversation, TicketRating, TicketReplyForm } from '~/tickets/ui/ticket-conversation'
import { TicketDetails, TicketHistory } from '~/tickets/ui/ticket-details'
import { TicketHeader } from '~/tickets/ui/ticket-header'
import { ManageTicket, RequestEscalation } from '~/tickets/ui/ticket-manage'
import { pathParams } from '~/platform/request-input.server'
import { checkFormAttachments, readFormWithAttachments } from '~/uploads/form.server'
import { composerLinks } from '~/ui/composer'
import { TicketPresence } from '~/tickets/ui/ticket-presence'
import { callBackHours, listCallBacks } from '~/tickets/call-backs.server'
import { mayRequestCallBack } from '~/tickets/call-backs'
import { CallBackPanel } from '~/tickets/ui/call-back'
import callBackStyles from '~/tickets/ui/call-back.css'
import { viewerTimeZone } from '~/platform/time-zone.server'

export const links: LinksFunction = () => [...composerLinks(), { rel: 'stylesheet', href: callBackStyles }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const data = await getTicket({ number: requireId(pathParams(params).number), viewer: user })
  // A ticket someone else asked for is a 404, not a 403: its number says nothing about it.
  invariantResponse(data, TICKET_NOT_FOUND)
  const staff = can(user, 'work:ticket:any')
  const callBackAllowed = !staff && data.ticket.requesterId === user.id && data.ticket.status !== 'closed' && mayRequestCallBack(user, data.ticket)
  const callBack = {
    tasks: await listCallBacks({ ticketId: data.ticket.id }),
    canRequest: callBackAllowed,
    timeZone: viewerTimeZone(request, user).timeZone,
    hours: callBackAllowed ? await callBackHours() : '',
    now: new Date().toISOString(),
  }
  return json({ ...data, staff, callBack })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const number = requireId(pathParams(params).number)
  const sent = await readFormWithAttachments(request)
  const { formData } = sent
  const intent = String(formData.get('intent') ?? '')
  // Attached files are checked before anything else; stored only once the message may be sent.
  const attachments = intent === 'reply' || intent === 'note' ? await checkFormAttachments(sent, { intent }) : null
  if (attachments && !attachments.ok) return attachments.response
  return performTicketPageIntent({
    number,
    user,
    timeZone: viewerTimeZone(request, user).timeZone,
    formData,
    saveAttachments: attachments?.ok ? async () => (await attachments.save({ ownerId: user.id, private: true })).map((upload) => upload.id) : undefined,
    limitReply: async () => {
      const limited = await rateLimitRefusal({ action: 'ticket-reply', context })
      return limited ? rateLimitedForm(formData, limited, { intent: 'reply' }) : null
    },
  })
}

export default function TicketPage() {
  const { ticket, messages, events, agents, staff, replyDraft, callBack } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const closed = ticket.status === 'closed'
  return (
    <article aria-labelledby="ticket-title">
      <TicketHeader ticket={ticket} staff={staff} />
      <TicketPresence number={ticket.number} />
      <div className="ticket-layout">
        <div>
          <TicketConversation messages={messages} />
          <TicketRating ticket={ticket} staff={staff} form={formStateFor(actionData, 'rate')} />
          {/* Keyed by the message count: a sent reply empties the box, as a page load would. */}
          <TicketReplyForm
            key={messages.length}
            number={ticket.number}
            closed={staff ? closed : ticket.replyOpensFollowUp}
            staff={staff}
            form={formStateFor(actionData, 'reply')}
            draft={replyDraft}
            preview={(actionData as { intent?: string; preview?: string | null } | undefined)?.intent === 'reply' ? ((actionData as { preview?: string | null }).preview ?? null) : null}
          />
          {staff && !closed ? <InternalNoteForm form={formStateFor(actionData, 'note')} /> : null}
        </div>

        <aside className="ticket-side" aria-label="Ticket details">
          <TicketDetails ticket={ticket} staff={staff} />
          <CallBackPanel
            callBacks={callBack.tasks}
            staff={staff}
            canRequest={callBack.canRequest}
            now={callBack.now}
            requestForm={formStateFor(actionData, 'call-back-request')}
            doneForm={formStateFor(actionData, 'call-back-done')}
            timeZone={callBack.timeZone}
            hours={callBack.hours}
          />
          {staff && !closed ? <ManageTicket ticket={ticket} agents={agents} escalateForm={formStateFor(actionData, 'escalate')} /> : null}
          {!staff && (ticket.escalationRequestedAt || !closed) ? <RequestEscalation requestedAt={ticket.escalationRequestedAt} form={formStateFor(actionData, 'request-escalation')} /> : null}
          <TicketHistory events={events} />
        </aside>
      </div>
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `#${data.ticket.number} ${data.ticket.subject} · Parley` },
        // A private page: the description names the ticket only, for the tab and the history list.
        { name: 'description', content: `Support ticket #${data.ticket.number}: the conversation with our support team and its status.` },
      ]
    : [{ title: 'Ticket not found · Parley' }]
