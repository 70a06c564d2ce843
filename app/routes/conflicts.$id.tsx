import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { ConversationMessage } from '~/ui/conversation-message'
import { formState } from '~/platform/form-state'
import { getConflictCase, postConflictMessage } from '~/moderation/conflict.server'
import { requireUser } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { invariantResponse, requireId } from '~/platform/misc'
import { can } from '~/platform/auth/permissions'
import { MessageSchema } from '~/moderation/forms.server'
import { readFormData, pathParams } from '~/platform/request-input.server'

const NOT_FOUND = 'There is no such case, or you are not part of it.'

/** A conflict case's private thread: the parties and moderators only; anyone else gets a 404. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const canModerate = can(user, 'moderate:content:any')
  const data = await getConflictCase({ id: requireId(pathParams(params).id), viewer: user, canModerate })
  invariantResponse(data, NOT_FOUND)
  return json({ ...data, canModerate })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const id = requireId(pathParams(params).id)
  const formData = await readFormData(request)
  const submission = parseForm(formData, MessageSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const limited = await rateLimitRefusal({ action: 'conflict-message', context })
  if (limited) return rateLimitedForm(formData, limited)
  const result = await postConflictMessage({ id, author: user, canModerate: can(user, 'moderate:content:any'), body: submission.value.body })
  invariantResponse(result !== 'not-found', NOT_FOUND)
  if (result === 'closed') return badRequest(submission, { formErrors: ['This case is closed.'] })
  return redirect(`/conflicts/${id}`)
}

export default function ConflictCase() {
  const { item, parties, messages, canModerate } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  return (
    <article aria-labelledby="case-title">
      <h1 id="case-title">Conflict case #{item.id}</h1>
      <p className="meta">
        <span>Between {parties.map((p) => p.username).join(' and ')}</span>
        <span>{item.status === 'pending' ? 'Open' : `Resolved (${item.resolution})`}</span>
        {canModerate ? <Link to={`/mod/queue/${item.id}`}>Open in the queue</Link> : null}
      </p>
      <p className="muted">Only the people in this case and the moderators can read it.</p>
      {item.status === 'resolved' ? <p className="notice">The moderators closed this case: {item.resolutionReason}</p> : null}
      {messages.map((m) => (
        <ConversationMessage key={m.id} author={m.authorUsername} createdAt={m.createdAt} bodyHtml={m.bodyHtml} />
      ))}
      {item.status === 'pending' ? (
        <Form method="post" noValidate>
          <FormErrors errors={form.formErrors} />
          <Field as="textarea" label="Your message" name="body" rows={4} defaultValue={form.value('body')} errors={form.errorsFor('body')} required />
          <button type="submit">Send message</button>
        </Form>
      ) : null}
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Conflict case #${data.item.id} · Parley` : 'Not found · Parley' }]
