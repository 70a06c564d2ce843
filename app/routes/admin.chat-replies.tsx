import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { formStateFor } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { idOrNull } from '~/platform/misc'
import { readFields } from '~/platform/request-input.server'
import { addCannedReply, listCannedReplies, removeCannedReply } from '~/tickets/chat/chats.server'
import { CannedReplySchema } from '~/tickets/chat/forms.server'
import chatStyles from '~/tickets/chat/ui/chat.css'
import { EmptyState } from '~/ui/empty-state'
import { Field, FormErrors } from '~/ui/field'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: chatStyles }]

/** /admin/chat-replies: the short list of canned replies agents send in chats. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:sla:any')
  return json({ replies: await listCannedReplies() })
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:sla:any')
  const formData = await readFields(request)
  const intent = String(formData.get('intent') ?? '')
  if (intent === 'add') {
    const submission = parseForm(formData, CannedReplySchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    await addCannedReply(submission.value)
    return redirect('/admin/chat-replies', 303)
  }
  if (intent === 'remove') {
    const id = idOrNull(String(formData.get('replyId') ?? ''))
    if (id) await removeCannedReply({ id })
    return redirect('/admin/chat-replies', 303)
  }
  throw json({ message: 'Unknown action.' }, { status: 400 })
}

export default function AdminChatReplies() {
  const { replies } = useLoaderData<typeof loader>()
  const form = formStateFor(useActionData<typeof action>(), 'add')
  return (
    <section className="narrow">
      <h1>Canned chat replies</h1>
      {replies.length === 0 ? <EmptyState title="No canned replies yet." /> : null}
      <ul className="chat-list">
        {replies.map((reply) => (
          <li key={reply.id}>
            <span>
              <strong>{reply.title}</strong>
              <br />
              {reply.body}
            </span>
            <Form method="post">
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="replyId" value={reply.id} />
              <button type="submit" className="button-secondary" aria-label={`Remove ${reply.title}`}>
                Remove
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <h2>Add a reply</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="add" />
        <FormErrors errors={form.formErrors} />
        <Field label="Title" name="title" defaultValue={form.value('title')} errors={form.errorsFor('title')} />
        <Field as="textarea" label="Reply" name="body" rows={3} defaultValue={form.value('body')} errors={form.errorsFor('body')} />
        <button type="submit" className="button">
          Add reply
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Canned chat replies · Parley' }]
