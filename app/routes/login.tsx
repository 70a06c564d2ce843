import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { StatusNotice } from '~/ui/status-notice'
import { verifyLogin } from '~/accounts/users.server'
import { getUser, safeRedirect } from '~/platform/auth/auth.server'
import { DELETION_GRACE_DAYS } from '~/accounts/rules'
import { LoginSchema } from '~/accounts/forms.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { logInAndRedirect } from '~/accounts/login.server'
import { oneOf } from '~/platform/misc'
import { loginRefusal, tooManyRequests } from '~/rate-limits/counter.server'
import { readFormData } from '~/platform/request-input.server'
import { pageMeta } from '~/platform/seo'

export async function loader({ context }: LoaderFunctionArgs) {
  if (getUser(context)) throw redirect('/')
  return json({})
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseForm(await readFormData(request), LoginSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const { identifier, password, redirectTo } = submission.value
  const result = await verifyLogin({ identifier, password, ip: context.clientIp })
  if (result.status === 'limited') throw tooManyRequests(loginRefusal(result.retryAt))
  // One message for an unknown account and a wrong password: which one it was is nobody's business.
  if (result.status === 'invalid') return badRequest(submission, { formErrors: ['That username or email and password do not match an account.'] })
  // Logging in brings a deactivated account back and cancels a pending deletion; the member is told so.
  return logInAndRedirect({ request, context, userId: result.userId, inactive: result.inactive, to: safeRedirect(redirectTo) })
}

const ACCOUNT_NOTICES = {
  deactivated: 'Your account is deactivated and you are logged out. Log in again whenever you want to come back.',
  'deletion-requested': `Your account will be deleted in ${DELETION_GRACE_DAYS} days; we have mailed you the date. Logging in before then cancels the deletion.`,
} as const

export default function Login() {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const form = formState(actionData?.result)
  const account = oneOf(searchParams.get('account'), ['deactivated', 'deletion-requested'] as const)
  const accountNotice = account ? ACCOUNT_NOTICES[account] : null
  return (
    <section className="narrow">
      <h1>Log in</h1>
      <StatusNotice hidden={!!actionData}>{accountNotice}</StatusNotice>
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? form.value('redirectTo')} />
        <Field label="Username or email" name="identifier" autoComplete="username" defaultValue={form.value('identifier')} errors={form.errorsFor('identifier')} required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" errors={form.errorsFor('password')} required />
        <button type="submit">Log in</button>
      </Form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/register">Create an account</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => pageMeta({ matches, title: 'Log in · Parley', description: 'Log in to Parley to ask, answer and follow your support requests.', path: '/login' })
