import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FieldErrors, FormErrors } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { contentVisible, viewerOf } from '~/forum/visibility.server'
import { loadReportTarget } from '~/moderation/effects.server'
import type { AuthUser } from '~/platform/auth/auth.server'
import { fileReport } from '~/moderation/report.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { idOrNull, invariantResponse } from '~/platform/misc'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { ReportSchema } from '~/moderation/forms.server'
import { readFormData } from '~/platform/request-input.server'

const REASON_LABELS = [
  { value: 'spam', label: 'Spam', hint: 'Advertising or posted only to promote something.' },
  { value: 'harassment', label: 'Harassment or abuse', hint: 'Attacks, threats or insults aimed at someone.' },
  { value: 'inappropriate', label: 'Inappropriate content', hint: 'Offensive, explicit or otherwise not suitable here.' },
  { value: 'copyright', label: 'Copyright or intellectual property', hint: 'Someone else’s work posted without permission (say whose).' },
  { value: 'off-topic', label: 'Off-topic', hint: 'Does not belong in this community or thread.' },
  { value: 'other', label: 'Something else', hint: 'Tell us what is wrong in the note.' },
] as const

const NOTHING_TO_REPORT = 'There is nothing to report at this address.'

/** `?target=answer:42` → its kind and id; anything else is a 404. */
function targetRef(request: Request) {
  const match = new URL(request.url).searchParams.get('target')?.match(/^(question|answer|user):(\d{1,10})$/)
  const id = idOrNull(match?.[2])
  invariantResponse(match && id, NOTHING_TO_REPORT)
  return { kind: match[1] as 'question' | 'answer' | 'user', id }
}

/** A post the member may not see is not there for them: a 404 that does not confirm it exists. */
async function requireVisibleTarget(target: ReturnType<typeof targetRef>, user: AuthUser) {
  if (target.kind === 'user') return
  invariantResponse(await contentVisible({ kind: target.kind, id: target.id, viewer: viewerOf(user) }), NOTHING_TO_REPORT)
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, context, 'create:report')
  const ref = targetRef(request)
  await requireVisibleTarget(ref, user)
  const target = await loadReportTarget(ref)
  invariantResponse(target, NOTHING_TO_REPORT)
  invariantResponse(target.userId !== user.id, 'You cannot report your own post or profile.', { status: 400 })
  return json({ target: { kind: target.kind, title: target.title, username: target.username, path: target.path } })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, context, 'create:report')
  // fileReport loads the target itself, and answers not-found for a missing one.
  const target = targetRef(request)
  await requireVisibleTarget(target, user)
  const formData = await readFormData(request)
  const submission = parseForm(formData, ReportSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const limited = await rateLimitRefusal({ action: 'report', context })
  if (limited) return rateLimitedForm(formData, limited)
  const result = await fileReport({ reporterId: user.id, targetKind: target.kind, targetId: target.id, ...submission.value })
  invariantResponse(result.ok || result.reason !== 'not-found', NOTHING_TO_REPORT)
  if (!result.ok) {
    const message = result.reason === 'own' ? 'You cannot report your own post or profile.' : 'You have already reported this. You can withdraw that report on your moderation page.'
    return badRequest(submission, { formErrors: [message] })
  }
  return redirect('/me/moderation?reported=1#reports')
}

export default function Report() {
  const { target } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  const what = target.kind === 'user' ? `the profile of ${target.username}` : `${target.kind === 'question' ? 'the question' : 'an answer on'} “${target.title}” by ${target.username}`
  return (
    <section className="narrow-wide">
      <h1>Report</h1>
      <p>
        You are reporting <Link to={target.path}>{what}</Link>. Moderators review every report; you will be told the outcome.
      </p>
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <fieldset aria-describedby={form.errorsFor('reason') ? 'reason-error' : undefined}>
          <legend>Why are you reporting it?</legend>
          {REASON_LABELS.map((r) => (
            <div key={r.value} className="radio">
              <input type="radio" id={`reason-${r.value}`} name="reason" value={r.value} defaultChecked={form.value('reason') === r.value} />
              <label htmlFor={`reason-${r.value}`}>
                {r.label} <span className="hint">— {r.hint}</span>
              </label>
            </div>
          ))}
          <FieldErrors id="reason-error" errors={form.errorsFor('reason')} />
        </fieldset>
        <Field as="textarea" label="Note for the moderators" name="note" rows={4} defaultValue={form.value('note')} errors={form.errorsFor('note')} hint="Optional, except for copyright and “something else”." />
        <button type="submit">Send report</button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Report · Parley' }]
