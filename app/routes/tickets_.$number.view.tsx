import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { formState } from '~/platform/form-state'
import { DateTime } from '~/ui/time'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse, requireId } from '~/platform/misc'
import { pathParams, readFields } from '~/platform/request-input.server'
import { STATUS_LABELS } from '~/tickets/constants'
import { TicketReplySchema } from '~/tickets/forms.server'
import { getTicketByLink, replyByLink } from '~/tickets/ticket-link.server'
import { TicketConversation } from '~/tickets/ui/ticket-conversation'
import { TicketLinkReplyForm } from '~/tickets/ui/ticket-link-reply'

/** One message for unknown, expired and other tickets' links: the link says nothing about the ticket. */
const LINK_NOT_VALID = 'This link is not valid or has expired. Reply to any of our mails about the request to get a fresh one.'

/**
 * The ticket link from our mail to someone who wrote in without an account: that one ticket, to
 * read and reply to, with the link's token standing in for a login.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const token = url.searchParams.get('token') ?? ''
  const data = await getTicketByLink({ number: requireId(pathParams(params).number), token })
  invariantResponse(data, LINK_NOT_VALID)
  return json({ ...data, token, sent: url.searchParams.get('sent'), followUp: url.searchParams.get('followUp') })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readFields(request)
  const number = requireId(pathParams(params).number)
  const token = String(formData.get('token') ?? '')
  const submission = parseForm(formData, TicketReplySchema)
  if (submission.status !== 'success') return badRequest(submission)
  const result = await replyByLink({ number, token, bodySource: submission.value.body })
  invariantResponse(result.ok, LINK_NOT_VALID)
  const back = new URLSearchParams({ token, sent: '1', ...(result.followUp ? { followUp: String(result.number) } : {}) })
  return redirect(`/tickets/${number}/view?${back}#reply-heading`)
}

export default function TicketByLink() {
  const { ticket, messages, token, sent, followUp } = useLoaderData<typeof loader>()
  const form = formState(useActionData<typeof action>()?.result)
  return (
    <article aria-labelledby="ticket-title">
      <header>
        <h1 id="ticket-title">
          #{ticket.number} {ticket.subject}
        </h1>
        <p className="muted">
          {STATUS_LABELS[ticket.status]} · opened <DateTime value={ticket.createdAt} />
        </p>
      </header>
      {sent ? (
        <p className="notice" role="status">
          {followUp ? `This request was closed, so your reply opened follow-up request #${followUp}; we have mailed you its link.` : 'Your reply has been added.'}
        </p>
      ) : null}
      <TicketConversation messages={messages} />
      <TicketLinkReplyForm token={token} opensFollowUp={ticket.replyOpensFollowUp} form={form} />
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `#${data.ticket.number} ${data.ticket.subject} · Parley` : 'Link not valid · Parley' },
  // The token is in the address: keep this page out of search engines.
  { name: 'robots', content: 'noindex' },
]
