import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { PRIORITY_OPTIONS } from '~/tickets/constants'
import { createTicket } from '~/tickets/open.server'
import { requireUser } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { NewTicketSchema } from '~/tickets/forms.server'
import { describeUserAgent } from '~/platform/user-agent.server'
import { readFormData } from '~/platform/request-input.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context)
  // Filled in from the browser's own User-Agent, so the customer only has to check it.
  return json({ environment: describeUserAgent(request.headers.get('user-agent')) })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const formData = await readFormData(request)
  const submission = parseForm(formData, NewTicketSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const limited = await rateLimitRefusal({ action: 'ticket', context })
  if (limited) return rateLimitedForm(formData, limited)
  const { subject, priority, ...details } = submission.value
  const ticket = await createTicket({ requesterId: user.id, subject, priority, details })
  return redirect(`/tickets/${ticket.number}`)
}

export default function NewTicket() {
  const { environment } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  return (
    <section className="narrow-wide">
      <h1>Contact support</h1>
      <p className="lede">A private request to our support team. The more of this you fill in, the faster we can help.</p>
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <Field label="Subject" name="subject" defaultValue={form.value('subject')} errors={form.errorsFor('subject')} required maxLength={150} />
        <SelectField
          label="Priority"
          name="priority"
          options={PRIORITY_OPTIONS}
          defaultValue={form.value('priority', 'medium')}
          errors={form.errorsFor('priority')}
          hint="Critical: the service is down for you or data is at risk. High: something important is broken. Medium: a problem with a workaround. Low: a question."
        />
        <Field as="textarea" label="What happened?" name="whatHappened" rows={6} defaultValue={form.value('whatHappened')} errors={form.errorsFor('whatHappened')} hint="What you did, what you expected, and what happened instead. Include any error message word for word." required />
        <Field as="textarea" label="What have you already tried?" name="stepsTried" rows={3} defaultValue={form.value('stepsTried')} errors={form.errorsFor('stepsTried')} />
        <Field label="Device, browser and operating system" name="environment" defaultValue={form.value('environment', environment)} errors={form.errorsFor('environment')} hint="Filled in from the browser you are using now; change it if the problem is elsewhere." />
        <Field as="textarea" label="Account details" name="accountDetails" rows={2} defaultValue={form.value('accountDetails')} errors={form.errorsFor('accountDetails')} hint="Order number, workspace name or anything else that helps us find your account. Never send a password." />
        <button type="submit">Submit request</button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [
  { title: 'Contact support · Parley' },
  { name: 'description', content: 'Open a private support request with the Parley support team.' },
]
