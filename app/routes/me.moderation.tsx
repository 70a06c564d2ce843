import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { formState, type SubmissionReply } from '~/platform/form-state'
import { UserLink } from '~/accounts/ui/user-link'
import { fileAppeal } from '~/moderation/appeal.server'
import { getMemberModeration } from '~/moderation/audit.server'
import { unblockMember } from '~/moderation/blocks.server'
import { withdrawReport } from '~/moderation/report.server'
import { requireUser } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse } from '~/platform/misc'
import { restrictionOf } from '~/platform/auth/permissions'
import { AppealSchema, UsernameSchema, WithdrawSchema } from '~/moderation/forms.server'
import { readFormData } from '~/platform/request-input.server'
import { EmptyState } from '~/ui/empty-state'
import { DateTime, useDates } from '~/ui/time'

/**
 * A member's own record: every moderation decision about them with its reason and an appeal,
 * the reports they filed and their outcomes, their conflict cases and their blocks. Suspended
 * and banned members reach it too: only requireUser, no contributing permission.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const reported = new URL(request.url).searchParams.get('reported') === '1'
  const moderation = await getMemberModeration({ userId: user.id })
  // Read from the database, not the session's user: a decision taken since sign-in shows at once.
  const standing = restrictionOf({ role: user.role, ...moderation.restriction })
  return json({ ...moderation, standing, reported })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const formData = await readFormData(request)
  const intent = String(formData.get('intent') ?? '')
  if (intent === 'appeal') {
    const submission = parseForm(formData, AppealSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent, actionId: Number(formData.get('actionId')) })
    const result = await fileAppeal({ memberId: user.id, ...submission.value })
    invariantResponse(result.ok || result.reason !== 'not-found', 'There is no such decision about you.')
    if (!result.ok) {
      const message = result.reason === 'duplicate' ? 'You have already appealed this decision.' : 'This decision can no longer be appealed.'
      return badRequest(submission, { formErrors: [message] }, { intent, actionId: submission.value.actionId })
    }
    return redirect('/me/moderation?appealed=1')
  }
  if (intent === 'withdraw') {
    const submission = parseForm(formData, WithdrawSchema)
    invariantResponse(submission.status === 'success', 'Choose a report.', { status: 400 })
    invariantResponse(await withdrawReport({ reporterId: user.id, reportId: submission.value.reportId }), 'There is no such open report of yours.')
    return redirect('/me/moderation#reports')
  }
  if (intent === 'unblock') {
    const submission = parseForm(formData, UsernameSchema)
    invariantResponse(submission.status === 'success', 'Choose a member.', { status: 400 })
    invariantResponse(await unblockMember({ blockerId: user.id, username: submission.value.username }), 'You have not blocked that member (or a moderator did, and only they can lift it).')
    return redirect('/me/moderation#blocks')
  }
  throw json({ message: 'Unknown action.' }, { status: 400 })
}

const ACTION_WORDS: Record<string, string> = {
  'auto-hide': 'Your content was hidden after reports, pending review',
  hide: 'A moderator hid your content',
  remove: 'A moderator removed your content',
  lock: 'A moderator locked your thread',
  warn: 'A moderator warned you',
  suspend: 'A moderator suspended your account',
  ban: 'A moderator banned your account',
  block: 'A moderator set a mutual block between you and another member',
  reject: 'A moderator did not approve your post, which was waiting for approval',
}

/** A moderator's reason as a sentence of the banner: ended by a full stop unless it ends itself. */
const asSentence = (reason: string | null) => {
  const text = (reason ?? '').trim()
  if (!text) return 'no reason was given.'
  return /[.!?…]$/.test(text) ? text : `${text}.`
}

