import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { NewPasswordFields } from '~/accounts/ui/new-password-fields'
import { StatusNotice } from '~/ui/status-notice'
import { formStateFor } from '~/platform/form-state'
import { changeEmail, changePassword, getAccountSettings, resendEmailVerification } from '~/accounts/account.server'
import { ChangeEmailSchema, ChangePasswordSchema } from '~/accounts/forms.server'
import { requireUser } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { enforceRateLimit, rateLimitRefusal } from '~/rate-limits/counter.server'
import { invariantResponse, oneOf } from '~/platform/misc'
import { readFormData } from '~/platform/request-input.server'

const SAVED = ['email', 'password', 'password-reset', 'verification-sent'] as const

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const account = await getAccountSettings({ userId: user.id })
  invariantResponse(account, 'Not found')
  return json({
    email: account.email,
    verified: account.emailVerifiedAt !== null,
    saved: oneOf(new URL(request.url).searchParams.get('saved'), SAVED),
  })
}

const fieldErrors = (errors: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(errors).flatMap(([field, message]) => (message ? [[field, [message]]] : [])))

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const formData = await readFormData(request)
  const intent = formData.get('intent')

  if (intent === 'resend-verification') {
    await enforceRateLimit({ action: 'verification-mail', context })
    await resendEmailVerification({ userId: user.id })
    return redirect('/settings/account?saved=verification-sent')
  }
  if (intent === 'change-email') {
    const submission = parseForm(formData, ChangeEmailSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    // A change mails a confirmation link, like a resend, and tries the current password.
    const limited = await rateLimitRefusal({ action: 'change-email', context })
    if (limited) return rateLimitedForm(formData, limited, { intent })
    const result = await changeEmail({ userId: user.id, email: submission.value.email, currentPassword: submission.value.currentPassword })
    if (!result.ok) return badRequest(submission, { fieldErrors: fieldErrors(result.errors) }, { intent })
    return redirect('/settings/account?saved=email')
  }
  if (intent === 'change-password') {
    const submission = parseForm(formData, ChangePasswordSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    const limited = await rateLimitRefusal({ action: 'current-password', context })
    if (limited) return rateLimitedForm(formData, limited, { intent })
    const { currentPassword, newPassword } = submission.value
    const result = await changePassword({ userId: user.id, currentPassword, newPassword, keepSessionId: context.session?.id ?? null })
    if (!result.ok) return badRequest(submission, { fieldErrors: fieldErrors(result.errors) }, { intent })
    return redirect('/settings/account?saved=password')
  }
  throw json({ message: 'Unknown action.' }, { status: 400 })
}

export default function AccountSettings() {
  const { email, verified, saved } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const emailForm = formStateFor(actionData, 'change-email')
  const passwordForm = formStateFor(actionData, 'change-password')
  const savedMessages: Record<(typeof SAVED)[number], string> = {
    email: `Your email address is now ${email}. We have mailed it a link to confirm it, and told your old address about the change.`,
    password: 'Your password has been changed. You stay logged in here; every other device has been logged out.',
    'password-reset': 'Your new password is set and you are logged in. Every other device has been logged out.',
    'verification-sent': `We have mailed a new confirmation link to ${email}. It works for 48 hours.`,
  }
  return (
    <>
      <h2>Email and password</h2>
      <StatusNotice hidden={!!actionData}>{saved ? savedMessages[saved] : null}</StatusNotice>

      <h3 id="email-heading">Email address</h3>
      <p>
        Your address is <strong>{email}</strong>{' '}
        {verified ? '(confirmed).' : '(not confirmed yet: until you follow the link we mailed, what you post is limited more strictly).'}
      </p>
      {verified ? null : (
        <Form method="post">
          <button type="submit" name="intent" value="resend-verification" className="secondary">
            Resend verification email
          </button>
        </Form>
      )}

      <Form method="post" noValidate aria-labelledby="change-email-heading">
        <h3 id="change-email-heading">Change email</h3>
        <FormErrors errors={emailForm.formErrors} />
        <Field
          id="change-email-email"
          label="New email"
          name="email"
          type="email"
          autoComplete="email"
          hint="We mail a link to the new address to confirm it, and tell the old one."
          defaultValue={emailForm.value('email')}
          errors={emailForm.errorsFor('email')}
          required
        />
        <Field id="change-email-current-password" label="Current password" name="currentPassword" type="password" autoComplete="current-password" errors={emailForm.errorsFor('currentPassword')} required />
        <button type="submit" name="intent" value="change-email">
          Change email
        </button>
      </Form>

      <Form method="post" noValidate aria-labelledby="change-password-heading">
        <h3 id="change-password-heading">Change password</h3>
        <FormErrors errors={passwordForm.formErrors} />
        <Field id="change-password-current-password" label="Current password" name="currentPassword" type="password" autoComplete="current-password" errors={passwordForm.errorsFor('currentPassword')} required />
        <NewPasswordFields label="New password" name="newPassword" form={passwordForm} idPrefix="change-password" hintMore="Every other device will be logged out." />
        <button type="submit" name="intent" value="change-password">
          Change password
        </button>
      </Form>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Email and password · Settings · Parley' }]
