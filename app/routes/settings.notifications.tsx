import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { FormErrors, SelectField } from '~/ui/field'
import { formStateFor } from '~/platform/form-state'
import { StatusNotice } from '~/ui/status-notice'
import { DELIVERY_OPTIONS } from '~/notifications/kinds'
import { getNotificationPreferences, setNotificationPreferences } from '~/notifications/preferences.server'
import { forgetWatch, listWatches } from '~/notifications/watches.server'
import { requireUser } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse, questionPath } from '~/platform/misc'
import { ForgetWatchSchema, PreferencesSchema } from '~/notifications/forms.server'
import { readFormData } from '~/platform/request-input.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const [preferences, watched] = await Promise.all([getNotificationPreferences({ userId: user.id }), listWatches({ userId: user.id })])
  return json({ preferences, watched })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const formData = await readFormData(request)
  const intent = String(formData.get('intent') ?? '')
  if (intent === 'preferences') {
    const submission = parseForm(formData, PreferencesSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    await setNotificationPreferences({ userId: user.id, deliveries: submission.value })
    return redirect('/settings/notifications?saved=1')
  }
  if (intent === 'forget-watch') {
    const submission = parseForm(formData, ForgetWatchSchema)
    invariantResponse(submission.status === 'success', 'Choose a thread or category.', { status: 400 })
    // Only the member's own watch: another's id changes nothing and is a 404.
    invariantResponse(await forgetWatch({ userId: user.id, watchId: submission.value.watchId }), 'There is no such watch.')
    return redirect('/settings/notifications')
  }
  throw json({ message: 'Unknown action.' }, { status: 400 })
}

export default function NotificationSettings() {
  const { preferences, watched } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formStateFor(actionData, 'preferences')
  const [params] = useSearchParams()
  return (
    <section>
      <h2>Notifications</h2>
      <p>
        Everything appears under the bell (<Link to="/notifications">your notifications</Link>). Choose, for each kind, whether we also mail you at once, once a day in a digest,
        or never.
      </p>
      <StatusNotice hidden={!!actionData}>{params.get('saved') ? 'Saved your notification settings.' : null}</StatusNotice>
      <Form method="post">
        <input type="hidden" name="intent" value="preferences" />
        <FormErrors errors={form.formErrors} />
        {preferences.map((p) => (
          <SelectField key={p.kind} label={p.label} name={p.kind} options={DELIVERY_OPTIONS} defaultValue={form.value(p.kind) || p.delivery} errors={form.errorsFor(p.kind)} />
        ))}
        <button type="submit">Save notification settings</button>
      </Form>

      <h3>Threads and categories you watch or mute</h3>
      <p className="hint">You watch the questions you ask and answer. Watch or mute any thread or category from its page.</p>
      {watched.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul className="watch-list">
          {watched.map((w) => {
            const name = w.questionId ? w.questionTitle ?? 'a thread that is no longer available' : `the ${w.categoryName} category`
            return (
              <li key={w.id}>
                {w.level === 'muted' ? 'Muted: ' : 'Watching: '}
                {w.questionId && w.questionTitle ? (
                  <Link to={questionPath({ id: w.questionId, title: w.questionTitle })}>{w.questionTitle}</Link>
                ) : w.categorySlug ? (
                  <Link to={`/c/${w.categorySlug}`}>{w.categoryName}</Link>
                ) : (
                  <span className="hint">a thread that is no longer available</span>
                )}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="forget-watch" />
                  <input type="hidden" name="watchId" value={w.id} />
                  <button type="submit" className="link-button" aria-label={`${w.level === 'muted' ? 'Unmute' : 'Stop watching'} ${name}`}>
                    {w.level === 'muted' ? 'Unmute' : 'Stop watching'}
                  </button>
                </Form>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Notification settings · Parley' }]
