import { Form } from '@remix-run/react'
import { Field, FieldErrors, FormErrors, SelectField } from '~/ui/field'
import { formStateFor } from '~/platform/form-state'
import { APPEAL_ACTION_LABELS } from '../appeal-actions'
import { CONFLICT_ACTION_LABELS } from '../conflict-actions'
import { REPORT_ACTION_LABELS } from '../report-actions'
import { QUEUED_POST_ACTION_LABELS } from '../queued-post-actions'

const CHOOSE = { value: '', label: 'Choose…' }

/**
 * The refusal of a decision that lost a race or was made on a stale page. The page shows it above
 * everything, whatever the item's state: once it is decided, no decision form is drawn to hold it.
 */
export function conflictMessage(actionData: unknown): string | null {
  const data = actionData as { conflict?: boolean; result?: { error?: Record<string, string[] | null> | null } } | undefined
  return data?.conflict ? (data.result?.error?.['']?.[0] ?? null) : null
}

/** Only the choices the server will accept, in the order the labels list them. */
function optionsFor(labels: Record<string, string>, allowed: readonly string[]) {
  return [CHOOSE, ...Object.entries(labels).flatMap(([value, label]) => (allowed.includes(value) ? [{ value, label }] : []))]
}

/** The decision on a pending item: reports, appeals and conflicts differ only in their choices and fields. */
function DecisionForm({
  version,
  actionData,
  intent,
  heading,
  choice,
  reasonLabel,
  submitLabel,
  idPrefix = '',
  days = false,
  templates = [],
  children,
}: {
  version: number
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
  /** Canned reasons: chosen instead of typing the reason (the server fills it in). */
  templates?: { id: number; name: string }[]
  children?: (form: ReturnType<typeof formStateFor>) => React.ReactNode
}) {
  const form = formStateFor(actionData, intent)
  return (
    <Form method="post" noValidate aria-labelledby="decide-heading">
      <h2 id="decide-heading">{heading}</h2>
      {/* A conflict is already said at the top of the page. */}
      <FormErrors errors={conflictMessage(actionData) ? null : form.formErrors} />
      <input type="hidden" name="version" value={version} />
      <SelectField label={choice.label} name={choice.name} options={choice.options} defaultValue={form.value(choice.name)} errors={form.errorsFor(choice.name)} />
      {children?.(form)}
      {templates.length > 0 ? (
        <SelectField
          label="Canned reason"
          name="templateId"
          id={idPrefix ? `${idPrefix}-template` : undefined}
          defaultValue={form.value('templateId')}
          hint="Used when the reason below is empty, with its days."
          options={[{ value: '', label: 'None: I type the reason' }, ...templates.map((t) => ({ value: String(t.id), label: t.name }))]}
        />
      ) : null}
      {days ? <Field label="Days (for a silence or suspension)" name="days" id={idPrefix ? `${idPrefix}-days` : undefined} type="number" min={1} max={365} defaultValue={form.value('days')} errors={form.errorsFor('days')} /> : null}
      <Field as="textarea" label={reasonLabel} name="reason" id={idPrefix ? `${idPrefix}-reason` : undefined} rows={3} defaultValue={form.value('reason')} errors={form.errorsFor('reason')} required />
      <button type="submit" name="intent" value={intent}>
        {submitLabel}
      </button>
    </Form>
  )
}

/**
 * The form for deciding a pending item, offering only `allowed` (from the item type's
 * allowedActions); with nothing allowed, the reason why instead of a form.
 */
