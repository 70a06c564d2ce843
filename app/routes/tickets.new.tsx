import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type LinksFunction } from '@remix-run/node'
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
import { checkFormAttachments, readFormWithAttachments } from '~/uploads/form.server'
import { PostComposer } from '~/uploads/ui/post-composer'
import { discardDraft, getDraft } from '~/composer/drafts.server'
import { TICKET_DRAFT_KEY } from '~/composer/keys'
import { previewReply } from '~/composer/preview.server'
import { composerLinks } from '~/ui/composer'
import { callBackHours, checkCallBackForm } from '~/tickets/call-backs.server'
import { CallBackFields } from '~/tickets/ui/call-back'
import callBackStyles from '~/tickets/ui/call-back.css'
import { viewerTimeZone } from '~/platform/time-zone.server'

export const links: LinksFunction = () => [...composerLinks(), { rel: 'stylesheet', href: callBackStyles }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  // Filled in from the browser's own User-Agent, so the customer only has to check it.
  // Premium members may ask for a phone call back on a critical request; nobody else sees the fields.
  const callBack = user.isPremium ? { timeZone: viewerTimeZone(request, user).timeZone, hours: await callBackHours() } : null
  return json({ environment: describeUserAgent(request.headers.get('user-agent')), draft: await getDraft({ userId: user.id, key: TICKET_DRAFT_KEY }), callBack })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const sent = await readFormWithAttachments(request)
  const { formData } = sent
  if (formData.get('intent') === 'preview') return previewReply(formData, 'whatHappened')
  const submission = parseForm(formData, NewTicketSchema)
  if (submission.status !== 'success') return badRequest(submission)
  // A forged call back (not premium, not critical) is refused like any other bad field.
  const callBack = await checkCallBackForm({ formData, user, priority: submission.value.priority, timeZone: viewerTimeZone(request, user).timeZone })
  if (callBack.status === 'invalid') return badRequest(submission, { fieldErrors: callBack.fieldErrors, formErrors: callBack.formErrors })
  const attachments = await checkFormAttachments(sent)
  if (!attachments.ok) return attachments.response
  const limited = await rateLimitRefusal({ action: 'ticket', context })
  if (limited) return rateLimitedForm(formData, limited)
  const { subject, priority, ...details } = submission.value
  const uploads = await attachments.save({ ownerId: user.id, private: true })
  const ticket = await createTicket({ requesterId: user.id, subject, priority, details, attachmentIds: uploads.map((u) => u.id), callBack: callBack.status === 'ok' ? callBack.request : null })
  await discardDraft({ userId: user.id, key: TICKET_DRAFT_KEY })
  return redirect(`/tickets/${ticket.number}`)
}

export default function NewTicket() {
  const { environment, draft, callBack } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  return (
    <section className="narrow-wide">
      <h1>Contact support</h1>
      <p className="lede">A private request to our support team. The more of this you fill in, the faster we can help.</p>
      <Form method="post" encType="multipart/form-data" noValidate>
        <FormErrors errors={form.formErrors} />
        <Field label="Subject" name="subject" defaultValue={form.value('subject', draft?.title ?? '')} errors={form.errorsFor('subject')} required maxLength={150} />
        <SelectField
          label="Priority"
          name="priority"
          options={PRIORITY_OPTIONS}
          defaultValue={form.value('priority', 'medium')}
          errors={form.errorsFor('priority')}
          hint="Critical: the service is down for you or data is at risk. High: something important is broken. Medium: a problem with a workaround. Low: a question."
        />
        {callBack ? <CallBackFields form={form} timeZone={callBack.timeZone} hours={callBack.hours} whenCritical /> : null}
        <PostComposer
          label="What happened?"
          name="whatHappened"
          rows={6}
          defaultValue={form.value('whatHappened', draft?.body ?? '')}
          errors={form.errorsFor('whatHappened')}
          hint="What you did, what you expected, and what happened instead. Include any error message word for word."
          required
          preview={actionData && 'preview' in actionData ? (actionData.preview as string | null) : null}
          draft={{ key: TICKET_DRAFT_KEY, titleField: 'subject', saved: draft }}
          attach="ticket"
          attachmentErrors={form.errorsFor('attachments')}
        />
        <Field as="textarea" label="What have you already tried?" name="stepsTried" rows={3} defaultValue={form.value('stepsTried')} errors={form.errorsFor('stepsTried')} />
        <Field label="Device, browser and operating system" name="environment" defaultValue={form.value('environment', environment)} errors={form.errorsFor('environment')} hint="Filled in from the browser you are using now; change it if the problem is elsewhere." />
        <Field as="textarea" label="Account details" name="accountDetails" rows={2} defaultValue={form.value('accountDetails')} errors={form.errorsFor('accountDetails')} hint="Order number, workspace name or anything else that helps us find your account. Never send a password." />
        <div className="actions">
          <button type="submit" name="intent" value="submit">
            Submit request
          </button>
        </div>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [
  { title: 'Contact support · Parley' },
  { name: 'description', content: 'Open a private support request with the Parley support team.' },
]
