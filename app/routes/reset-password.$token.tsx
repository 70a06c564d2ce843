import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormErrors } from '~/ui/field'
import { NewPasswordFields } from '~/accounts/ui/new-password-fields'
import { formState } from '~/platform/form-state'
import { passwordResetTokenIsValid, resetPassword } from '~/accounts/account.server'
import { ResetPasswordSchema } from '~/accounts/forms.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { logInAndRedirect } from '~/accounts/login.server'
import { readFormData, pathParams } from '~/platform/request-input.server'

/** The link from the reset mail. Showing the form leaves the link unused: only setting the password uses it. */
export async function loader({ params }: LoaderFunctionArgs) {
  return json({ valid: await passwordResetTokenIsValid({ token: pathParams(params).token ?? '' }) })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const submission = parseForm(await readFormData(request), ResetPasswordSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const result = await resetPassword({ token: pathParams(params).token ?? '', password: submission.value.password })
  if (!result.ok && result.reason === 'invalid-password') return badRequest(submission, { fieldErrors: { password: [result.errors.password] } })
  if (!result.ok) return json({ result: undefined, expired: true }, { status: 400 })
  // Every session of the member has ended; this browser's, whoever's it was, gives way to a new one.
  // A reset ends in a login, so like one it brings a deactivated account back and cancels a pending deletion.
  return logInAndRedirect({ request, context, userId: result.userId, inactive: result.inactive, to: '/settings/account?saved=password-reset' })
}

export default function ResetPassword() {
  const { valid } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  if (!valid || (actionData && 'expired' in actionData)) {
    return (
      <section className="narrow">
        <h1>Reset your password</h1>
        <p className="notice" role="status">
          This reset link has expired or was already used. A link works once, for one hour after we mail it.
        </p>
        <p>
          <Link to="/forgot-password">Ask for a new reset link</Link>
        </p>
      </section>
    )
  }
  return (
    <section className="narrow">
      <h1>Choose a new password</h1>
      <p>Setting a new password logs you out on every other device.</p>
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <NewPasswordFields label="New password" name="password" form={form} />
        <button type="submit">Set new password</button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Choose a new password · Parley' }]
