import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { openConflict } from '~/moderation/conflict.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { ConflictSchema } from '~/moderation/forms.server'
import { readFormData } from '~/platform/request-input.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'create:conflict')
  return json({ username: new URL(request.url).searchParams.get('with') ?? '' })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, context, 'create:conflict')
  const formData = await readFormData(request)
  const submission = parseForm(formData, ConflictSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const limited = await rateLimitRefusal({ action: 'conflict', context })
  if (limited) return rateLimitedForm(formData, limited)
  const { username, description, links } = submission.value
  const result = await openConflict({ openerId: user.id, otherUsername: username, description, links })
  if (!result.ok) {
    return badRequest(submission, { fieldErrors: { username: [result.reason === 'self' ? 'Name the other member, not yourself.' : `There is no member called ${username}.`] } })
  }
  return redirect(`/conflicts/${result.id}`)
}

export default function NewConflict() {
  const { username } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  return (
    <section className="narrow-wide">
      <h1>Ask the moderators for help</h1>
      <p className="lede">
        For a disagreement with another member that you could not settle yourselves. A moderator will mediate in a private thread that only the two of you and the moderators can read.
      </p>
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <Field label="Who is it about? (their username)" name="username" defaultValue={form.value('username', username)} errors={form.errorsFor('username')} required />
        <Field as="textarea" label="What happened?" name="description" rows={6} defaultValue={form.value('description')} errors={form.errorsFor('description')} required />
        <Field as="textarea" label="Links to the posts involved" name="links" rows={3} defaultValue={form.value('links')} errors={form.errorsFor('links')} hint="One per line. Optional." />
        <button type="submit">Ask for help</button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Ask the moderators for help · Parley' }]
