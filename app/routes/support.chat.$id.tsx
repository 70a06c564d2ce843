import { json, redirect, type ActionFunctionArgs, type AppLoadContext, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { requireUser, type AuthUser } from '~/platform/auth/auth.server'
import { can } from '~/platform/auth/permissions'
import { formStateFor } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse, requireId } from '~/platform/misc'
import { pathParams } from '~/platform/request-input.server'
import { listChatAgents } from '~/tickets/chat/availability.server'
import { acceptChat, convertChatToTicket, endChat, getChat, listCannedReplies, postChatMessage, transferChat, type ChatActionResult } from '~/tickets/chat/chats.server'
import { CHAT_STATE_LABELS, chatPath } from '~/tickets/chat/constants'
import { ChatMessageSchema, ConvertChatSchema, TransferSchema } from '~/tickets/chat/forms.server'
import { ChatConversation } from '~/tickets/chat/ui/chat-conversation'
import chatStyles from '~/tickets/chat/ui/chat.css'
import { PRIORITY_OPTIONS } from '~/tickets/constants'
import { checkFormAttachments, readFormWithAttachments } from '~/uploads/form.server'
import { AttachField } from '~/uploads/ui/attach-field'
import { composerLinks } from '~/ui/composer'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { DateTime } from '~/ui/time'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { rateLimitedForm } from '~/rate-limits/forms.server'

export const links: LinksFunction = () => [
  // The attach field's styles live with the composer's (decision 034).
  ...composerLinks(),
  { rel: 'stylesheet', href: chatStyles },
]

const NOT_FOUND = 'This chat does not exist, or it is not yours.'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const data = await getChat({ chatId: requireId(pathParams(params).id), viewer: user })
  invariantResponse(data, NOT_FOUND)
  const staff = can(user, 'work:ticket:any')
  const mine = data.chat.agentId === user.id && data.chat.state === 'active'
  const [cannedReplies, agents] = staff && mine ? await Promise.all([listCannedReplies(), listChatAgents({ exceptId: user.id })]) : [[], []]
  return json({ ...data, staff, viewerId: user.id, isMember: data.chat.memberId === user.id, mine, cannedReplies, agents })
}

const REFUSALS: Record<Exclude<ChatActionResult, { ok: true }>['reason'], string> = {
  'not-found': NOT_FOUND,
  'not-yours': 'Another agent has this chat.',
  over: 'This chat is over.',
  taken: 'Another agent took this chat first.',
  full: 'You have as many chats as your capacity allows: end one first, or raise your capacity.',
  'not-for-you': 'This chat waits for another tier or agent.',
  'no-such-agent': 'Choose an agent who works support.',
}

