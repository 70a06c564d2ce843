import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/platform/auth/auth.server'
import { can } from '~/platform/auth/permissions'
import { formState } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { chatOpenness } from '~/tickets/chat/availability.server'
import { currentChatOf, startChat } from '~/tickets/chat/chats.server'
import { chatPath } from '~/tickets/chat/constants'
import { StartChatSchema } from '~/tickets/chat/forms.server'
import chatStyles from '~/tickets/chat/ui/chat.css'
import { checkFormAttachments, readFormWithAttachments } from '~/uploads/form.server'
import { AttachField } from '~/uploads/ui/attach-field'
import { composerLinks } from '~/ui/composer'
import { Field, FormErrors } from '~/ui/field'
import { DateTime } from '~/ui/time'

export const links: LinksFunction = () => [
  // The attach field's styles live with the composer's (decision 034).
  ...composerLinks(),
  { rel: 'stylesheet', href: chatStyles },
]

/**
 * /support/chat: start a live chat while support is open, else when it opens next and a ticket
 * instead. A member with a chat going on is taken back to it; agents work chats at /staff/chats.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const current = await currentChatOf({ memberId: user.id })
  if (current) throw redirect(chatPath(current))
  const openness = await chatOpenness()
  return json({
    staff: can(user, 'work:ticket:any'),
    open: openness.open,
    opensAt: openness.open ? null : openness.reason === 'closed' ? openness.opensAt.toISOString() : null,
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const sent = await readFormWithAttachments(request)
  const submission = parseForm(sent.formData, StartChatSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const attachments = await checkFormAttachments(sent)
  if (!attachments.ok) return attachments.response
  const current = await currentChatOf({ memberId: user.id })
  if (current) return redirect(chatPath(current), 303)
  // Checked again in the transaction; this only keeps files from being stored for nothing.
  if (!(await chatOpenness()).open) return badRequest(submission, { formErrors: ['Live chat has just closed. Open a ticket instead and we will answer it.'] })
  const uploadIds = (await attachments.save({ ownerId: user.id, private: true })).map((upload) => upload.id)
  const result = await startChat({ memberId: user.id, body: submission.value.body, uploadIds })
  if (!result.ok && result.reason === 'closed') return badRequest(submission, { formErrors: ['Live chat has just closed. Open a ticket instead and we will answer it.'] })
  return redirect(chatPath(result.ok ? result.chatId : result.chatId), 303)
}

export default function SupportChat() {
  const { open, opensAt, staff } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData && 'result' in actionData ? actionData.result : undefined)
  return (
    <section className="narrow">
      <h1>Live chat with support</h1>
      {staff ? (
        <p>
          Agents take chats from <Link to="/staff/chats">the chat queue</Link>.
        </p>
      ) : null}
      {open ? (
        <>
          <p>An agent is available. Tell us what you need and we will be with you shortly.</p>
          <Form method="post" encType="multipart/form-data" noValidate className="chat-start">
            <FormErrors errors={form.formErrors} />
            <Field as="textarea" label="Your first message" name="body" rows={4} defaultValue={form.value('body')} errors={form.errorsFor('body')} data-uploads="ticket" />
            <AttachField errors={form.errorsFor('attachments')} privateToTicket />
            <button type="submit" className="button">
              Start a chat
            </button>
          </Form>
        </>
      ) : (
        <div className="notice chat-closed">
          {opensAt ? (
            <p>
              Live chat is closed now. It opens <DateTime value={opensAt} />.
            </p>
          ) : (
            <p>No agent is available for live chat right now.</p>
          )}
          <p>
            <Link to="/tickets/new" className="button">
              Open a ticket instead
            </Link>
          </p>
        </div>
      )}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Live chat · Parley' }]
