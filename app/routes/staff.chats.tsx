import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useRevalidator } from '@remix-run/react'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { can } from '~/platform/auth/permissions'
import { formStateFor } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { idOrNull } from '~/platform/misc'
import { readFields } from '~/platform/request-input.server'
import { getAgentAvailability, setAgentAvailability } from '~/tickets/chat/availability.server'
import { acceptChat, activeChatsOf, agentTier, waitingListFor } from '~/tickets/chat/chats.server'
import { CHAT_QUEUE_TOPIC, chatPath, MAX_CAPACITY, MIN_CAPACITY } from '~/tickets/chat/constants'
import { AvailabilitySchema } from '~/tickets/chat/forms.server'
import chatStyles from '~/tickets/chat/ui/chat.css'
import { EmptyState } from '~/ui/empty-state'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { useLiveTopic } from '~/ui/live-updates'
import { DateTime } from '~/ui/time'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: chatStyles }]

/**
 * /staff/chats: an agent says whether they take chats and how many at once, sees the chats they
 * have, and the waiting list for their tier (premium first, then the longest waiting) to accept from.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, context, 'work:ticket:any')
  const [availability, mine, waiting] = await Promise.all([getAgentAvailability({ agentId: user.id }), activeChatsOf({ agentId: user.id }), waitingListFor({ agent: user })])
  return json({ availability, mine, waiting, tier: agentTier(user), admin: can(user, 'manage:sla:any') })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, context, 'work:ticket:any')
  const formData = await readFields(request)
  const intent = String(formData.get('intent') ?? '')
  if (intent === 'availability') {
    const submission = parseForm(formData, AvailabilitySchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    await setAgentAvailability({ agentId: user.id, available: submission.value.available === 'available', capacity: submission.value.capacity })
    return redirect('/staff/chats', 303)
  }
  if (intent === 'accept') {
    const submission = parseForm(formData, AvailabilitySchema.partial())
    const chatId = idOrNull(String(formData.get('chatId') ?? ''))
    if (!chatId) return badRequest(submission, { formErrors: ['Choose a chat to accept.'] }, { intent })
    const result = await acceptChat({ chatId, agent: user })
    if (result.ok) return redirect(chatPath(chatId), 303)
    const message = result.reason === 'full' ? 'You have as many chats as your capacity allows: end one first, or raise your capacity.' : result.reason === 'taken' ? 'Another agent took this chat first.' : 'This chat is no longer waiting for you.'
    return badRequest(submission, { formErrors: [message] }, { intent })
  }
  throw json({ message: 'Unknown action.' }, { status: 400 })
}

export default function StaffChats() {
  const { availability, mine, waiting, tier, admin } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const revalidator = useRevalidator()
  // The waiting list is short and what changes is who waits: it reloads itself.
  useLiveTopic(CHAT_QUEUE_TOPIC, () => revalidator.revalidate())
  const availabilityForm = formStateFor(actionData, 'availability')
  const acceptForm = formStateFor(actionData, 'accept')
  return (
    <section>
      <h1>Live chats</h1>
      <section aria-labelledby="availability-title">
        <h2 id="availability-title">Your availability</h2>
        <p role="status">
          You are <strong>{availability.available ? 'available' : 'away'}</strong> for chats, with {availability.activeChats} of {availability.capacity} chats now.
        </p>
        <Form method="post" noValidate className="inline-form">
          <input type="hidden" name="intent" value="availability" />
          <FormErrors errors={availabilityForm.formErrors} />
          <SelectField
            label="Chat status"
            name="available"
            defaultValue={availability.available ? 'available' : 'away'}
            options={[
              { value: 'available', label: 'Available' },
              { value: 'away', label: 'Away' },
            ]}
            errors={availabilityForm.errorsFor('available')}
          />
          <Field label="Capacity (chats at once)" name="capacity" type="number" min={MIN_CAPACITY} max={MAX_CAPACITY} defaultValue={availabilityForm.value('capacity', String(availability.capacity))} errors={availabilityForm.errorsFor('capacity')} />
          <button type="submit" className="button">
            Save availability
          </button>
        </Form>
      </section>

      <section aria-labelledby="mine-title">
        <h2 id="mine-title">Your chats</h2>
        {mine.length === 0 ? (
          <EmptyState title="You have no chats now." />
        ) : (
          <ul className="chat-list">
            {mine.map((chat) => (
              <li key={chat.id}>
                <Link to={chatPath(chat.id)}>Chat with {chat.memberUsername}</Link>
                {chat.premium ? <span className="badge">Premium</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="waiting-title">
        <h2 id="waiting-title">Waiting (tier {tier} and below)</h2>
        <FormErrors errors={acceptForm.formErrors} />
        {waiting.length === 0 ? (
          <EmptyState title="Nobody is waiting." />
        ) : (
          <ol className="chat-list">
            {waiting.map((chat) => (
              <li key={chat.id}>
                <span>
                  <strong>{chat.memberUsername}</strong> {chat.premium ? <span className="badge">Premium</span> : null} {chat.offeredToMe ? <span className="badge">Transferred to you</span> : null} · tier {chat.tier} · waiting since <DateTime value={chat.queuedAt} />
                  <br />
                  <span className="muted">{chat.firstMessage}</span>
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="accept" />
                  <input type="hidden" name="chatId" value={chat.id} />
                  <button type="submit" className="button-secondary" aria-label={`Accept chat with ${chat.memberUsername}`}>
                    Accept
                  </button>
                </Form>
              </li>
            ))}
          </ol>
        )}
      </section>
      {admin ? (
        <p>
          <Link to="/admin/chat-replies">Edit the canned replies</Link>
        </p>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Live chats · Parley' }]