export default function MyModeration() {
  const dates = useDates()
  const { actions, reports, cases, blocks, restriction, standing, reported } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { intent?: string; actionId?: number; result?: SubmissionReply } | undefined
  return (
    <section>
      <h1>Moderation</h1>
      {standing?.kind === 'banned' ? (
        <p className="notice notice-moderation" role="status">
          Your account is banned: {asSentence(restriction.banReason)} You can still read your record and appeal below, and export or delete your data from your settings.
        </p>
      ) : standing?.kind === 'suspended' ? (
        <p className="notice notice-moderation" role="status">
          Your account is suspended until <DateTime value={standing.until} />: {asSentence(restriction.suspensionReason)} Until then you can read your record and appeal below, and export or delete your data from your settings; the rest of the site is closed to you.
        </p>
      ) : standing?.kind === 'silenced' ? (
        <p className="notice notice-moderation" role="status">
          Your account is silenced until <DateTime value={standing.until} />: {asSentence(restriction.silenceReason)} You can still read, use your support tickets and appeal below, but not post, answer, vote or report.
        </p>
      ) : null}
      {reported ? (
        <p className="notice" role="status">
          Thank you: your report was sent to the moderators. You will see the outcome here.
        </p>
      ) : null}

      <section aria-labelledby="decisions-heading">
        <h2 id="decisions-heading">Decisions about you</h2>
        {actions.length === 0 ? <EmptyState title="No moderation decisions about you." /> : null}
        {actions.map((a) => {
          const form = formState(actionData?.intent === 'appeal' && actionData.actionId === a.id ? actionData.result : undefined)
          return (
            <article key={a.id} className="ticket-message" aria-label={`${ACTION_WORDS[a.action] ?? a.action} on ${dates.dateTime(a.createdAt)}`}>
              <p>
                <strong>{ACTION_WORDS[a.action] ?? a.action}</strong>
                {a.durationDays ? ` for ${a.durationDays} days` : ''} on <DateTime value={a.createdAt} />.
              </p>
              <p>Reason: {a.reason}</p>
              {a.targetKind === 'question' && a.action !== 'reject' ? <Link to={`/questions/${a.targetId}`}>See the question</Link> : null}
              {a.reversedAt ? <p className="badge badge-solved">Reversed on <DateTime value={a.reversedAt} /></p> : null}
              {a.appealId ? (
                <p>
                  Your appeal: {a.appealStatus === 'pending' ? 'waiting for a moderator' : a.appealResolution === 'overturned' ? 'successful, the decision was reversed' : 'the decision was upheld'}
                  {a.appealReason ? ` — “${a.appealReason}”` : ''}
                </p>
              ) : null}
              {a.appealable ? (
                <Form method="post" noValidate>
                  <FormErrors errors={form.formErrors} />
                  <input type="hidden" name="actionId" value={a.id} />
                  <Field as="textarea" id={`statement-${a.id}`} label="Why should this decision change?" name="statement" rows={3} defaultValue={form.value('statement')} errors={form.errorsFor('statement')} />
                  <button type="submit" name="intent" value="appeal">
                    Appeal
                  </button>
                </Form>
              ) : null}
            </article>
          )
        })}
      </section>

      <section aria-labelledby="reports-heading" id="reports">
        <h2 id="reports-heading">Reports you filed</h2>
        {reports.length === 0 ? <EmptyState title="You have not reported anything." /> : null}
        <ul>
          {reports.map((r) => (
            <li key={r.id}>
              {r.reason} report on {r.targetKind === 'user' ? `the profile of ${r.title}` : `“${r.title}”`}, <DateTime value={r.createdAt} />:{' '}
              {r.status === 'open' ? 'waiting for a moderator' : r.status === 'withdrawn' ? 'withdrawn' : r.status === 'upheld' ? (r.overturnedAt ? <>overturned on appeal on <DateTime value={r.overturnedAt} /> (the {r.outcome} was reversed)</> : `upheld (${r.outcome})`) : 'reviewed, no action needed'}
              {r.status === 'open' ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="reportId" value={r.id} />
                  <button type="submit" name="intent" value="withdraw" className="secondary">
                    Withdraw report
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="cases-heading">
        <h2 id="cases-heading">Conflict cases</h2>
        <p>
          <Link to="/conflicts/new">Ask the moderators for help with another member</Link>
        </p>
        <ul>
          {cases.map((c) => (
            <li key={c.id}>
              <Link to={`/conflicts/${c.id}`}>Case #{c.id}</Link>, opened <DateTime value={c.createdAt} />: {c.status === 'pending' ? 'open' : `resolved (${c.resolution})`}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="blocks-heading" id="blocks">
        <h2 id="blocks-heading">Members you block</h2>
        {blocks.length === 0 ? <EmptyState title="You block no one. Block a member from their profile page." /> : null}
        <ul>
          {blocks.map((b) => (
            <li key={b.username}>
              <UserLink username={b.username} />
              {b.byModerator ? (
                <span className="muted"> (set by a moderator)</span>
              ) : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="username" value={b.username} />
                  <button type="submit" name="intent" value="unblock" className="secondary" aria-label={`Unblock ${b.username}`}>
                    Unblock
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      </section>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Moderation · Parley' }]
