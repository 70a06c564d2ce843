import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { NewPasswordFields } from '~/accounts/ui/new-password-fields'
import { formState } from '~/platform/form-state'
import { registerMember } from '~/accounts/account.server'
import { getUser, startSessionFor } from '~/platform/auth/auth.server'
import { RegisterSchema } from '~/accounts/forms.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { readFormData } from '~/platform/request-input.server'
import { normaliseIp, screeningFor, SIGNUP_BLOCKED_MESSAGE } from '~/moderation/screening.server'
import { pageMeta } from '~/platform/seo'

export async function loader({ context }: LoaderFunctionArgs) {
  if (getUser(context)) throw redirect('/')
  return json({})
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request)
  const submission = parseForm(formData, RegisterSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const limited = await rateLimitRefusal({ action: 'signup', context })
  if (limited) return rateLimitedForm(formData, limited)
  const { username, email, password } = submission.value
  const signupIp = normaliseIp(context.clientIp)
  // The same words whether the address, its domain or the network is screened.
  if ((await screeningFor({ email, ip: signupIp })) === 'block') return badRequest(submission, { fieldErrors: { email: [SIGNUP_BLOCKED_MESSAGE] } })
  // The account and the mail that verifies its address are one transaction.
  const created = await registerMember({ username, email, password, signupIp })
  if (!created.ok) return badRequest(submission, { fieldErrors: Object.fromEntries(Object.entries(created.errors).map(([k, v]) => [k, [v]])) })
  return redirect('/', { headers: { 'Set-Cookie': await startSessionFor(request, context, created.user.id) } })
}

export default function Register() {
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  return (
    <section className="narrow">
      <h1>Create an account</h1>
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <Field label="Username" name="username" autoComplete="username" hint="3 to 20 letters, digits, underscores or hyphens; shown with everything you post." defaultValue={form.value('username')} errors={form.errorsFor('username')} required />
        <Field label="Email" name="email" type="email" autoComplete="email" hint="Never shown to other members." defaultValue={form.value('email')} errors={form.errorsFor('email')} required />
        <NewPasswordFields label="Password" name="password" form={form} />
        <button type="submit">Create account</button>
      </Form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => pageMeta({ matches, title: 'Create an account · Parley', description: 'Join the Parley community to ask questions, answer others and contact support.', path: '/register' })
