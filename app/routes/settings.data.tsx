import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { formStateFor } from '~/platform/form-state'
import { StatusNotice } from '~/ui/status-notice'
import { deactivateAccount, requestAccountDeletion, type AccountChangeResult } from '~/accounts/lifecycle.server'
import { DELETED_MEMBER_NAME, DELETION_GRACE_DAYS } from '~/accounts/rules'
import { AccountLifecycleSchema } from '~/accounts/lifecycle-forms.server'
import { endSession, requireUser, safeRedirect } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { oneOf } from '~/platform/misc'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { readFormData } from '~/platform/request-input.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const url = new URL(request.url)
  // Set by the login that brought a deactivated account back; `next` is where the member was going.
  const next = safeRedirect(url.searchParams.get('next'), '/')
  return json({
    username: user.username,
    welcome: oneOf(url.searchParams.get('welcome'), ['back', 'kept']),
    next: next === '/settings/data' ? null : next,
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const formData = await readFormData(request)
  const submission = parseForm(formData, AccountLifecycleSchema)
  if (submission.status !== 'success') return badRequest(submission, undefined, { intent: submission.payload.intent })
  const { intent } = submission.value
  const limited = await rateLimitRefusal({ action: 'current-password', context })
  if (limited) return rateLimitedForm(formData, limited, { intent })
  const result: AccountChangeResult =
    intent === 'deactivate'
      ? await deactivateAccount({ userId: user.id, password: submission.value.password })
      : await requestAccountDeletion({ userId: user.id, password: submission.value.password, confirmUsername: submission.value.confirmUsername })
  if (!result.ok) {
    return badRequest(submission, result.field ? { fieldErrors: { [result.field]: [result.message] } } : { formErrors: [result.message] }, { intent })
  }
  // Every session has ended with it; this one's cookie goes too.
  const headers = context.session ? { 'Set-Cookie': await endSession(context.session.id) } : undefined
  return redirect(`/login?account=${intent === 'deactivate' ? 'deactivated' : 'deletion-requested'}`, { headers })
}

export default function DataSettings() {
  const { username, welcome, next } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const deactivate = formStateFor(actionData, 'deactivate')
  const remove = formStateFor(actionData, 'delete')
  return (
    <>
      <h2>Your data and account</h2>
      <StatusNotice hidden={!!actionData}>
        {welcome ? (
          <>
            {welcome === 'kept' ? 'Welcome back. Your account will not be deleted.' : 'Welcome back: your account is active again.'}{' '}
            {next ? <Link to={next}>Continue where you were going</Link> : null}
          </>
        ) : null}
      </StatusNotice>

      <section aria-labelledby="export-heading">
        <h3 id="export-heading">Download your data</h3>
        <p>
          A zip file with everything you wrote here and everything Parley keeps about you: your account and settings, your questions and answers (each also as a
          Markdown file) with their edit history, your votes, your support requests and their replies, the reports you filed, moderation decisions about you, your
          appeals and conflict cases, notifications and where you are logged in.
        </p>
        <p>
          <Link to="/settings/export" reloadDocument>
            Download my data
          </Link>
        </p>
      </section>

      <section aria-labelledby="deactivate-heading">
        <h3 id="deactivate-heading">Deactivate your account</h3>
        <p>Your profile is hidden and you are logged out everywhere; your posts stay. Log in again whenever you want to come back.</p>
        <Form method="post" noValidate>
          <FormErrors errors={deactivate.formErrors} />
          <Field
            label="Current password"
            name="password"
            id="deactivate-password"
            type="password"
            autoComplete="current-password"
            errors={deactivate.errorsFor('password')}
            required
          />
          <button type="submit" name="intent" value="deactivate" className="secondary">
            Deactivate account
          </button>
        </Form>
      </section>

      <section aria-labelledby="delete-heading">
        <h3 id="delete-heading">Delete your account</h3>
        <p>
          Your account is deactivated at once and deleted {DELETION_GRACE_DAYS} days later. Deleting removes your username, email address, display name, bio,
          avatar, sessions, notifications and settings. Your questions, answers and other posts stay so that threads still make sense, shown as by “
          {DELETED_MEMBER_NAME}”. The moderation log keeps a record that the account was deleted.
        </p>
        <p>
          We mail you the date. <strong>Logging in within the {DELETION_GRACE_DAYS} days cancels the deletion; after that it cannot be undone.</strong> Download your
          data first if you want a copy.
        </p>
        <Form method="post" noValidate>
          <FormErrors errors={remove.formErrors} />
          <Field label="Current password" name="password" id="delete-password" type="password" autoComplete="current-password" errors={remove.errorsFor('password')} required />
          <Field
            label={`Type your username, ${username}, to confirm`}
            name="confirmUsername"
            autoComplete="off"
            spellCheck={false}
            defaultValue={remove.value('confirmUsername')}
            errors={remove.errorsFor('confirmUsername')}
            required
          />
          <button type="submit" name="intent" value="delete">
            Delete my account
          </button>
        </Form>
      </section>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Your data and account · Settings · Parley' }]
