import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FieldErrors, FormErrors, SelectField } from '~/ui/field'
import { ConversationMessage } from '~/ui/conversation-message'
import { formStateFor } from '~/platform/form-state'
import {
  claimReviewItem,
  decideAppeal,
  decideReport,
  getReviewItem,
  openConflictFromReport,
  postConflictMessage,
  resolveConflict,
  reverseModerationAction,
  type DecideResult,
} from '~/moderation/review-queue.server'
import { formatDateTime } from '~/platform/dates'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse, requireId } from '~/platform/misc'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { AppealDecisionSchema, ConflictDecisionSchema, MessageSchema, NoteSchema, ReportDecisionSchema, ReverseSchema } from '~/moderation/forms.server'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const moderator = requireUserWithPermission(request, context, 'moderate:content:any')
  const data = await getReviewItem({ id: requireId(params.id) })
  invariantResponse(data, 'There is no such queue item.')
  return json({ ...data, viewerId: moderator.id, viewerIsAdmin: moderator.role === 'admin' })
}

/** Not-found is answered with a 404 before this is asked. */
type Failure = Exclude<DecideResult, { ok: true } | { reason: 'not-found' }>

/** Turns a refused decision into what the moderator needs to know: who acted first, or what was wrong. */
function refusal(result: Failure): string {
  switch (result.reason) {
    case 'conflict':
      return result.current.status === 'resolved'
        ? `Someone was quicker: ${result.current.resolvedByUsername ?? 'another moderator'} already decided this item (${result.current.resolution}). Nothing you sent was applied.`
        : 'This item changed while you were looking at it (a new report arrived). Check it again and decide once more.'
    case 'same-moderator':
      return 'You took the action under appeal, so another moderator (or an admin) must decide the appeal.'
    case 'invalid':
      return result.message ?? 'That action does not apply here.'
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const moderator = requireUserWithPermission(request, context, 'moderate:content:any')
  const id = requireId(params.id)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const here = `/mod/queue/${id}`
  const fail = (submission: Parameters<typeof badRequest>[0], message?: string) => badRequest(submission, message ? { formErrors: [message] } : undefined, { intent })
  const decided = (submission: Parameters<typeof badRequest>[0], result: DecideResult) => {
    if (result.ok) return redirect(here)
    invariantResponse(result.reason !== 'not-found', 'There is no such queue item.')
    return badRequest(submission, { formErrors: [refusal(result)] }, { intent, conflict: result.reason === 'conflict' })
  }

  if (intent === 'claim' || intent === 'release') {
    await claimReviewItem({ id, moderatorId: moderator.id, release: intent === 'release' })
    return redirect(here)
  }
  if (intent === 'decide-report') {
    const submission = parseForm(formData, ReportDecisionSchema)
    if (submission.status !== 'success') return fail(submission)
    return decided(submission, await decideReport({ id, moderator, ...submission.value }))
  }
  if (intent === 'decide-appeal') {
    const submission = parseForm(formData, AppealDecisionSchema)
    if (submission.status !== 'success') return fail(submission)
    return decided(submission, await decideAppeal({ id, moderator, ...submission.value }))
  }
  if (intent === 'decide-conflict') {
    const submission = parseForm(formData, ConflictDecisionSchema)
    if (submission.status !== 'success') return fail(submission)
    return decided(submission, await resolveConflict({ id, moderator, ...submission.value }))
  }
  if (intent === 'message') {
    const submission = parseForm(formData, MessageSchema)
    if (submission.status !== 'success') return fail(submission)
    const result = await postConflictMessage({ id, author: moderator, canModerate: true, body: submission.value.body })
    invariantResponse(result !== 'not-found', 'There is no such conflict case.')
    if (result === 'closed') return fail(submission, 'This case is closed.')
    return redirect(here)
  }
  if (intent === 'open-conflict') {
    const submission = parseForm(formData, NoteSchema)
    if (submission.status !== 'success') return fail(submission)
    const conflictId = await openConflictFromReport({ reportItemId: id, moderator, note: submission.value.note })
    invariantResponse(conflictId, 'Only a report item can become a conflict case.', { status: 400 })
    return redirect(`/mod/queue/${conflictId}`)
  }
  if (intent === 'reverse') {
    const submission = parseForm(formData, ReverseSchema)
    if (submission.status !== 'success') return fail(submission)
    const result = await reverseModerationAction({ moderator, ...submission.value })
    if (!result.ok) return fail(submission, result.message)
    return redirect(here)
  }
  throw json({ message: 'Unknown action.' }, { status: 400 })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

const CHOOSE = { value: '', label: 'Choose…' }
const ACTION_OPTIONS = [
  CHOOSE,
  { value: 'dismiss', label: 'Dismiss: the reports were wrong (un-hides it)' },
  { value: 'hide', label: 'Hide the content (the author may edit once and appeal)' },
  { value: 'remove', label: 'Remove the content (restorable for 30 days)' },
  { value: 'lock', label: 'Lock the thread' },
  { value: 'warn', label: 'Warn the author' },
  { value: 'suspend', label: 'Suspend the author' },
  { value: 'ban', label: 'Ban the author' },
]
const APPEAL_OPTIONS = [CHOOSE, { value: 'upheld', label: 'Uphold the decision' }, { value: 'overturned', label: 'Overturn it (reverses the action)' }]
const CONFLICT_OPTIONS = [
  CHOOSE,
  { value: 'agreement', label: 'Resolved by agreement' },
  { value: 'warning', label: 'Warn the chosen parties' },
  { value: 'mutual-block', label: 'Mutual block' },
  { value: 'suspension', label: 'Suspend the chosen parties' },
]

/** The decision on a pending item: reports, appeals and conflicts differ only in their choices and fields. */
function DecisionForm({
  item,
  actionData,
  intent,
  heading,
  choice,
  reasonLabel,
  submitLabel,
  idPrefix = '',
  days = false,
  children,
}: {
  item: Data['item']
  actionData: unknown
  intent: 'decide-report' | 'decide-appeal' | 'decide-conflict'
  heading: string
  choice: { label: string; name: string; options: { value: string; label: string }[] }
  reasonLabel: string
  submitLabel: string
  /** Keeps field ids apart from the other forms on the page. */
  idPrefix?: string
  /** Whether the decision can be a suspension, which needs its length. */
  days?: boolean
  children?: (form: ReturnType<typeof formStateFor>) => React.ReactNode
}) {
  const form = formStateFor(actionData, intent)
  return (
    <Form method="post" noValidate aria-labelledby="decide-heading">
      <h2 id="decide-heading">{heading}</h2>
      <FormErrors errors={form.formErrors} />
      <input type="hidden" name="version" value={item.version} />
      <SelectField label={choice.label} name={choice.name} options={choice.options} defaultValue={form.value(choice.name)} errors={form.errorsFor(choice.name)} />
      {children?.(form)}
      {days ? <Field label="Days (for a suspension)" name="days" id={idPrefix ? `${idPrefix}-days` : undefined} type="number" min={1} max={365} defaultValue={form.value('days')} errors={form.errorsFor('days')} /> : null}
      <Field as="textarea" label={reasonLabel} name="reason" id={idPrefix ? `${idPrefix}-reason` : undefined} rows={3} defaultValue={form.value('reason')} errors={form.errorsFor('reason')} required />
      <button type="submit" name="intent" value={intent}>
        {submitLabel}
      </button>
    </Form>
  )
}

function Decision({ item, target, parties, actionData }: { item: Data['item']; target: Data['target']; parties: Data['parties']; actionData: unknown }) {
  if (item.kind === 'report')
    return (
      <DecisionForm
        item={item}
        actionData={actionData}
        intent="decide-report"
        heading="Decide"
        // Only a question's report locks its thread.
        choice={{ label: 'Action', name: 'action', options: ACTION_OPTIONS.filter((o) => o.value !== 'lock' || target?.kind === 'question') }}
        reasonLabel="Reason (shown to the member it affects)"
        submitLabel="Apply decision"
        days
      />
    )
  if (item.kind === 'appeal')
    return (
      <DecisionForm
        item={item}
        actionData={actionData}
        intent="decide-appeal"
        heading="Decide the appeal"
        choice={{ label: 'Outcome', name: 'outcome', options: APPEAL_OPTIONS }}
        reasonLabel="Explanation (shown to the member)"
        submitLabel="Decide appeal"
      />
    )
  return (
    <DecisionForm
      item={item}
      actionData={actionData}
      intent="decide-conflict"
      heading="Resolve the case"
      choice={{ label: 'Outcome', name: 'outcome', options: CONFLICT_OPTIONS }}
      reasonLabel="Reason (shown to the parties)"
      submitLabel="Resolve case"
      idPrefix="conflict"
      days
    >
      {(form) => (
        <fieldset>
          <legend>Applies to (for a warning or a suspension)</legend>
          {parties.map((p) => (
            <label key={p.id} className="checkbox">
              <input type="checkbox" name="userIds" value={p.id} /> {p.username}
            </label>
          ))}
          <FieldErrors errors={form.errorsFor('userIds')} />
        </fieldset>
      )}
    </DecisionForm>
  )
}

export default function ReviewItemPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { item, target, reports, history, appealedAction, parties, messages, viewerId, viewerIsAdmin } = data
  const pending = item.status === 'pending'
  const message = formStateFor(actionData, 'message')
  const reverse = formStateFor(actionData, 'reverse')
  const ownAppeal = item.kind === 'appeal' && appealedAction?.moderatorId === viewerId && !viewerIsAdmin
  return (
    <article aria-labelledby="item-title">
      <p>
        <Link to="/mod/queue">Back to the queue</Link>
      </p>
      <h1 id="item-title">
        {item.kind === 'report' ? 'Report' : item.kind === 'appeal' ? 'Appeal' : 'Conflict case'} #{item.id}
      </h1>
      <p className="meta">
        <span>{pending ? 'Pending' : `Resolved: ${item.resolution}`}</span>
        <span>opened {formatDateTime(item.createdAt)}</span>
        {item.reasons.length ? <span>reasons: {item.reasons.join(', ')}</span> : null}
        {item.kind === 'report' ? <span>score {item.score}</span> : null}
      </p>
      {!pending ? (
        <p className="notice">
          Decided by {item.resolvedByUsername ?? 'Parley'} {item.resolvedAt ? `on ${formatDateTime(item.resolvedAt)}` : ''}: {item.resolutionReason}
        </p>
      ) : null}

      {pending ? (
        <Form method="post" className="inline-form">
          <span>{item.claimedByUsername ? `Claimed by ${item.claimedByUsername}` : 'No one has claimed this item.'}</span>
          {item.claimedById === viewerId ? (
            <button type="submit" name="intent" value="release" className="secondary">
              Release
            </button>
          ) : (
            <button type="submit" name="intent" value="claim" className="secondary">
              {item.claimedByUsername ? 'Take over' : 'Claim'}
            </button>
          )}
        </Form>
      ) : null}

      {item.statement ? (
        <section aria-labelledby="statement-heading">
          <h2 id="statement-heading">{item.kind === 'appeal' ? `Statement by ${item.openedByUsername}` : 'Description'}</h2>
          <p className="post-body">{item.statement}</p>
        </section>
      ) : null}

      {appealedAction ? (
        <section aria-labelledby="appealed-heading">
          <h2 id="appealed-heading">The decision under appeal</h2>
          <p>
            {appealedAction.action} by {appealedAction.moderatorUsername ?? 'Parley'} on {formatDateTime(appealedAction.createdAt)}: {appealedAction.reason}
          </p>
          {ownAppeal ? <p className="notice">You took this action, so another moderator must decide the appeal.</p> : null}
        </section>
      ) : null}

      {target ? (
        <section aria-labelledby="content-heading">
          <h2 id="content-heading">{target.kind === 'user' ? 'The member' : 'The content'}</h2>
          <p className="meta">
            <Link to={target.path}>{target.kind === 'user' ? target.username : target.title}</Link>
            <span>by {target.username}</span>
            {target.hiddenAt ? <span className="badge badge-flag">Hidden</span> : null}
            {target.removedAt ? <span className="badge badge-flag">Removed</span> : null}
            {target.lockedAt ? <span className="badge">Locked thread</span> : null}
          </p>
          {target.bodyHtml ? <div className="post-body" dangerouslySetInnerHTML={{ __html: target.bodyHtml }} /> : null}
        </section>
      ) : null}

      {reports.length ? (
        <section aria-labelledby="reports-heading">
          <h2 id="reports-heading">Reports</h2>
          <ul>
            {reports.map((r) => (
              <li key={r.id}>
                {r.reporterUsername}: {r.reason} (weight {r.weight}, {r.status}) {r.note ? `— “${r.note}”` : ''} <span className="muted">{formatDateTime(r.createdAt)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {item.kind === 'conflict' ? (
        <section aria-labelledby="case-heading">
          <h2 id="case-heading">Private thread with {parties.map((p) => p.username).join(' and ')}</h2>
          {messages.map((m) => (
            <ConversationMessage key={m.id} author={m.authorUsername} createdAt={m.createdAt} bodyHtml={m.bodyHtml} />
          ))}
          {pending ? (
            <Form method="post" noValidate>
              <Field as="textarea" label="Message to the parties" name="body" rows={3} defaultValue={message.value('body')} errors={message.errorsFor('body')} />
              <button type="submit" name="intent" value="message" className="secondary">
                Send message
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {pending && !ownAppeal ? <Decision item={item} target={target} parties={parties} actionData={actionData} /> : null}
      {pending && item.kind === 'report' ? (
        <Form method="post" noValidate className="convert-form">
          <Field label="Note to open a conflict case with the reporters (optional)" name="note" id="conflict-note" />
          <button type="submit" name="intent" value="open-conflict" className="secondary">
            Open a conflict case
          </button>
        </Form>
      ) : null}

      {!pending && item.resolution === 'remove' && item.removalActionId ? (
        <Form method="post" noValidate aria-labelledby="restore-heading">
          <h2 id="restore-heading">Restore</h2>
          <FormErrors errors={reverse.formErrors} />
          <input type="hidden" name="actionId" value={item.removalActionId} />
          <Field label="Reason for restoring" name="reason" id="restore-reason" defaultValue={reverse.value('reason')} errors={reverse.errorsFor('reason')} />
          <button type="submit" name="intent" value="reverse" className="secondary">
            Restore content
          </button>
        </Form>
      ) : null}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Moderation history of {target?.username ?? 'this member'}</h2>
        {history.length === 0 ? <p className="muted">No earlier actions.</p> : null}
        <ol className="history">
          {history.map((h) => (
            <li key={h.id}>
              {formatDateTime(h.createdAt)}: {h.action} by {h.moderatorUsername ?? 'Parley'} — {h.reason}
            </li>
          ))}
        </ol>
      </section>
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Queue item #${data.item.id} · Parley` : 'Not found · Parley' }]