export function Decision({
  kind,
  version,
  allowed,
  notice,
  parties,
  actionData,
  post,
  templates = [],
}: {
  kind: 'report' | 'appeal' | 'conflict' | 'queued-post'
  version: number
  allowed: string[]
  notice: string | null
  parties: { id: number; username: string }[]
  actionData: unknown
  /** The queued post as written, for "edit and approve". */
  post?: { kind: string; title: string; bodySource: string | null } | null
  templates?: { id: number; name: string }[]
}) {
  if (allowed.length === 0) return notice ? <p className="notice">{notice}</p> : null
  if (kind === 'queued-post') return <QueuedPostDecision version={version} allowed={allowed} post={post ?? null} actionData={actionData} />
  if (kind === 'report')
    return (
      <DecisionForm
        version={version}
        actionData={actionData}
        intent="decide-report"
        heading="Decide"
        choice={{ label: 'Action', name: 'action', options: optionsFor(REPORT_ACTION_LABELS, allowed) }}
        reasonLabel="Reason (shown to the member it affects)"
        submitLabel="Apply decision"
        days={allowed.includes('suspend') || allowed.includes('silence')}
        templates={templates}
      >
        {allowed.includes('ban') ? (form) => <BanScreening form={form} /> : undefined}
      </DecisionForm>
    )
  if (kind === 'appeal')
    return (
      <DecisionForm
        version={version}
        actionData={actionData}
        intent="decide-appeal"
        heading="Decide the appeal"
        choice={{ label: 'Outcome', name: 'outcome', options: optionsFor(APPEAL_ACTION_LABELS, allowed) }}
        reasonLabel="Explanation (shown to the member)"
        submitLabel="Decide appeal"
      />
    )
  return (
    <DecisionForm
      version={version}
      actionData={actionData}
      intent="decide-conflict"
      heading="Resolve the case"
      choice={{ label: 'Outcome', name: 'outcome', options: optionsFor(CONFLICT_ACTION_LABELS, allowed) }}
      reasonLabel="Reason (shown to the parties)"
      submitLabel="Resolve case"
      idPrefix="conflict"
      days={allowed.includes('suspension')}
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

/**
 * A post waiting for approval (decision 031): approve, edit and approve (the edit fields start with
 * what the author wrote), or reject with a reason the author reads.
 */
function QueuedPostDecision({ version, allowed, post, actionData }: { version: number; allowed: string[]; post: { kind: string; title: string; bodySource: string | null } | null; actionData: unknown }) {
  const form = formStateFor(actionData, 'decide-queued-post')
  return (
    <Form method="post" noValidate aria-labelledby="decide-heading">
      <h2 id="decide-heading">Decide</h2>
      <FormErrors errors={conflictMessage(actionData) ? null : form.formErrors} />
      <input type="hidden" name="version" value={version} />
      <SelectField label="Decision" name="action" options={optionsFor(QUEUED_POST_ACTION_LABELS, allowed)} defaultValue={form.value('action')} errors={form.errorsFor('action')} />
      <Field as="textarea" label="Reason (needed to reject; the author sees it)" name="reason" id="queued-reason" rows={2} defaultValue={form.value('reason')} errors={form.errorsFor('reason')} />
      {post && allowed.includes('edit-approve') ? (
        <fieldset>
          <legend>Your edit (used only to edit and approve)</legend>
          {post.kind === 'question' ? <Field label="Title" name="title" id="queued-title" defaultValue={form.value('title') ?? post.title} errors={form.errorsFor('title')} /> : null}
          <Field as="textarea" label="Body" name="body" id="queued-body" rows={8} defaultValue={form.value('body') ?? post.bodySource ?? ''} errors={form.errorsFor('body')} />
        </fieldset>
      ) : null}
      <button type="submit" name="intent" value="decide-queued-post">
        Apply decision
      </button>
    </Form>
  )
}

/** A ban offers to screen the member, so they cannot sign up again with the same address or from the same network. */
function BanScreening({ form }: { form: ReturnType<typeof formStateFor> }) {
  return (
    <fieldset>
      <legend>With a ban, also screen</legend>
      <label className="checkbox">
        <input type="checkbox" name="screenEmail" defaultChecked={form.value('screenEmail') === 'on'} aria-invalid={form.errorsFor('screenEmail') ? true : undefined} /> Their email address (and its domain, unless others use it)
      </label>
      <FieldErrors errors={form.errorsFor('screenEmail')} />
      <label className="checkbox">
        <input type="checkbox" name="screenIps" defaultChecked={form.value('screenIps') === 'on'} aria-invalid={form.errorsFor('screenIps') ? true : undefined} /> The network addresses they signed up and posted from
      </label>
      <FieldErrors errors={form.errorsFor('screenIps')} />
    </fieldset>
  )
}
