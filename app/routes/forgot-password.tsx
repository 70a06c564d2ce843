import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { requestPasswordReset } from '~/accounts/account.server'
import { ForgotPasswordSchema } from '~/accounts/forms.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { readFormData } from '~/platform/request-input.server'
import { pageMeta } from '~/platform/seo'

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ sent: new URL(request.url).searchParams.get('sent') === '1' })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request)
  const submission = parseForm(formData, ForgotPasswordSchema)
  if (submission.status !== 'success') return badRequest(submission)
  // Counted whether or not an account uses the address, so the limit reveals nothing either.
  const limited = await rateLimitRefusal({ action: 'password-reset', context, email: submission.value.email })
  if (limited) return rateLimitedForm(formData, limited)
  await requestPasswordReset({ email: submission.value.email })
  // The same redirect whether or not an account uses the address: the answer reveals nothing.
  return redirect('/forgot-password?sent=1')
}

export default function ForgotPassword() {
  const { sent } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  return (
    <section className="narrow">
      <h1>Reset your password</h1>
      {sent && !actionData ? (
        <p className="notice" role="status">
          If an account uses that address, we have sent a link to reset its password. It works for one hour.
        </p>
      ) : (
        <p>Enter the email address of your account and we will mail you a link to choose a new password.</p>
      )}
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <Field label="Email" name="email" type="email" autoComplete="email" defaultValue={form.value('email')} errors={form.errorsFor('email')} required />
        <button type="submit">Send reset link</button>
      </Form>
      <p>
        Remembered it? <Link to="/login">Log in</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => pageMeta({ matches, title: 'Reset your password · Parley', description: 'Get a link to choose a new Parley password by email.', path: '/forgot-password' })
