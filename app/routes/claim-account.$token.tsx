import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { NewPasswordFields } from '~/accounts/ui/new-password-fields'
import { ClaimAccountSchema } from '~/accounts/forms.server'
import { logInAndRedirect } from '~/accounts/login.server'
import { createUser } from '~/accounts/users.server'
import { formState } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { pathParams, readFormData } from '~/platform/request-input.server'
import { claimAccount, findClaimLink } from '~/tickets/requester-access.server'

/**
 * The one-time link in our mail to someone who wrote in without an account: choose a username and
 * a password, and every request written from that address becomes yours. Showing the form leaves
 * the link unused; only creating the account uses it.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const link = await findClaimLink({ token: pathParams(params).token ?? '' })
  return json({ link })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const submission = parseForm(await readFormData(request), ClaimAccountSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const { username, password } = submission.value
  const result = await claimAccount({
    token: pathParams(params).token ?? '',
    createAccount: async (tx, email) => {
      // The link came to this address, so the address is proven.
      const created = await createUser({ username, email, password, emailVerified: true }, tx)
      return created.ok ? { ok: true, userId: created.user.id } : { ok: false, errors: created.errors }
    },
  })
  if (!result.ok && result.reason === 'invalid') {
    const { email, ...fieldErrors } = result.errors
    return badRequest(submission, {
      fieldErrors: Object.fromEntries(Object.entries(fieldErrors).map(([k, v]) => [k, [v]])),
      // The address comes from the link; if it is taken, the person should log in instead.
      formErrors: email ? ['An account with this address already exists. Log in to see your requests.'] : [],
    })
  }
  if (!result.ok) return json({ result: undefined, expired: true }, { status: 400 })
  return logInAndRedirect({ request, context, userId: result.userId, to: '/tickets?claimed=1' })
}

export default function ClaimAccount() {
  const { link } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  if (!link || (actionData && 'expired' in actionData)) {
    return (
      <section className="narrow">
        <h1>Create your account</h1>
        <p className="notice" role="status">
          This link has expired or was already used. Every mail we send about your requests has a fresh one.
        </p>
        <p>
          <Link to="/login">Log in</Link> or <Link to="/register">create an account</Link>
        </p>
      </section>
    )
  }
  if (link.accountExists) {
    return (
      <section className="narrow">
        <h1>Create your account</h1>
        <p className="notice" role="status">
          An account with {link.email} already exists. <Link to="/login">Log in</Link> to see your requests.
        </p>
      </section>
    )
  }
  return (
    <section className="narrow">
      <h1>Create your account</h1>
      <p>
        For {link.email}: {link.ticketCount === 1 ? 'your request' : `your ${link.ticketCount} requests`} will be listed under your account, and you can follow every
        request there.
      </p>
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <Field label="Username" name="username" autoComplete="username" hint="3 to 20 letters, digits, underscores or hyphens; shown with everything you post." defaultValue={form.value('username')} errors={form.errorsFor('username')} required />
        <NewPasswordFields label="Password" name="password" form={form} />
        <button type="submit">Create account</button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Create your account · Parley' }, { name: 'robots', content: 'noindex' }]