async function perform(user: AuthUser, chatId: number, request: Request, context: AppLoadContext) {
  const sent = await readFormWithAttachments(request)
  const { formData } = sent
  const intent = String(formData.get('intent') ?? '')
  const refused = (submission: Parameters<typeof badRequest>[0], result: ChatActionResult) => {
    if (result.ok) return null
    invariantResponse(result.reason !== 'not-found', NOT_FOUND)
    return badRequest(submission, { formErrors: [REFUSALS[result.reason]] }, { intent })
  }
  const back = () => redirect(chatPath(chatId), 303)
  switch (intent) {
    case 'message': {
      const submission = parseForm(formData, ChatMessageSchema)
      if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
      const limited = await rateLimitRefusal({ action: 'chat-message', context })
      if (limited) return rateLimitedForm(formData, limited, { intent })
      const attachments = await checkFormAttachments(sent, { intent })
      if (!attachments.ok) return attachments.response
      const uploadIds = (await attachments.save({ ownerId: user.id, private: true })).map((upload) => upload.id)
      // The live page's fetcher stays on the page (it marks its posts); a plain form is redirected back.
      return refused(submission, await postChatMessage({ chatId, viewer: user, body: submission.value.body, uploadIds })) ?? (formData.get('live') === '1' ? json({ intent, ok: true }) : back())
    }
    case 'canned': {
      const submission = parseForm(formData, ChatMessageSchema)
      const replies = await listCannedReplies()
      const reply = replies.find((r) => String(r.id) === String(formData.get('replyId')))
      if (!reply) return badRequest(submission, { fieldErrors: { replyId: ['Choose a canned reply.'] } }, { intent })
      return refused(submission, await postChatMessage({ chatId, viewer: user, body: reply.body })) ?? back()
    }
    case 'end': {
      const submission = parseForm(formData, ChatMessageSchema.partial())
      return refused(submission, await endChat({ chatId, viewer: user })) ?? back()
    }
    case 'accept': {
      const submission = parseForm(formData, ChatMessageSchema.partial())
      return refused(submission, await acceptChat({ chatId, agent: user })) ?? back()
    }
    case 'transfer': {
      const submission = parseForm(formData, TransferSchema)
      if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
      const [kind, value] = submission.value.to.split(':')
      const to = kind === 'tier' ? { tier: Number(value) } : { agentId: Number(value) }
      const result = await transferChat({ chatId, agent: user, to, note: submission.value.note })
      return refused(submission, result) ?? redirect('/staff/chats', 303)
    }
    case 'convert': {
      const submission = parseForm(formData, ConvertChatSchema)
      if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
      const result = await convertChatToTicket({ chatId, agent: user, priority: submission.value.priority })
      if (result.ok) return redirect(`/tickets/${result.number}`, 303)
      invariantResponse(result.reason !== 'not-found', NOT_FOUND)
      if (result.reason === 'already-converted') return redirect(`/tickets/${result.number}`, 303)
      return badRequest(submission, { formErrors: [REFUSALS[result.reason]] }, { intent })
    }
    default:
      throw json({ message: 'Unknown action.' }, { status: 400 })
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const chatId = requireId(pathParams(params).id)
  return perform(user, chatId, request, context)
}

function MessageForm({ chatId }: { chatId: number }) {
  const fetcher = useFetcher<typeof action>()
  const formRef = useRef<HTMLFormElement>(null)
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  // With JavaScript the fetcher has the answer; without it, the page's own action data does.
  const actionData = useActionData<typeof action>()
  const data = (fetcher.data ?? actionData) as { intent?: string; ok?: boolean; result?: Parameters<typeof formStateFor>[0] } | undefined
  const form = formStateFor(data, 'message')
  useEffect(() => {
    if (fetcher.state === 'idle' && data?.ok) formRef.current?.reset()
  }, [fetcher.state, data])
  return (
    <fetcher.Form ref={formRef} method="post" action={chatPath(chatId)} encType="multipart/form-data" noValidate className="chat-compose">
      <input type="hidden" name="intent" value="message" />
      {hydrated ? <input type="hidden" name="live" value="1" /> : null}
      <FormErrors errors={form.formErrors} />
      <Field as="textarea" label="Message" name="body" rows={3} defaultValue={form.value('body')} errors={form.errorsFor('body')} data-uploads="ticket" />
      <AttachField errors={form.errorsFor('attachments')} privateToTicket />
      <button type="submit" className="button">
        Send message
      </button>
    </fetcher.Form>
  )
}

function waitInWords(seconds: number) {
  const minutes = Math.max(1, Math.round(seconds / 60))
  return minutes === 1 ? 'about a minute' : `about ${minutes} minutes`
}

export default function ChatPage() {
  const { chat, messages, events, staff, isMember, mine, cannedReplies, agents } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const going = chat.state === 'queued' || chat.state === 'active'
  const canWrite = (isMember && going) || mine
  return (
    <article className="chat-page" aria-labelledby="chat-title">
      {going ? (
        <noscript>
          <meta httpEquiv="refresh" content="5" />
        </noscript>
      ) : null}
      <div className="page-heading">
        <h1 id="chat-title">{isMember ? 'Live chat with support' : `Chat with ${chat.memberUsername}`}</h1>
        {staff ? <Link to="/staff/chats">All chats</Link> : null}
      </div>
      <p className="chat-state" role="status">
        <strong>{CHAT_STATE_LABELS[chat.state]}</strong>
        {chat.state === 'active' && chat.agentUsername ? <> · {isMember ? `You are chatting with ${chat.agentUsername} from our support team.` : `${chat.agentUsername} has this chat.`}</> : null}
        {chat.state === 'queued' && chat.place ? (
          <>
            {' '}
            · You are number {chat.place} in the queue{chat.waitSeconds ? <>; the estimated wait is {waitInWords(chat.waitSeconds)}</> : null}.
          </>
        ) : null}
        {chat.ticketNumber ? (
          <>
            {' '}
            · Continued as <Link to={`/tickets/${chat.ticketNumber}`}>ticket #{chat.ticketNumber}</Link>
          </>
        ) : null}
      </p>
      <p className="muted">
        Started <DateTime value={chat.startedAt} />
        {chat.premium ? ' · Premium' : null} · Tier {chat.tier}
      </p>

      <ChatConversation chatId={chat.id} messages={messages} typingOf={isMember ? 'agent' : 'member'} live={going} />

      {canWrite ? <MessageForm chatId={chat.id} /> : null}

      {mine && cannedReplies.length > 0 ? (
        <Form method="post" action={chatPath(chat.id)} className="chat-canned inline-form">
            <input type="hidden" name="intent" value="canned" />
          <FormErrors errors={formStateFor(actionData, 'canned').formErrors} />
          <SelectField label="Canned reply" name="replyId" options={[{ value: '', label: 'Choose…' }, ...cannedReplies.map((r) => ({ value: String(r.id), label: r.title }))]} errors={formStateFor(actionData, 'canned').errorsFor('replyId')} />
          <button type="submit" className="button-secondary">
            Send canned reply
          </button>
        </Form>
      ) : null}

      <div className="chat-actions">
        {staff && chat.state === 'queued' ? (
          <Form method="post" action={chatPath(chat.id)}>
            <input type="hidden" name="intent" value="accept" />
            <FormErrors errors={formStateFor(actionData, 'accept').formErrors} />
            <button type="submit" className="button">
              Accept chat
            </button>
          </Form>
        ) : null}
        {(isMember && going) || mine ? (
          <Form method="post" action={chatPath(chat.id)}>
            <input type="hidden" name="intent" value="end" />
            <FormErrors errors={formStateFor(actionData, 'end').formErrors} />
            <button type="submit" className="button-secondary">
              End chat
            </button>
          </Form>
        ) : null}
        {isMember && chat.state !== 'queued' && chat.state !== 'active' && chat.state !== 'abandoned' && chat.rating === null ? (
          <Link to={`${chatPath(chat.id)}/rate`}>Rate this chat</Link>
        ) : null}
        {isMember && !going ? <Link to="/support/chat">Start a new chat</Link> : null}
      </div>

      {staff && (mine || (chat.state === 'ended' && !chat.ticketNumber)) ? (
        <section aria-labelledby="chat-manage-title" className="chat-manage">
          <h2 id="chat-manage-title">Manage this chat</h2>
          {mine ? (
            <Form method="post" action={chatPath(chat.id)} noValidate>
            <input type="hidden" name="intent" value="transfer" />
              <h3>Transfer</h3>
              <FormErrors errors={formStateFor(actionData, 'transfer').formErrors} />
              <SelectField
                label="Transfer to"
                name="to"
                defaultValue={formStateFor(actionData, 'transfer').value('to')}
                errors={formStateFor(actionData, 'transfer').errorsFor('to')}
                options={[
                  { value: '', label: 'Choose…' },
                  { value: 'tier:1', label: 'Tier 1' },
                  { value: 'tier:2', label: 'Tier 2' },
                  { value: 'tier:3', label: 'Tier 3' },
                  ...agents.map((a) => ({ value: `agent:${a.id}`, label: `${a.username}${a.available ? ' (available)' : ' (away)'}` })),
                ]}
              />
              <Field as="textarea" label="Note for whoever takes it" name="note" rows={2} defaultValue={formStateFor(actionData, 'transfer').value('note')} errors={formStateFor(actionData, 'transfer').errorsFor('note')} />
              <button type="submit" className="button-secondary">
                Transfer chat
              </button>
            </Form>
          ) : null}
          <Form method="post" action={chatPath(chat.id)} noValidate>
            <input type="hidden" name="intent" value="convert" />
            <h3>Convert to ticket</h3>
            <p className="hint">The ticket's SLA clock starts when this chat started; the transcript becomes its first messages.</p>
            <FormErrors errors={formStateFor(actionData, 'convert').formErrors} />
            <SelectField label="Ticket priority" name="priority" defaultValue="medium" options={PRIORITY_OPTIONS} errors={formStateFor(actionData, 'convert').errorsFor('priority')} />
            <button type="submit" className="button-secondary">
              Convert to ticket
            </button>
          </Form>
        </section>
      ) : null}

      {staff && events.length > 0 ? (
        <section aria-labelledby="chat-history-title" className="chat-history">
          <h2 id="chat-history-title">History</h2>
          <ol>
            {events.map((e) => (
              <li key={e.id}>
                {e.actorUsername ?? 'Parley'} {e.kind}
                {e.kind === 'transferred' ? ` to ${e.toAgentUsername ?? `tier ${e.toTier}`}` : ''}
                {e.note ? `: ${e.note}` : ''} · <DateTime value={e.createdAt} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Live chat #${data.chat.id} · Parley` : 'Chat not found · Parley' }]
