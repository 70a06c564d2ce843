import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { listReviewQueue, queueFiltersFrom } from '~/moderation/queue.server'
import { decideReportsInBulk, quickDecide, type BulkResult } from '~/moderation/bulk.server'
import { applyPenaltyTemplate, listPenaltyTemplates } from '~/moderation/penalty-templates.server'
import { BulkDecisionSchema, QuickDecisionSchema } from '~/moderation/screening-forms.server'
import { QUICK_ACTIONS, QUICK_ACTION_NAMES } from '~/moderation/quick-actions'
import { REPORT_ACTION_LABELS } from '~/moderation/report-actions'
import queueStyles from '~/moderation/ui/queue.css'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { formStateFor } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { readFormData } from '~/platform/request-input.server'
import { LiveQueueNotice } from '~/ui/live-queue-notice'
import { EmptyState } from '~/ui/empty-state'
import { Age } from '~/ui/time'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: queueStyles }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const moderator = requireUserWithPermission(request, context, 'moderate:content:any')
  const p = new URL(request.url).searchParams
  const filters = queueFiltersFrom(p)
  const [queue, templates] = await Promise.all([listReviewQueue({ moderator, filters, after: p.get('after'), before: p.get('before') }), listPenaltyTemplates()])
  return json({ ...queue, filters, templates, selectAll: p.get('select') === 'all', decided: Number(p.get('decided')) || 0, now: new Date().toISOString() })
}

/** Back to the same page of the queue, saying how many items were decided. */
function backToQueue(request: Request, decided: number) {
  const url = new URL(request.url)
  url.searchParams.delete('select')
  url.searchParams.set('decided', String(decided))
  return redirect(`${url.pathname}${url.search}`)
}

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = requireUserWithPermission(request, context, 'moderate:content:any')
  const formData = await readFormData(request)
  const outcome = (result: BulkResult, intent: string) => (result.refused.length === 0 ? backToQueue(request, result.decided.length) : json({ intent, outcome: result }))
  // A row's quick action is a button of the list's one form: it wins over the bulk fields around it.
  if (formData.has('quick')) {
    const submission = parseForm(formData, QuickDecisionSchema)
    if (submission.status !== 'success') throw json({ message: 'That quick action was not understood.' }, { status: 400 })
    const { quick, item } = submission.value.quick
    return outcome(await quickDecide({ item, moderator, quick }), 'quick')
  }
  const submission = parseForm(await applyPenaltyTemplate(formData), BulkDecisionSchema)
  if (submission.status !== 'success') return badRequest(submission, undefined, { intent: 'bulk' })
  const { items, action: decision, reason, days } = submission.value
  return outcome(await decideReportsInBulk({ items, moderator, action: decision, reason, days: days ?? null }), 'bulk')
}

const KIND_LABELS = { report: 'Report', appeal: 'Appeal', conflict: 'Conflict', 'queued-post': 'Awaiting approval' } as const
const SHORTCUTS = [
  ['j', 'next item'],
  ['k', 'previous item'],
  ['x', 'select or unselect the item'],
  ['a', 'agree (hide the content)'],
  ['d', 'disagree (dismiss the reports)'],
  ['i', 'ignore (close without a verdict)'],
  ['o', 'open the item'],
] as const

/**
 * j/k move between rows, x selects, a/d/i press the row's quick actions, o opens it. Keys typed in
 * a field are the field's. Shipped in this route's chunk; without JavaScript the buttons do the same.
 */
function useQueueShortcuts(table: React.RefObject<HTMLTableElement>) {
  useEffect(() => {
    let current = -1
    const rows = () => Array.from(table.current?.querySelectorAll<HTMLTableRowElement>('tbody tr') ?? [])
    const move = (to: number) => {
      const all = rows()
      if (all.length === 0) return
      all[current]?.classList.remove('queue-row-current')
      current = Math.max(0, Math.min(all.length - 1, to))
      const row = all[current]
      row.classList.add('queue-row-current')
      row.querySelector<HTMLElement>('a, input, button')?.focus()
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return
      const target = event.target as HTMLElement
      if (target.closest('input[type="text"], input[type="number"], textarea, select, [contenteditable]')) return
      const row = rows()[current]
      const press = (selector: string) => row?.querySelector<HTMLElement>(selector)?.click()
      switch (event.key) {
        case 'j':
          move(current + 1)
          break
        case 'k':
          move(current - 1)
          break
        case 'x':
          press('input[name="items"]')
          break
        case 'a':
          press('[data-quick="agree"]')
          break
        case 'd':
          press('[data-quick="disagree"]')
          break
        case 'i':
          press('[data-quick="ignore"]')
          break
        case 'o':
          press('a[href^="/mod/queue/"]')
          break
        default:
          return
      }
      event.preventDefault()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [table])
}

export default function ModerationQueue() {
  const { items, nextCursor, previousCursor, filters, templates, selectAll, decided, now } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formStateFor(actionData, 'bulk')
  const outcome = actionData && 'outcome' in actionData ? actionData.outcome : null
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][])
  const table = useRef<HTMLTableElement>(null)
  useQueueShortcuts(table)
  const decidable = items.filter((item) => item.kind === 'report' && item.status === 'pending')
  const selectAllHref = `?${new URLSearchParams([...query, ['select', 'all']])}`
  const toggleAll = (event: React.MouseEvent) => {
    // With JavaScript the link ticks every box in place; without, it reloads the page with them ticked.
    event.preventDefault()
    const boxes = Array.from(table.current?.querySelectorAll<HTMLInputElement>('input[name="items"]') ?? [])
    const tick = boxes.some((box) => !box.checked)
    for (const box of boxes) box.checked = tick
  }
  return (
    <section>
      <div className="page-heading">
        <h1>Moderation queue</h1>
        <Link to="/mod/audit">Audit log</Link>
      </div>
      <LiveQueueNotice topic="queue:moderation" />
      {decided && !actionData ? (
        <p className="notice" role="status">
          Decided {decided} {decided === 1 ? 'item' : 'items'}.
        </p>
      ) : null}
      {outcome ? (
        <div className="form-errors" role="alert">
          <p>
            Decided {outcome.decided.length} {outcome.decided.length === 1 ? 'item' : 'items'}; {outcome.refused.length} could not be decided:
          </p>
          <ul>
            {outcome.refused.map((r) => (
              <li key={r.id}>
                <Link to={`/mod/queue/${r.id}`}>#{r.id}</Link>: {r.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="get" className="filters" aria-label="Filter the queue">
        <SelectField label="Kind" name="kind" defaultValue={filters.kind ?? ''} options={[{ value: '', label: 'Every kind' }, { value: 'report', label: 'Reports' }, { value: 'appeal', label: 'Appeals' }, { value: 'conflict', label: 'Conflicts' }, { value: 'queued-post', label: 'Posts awaiting approval' }]} />
        <SelectField
          label="Reason"
          name="reason"
          defaultValue={filters.reason ?? ''}
          options={[
            { value: '', label: 'Any reason' },
            { value: 'harassment', label: 'Harassment or abuse' },
            { value: 'copyright', label: 'Copyright' },
            { value: 'spam', label: 'Spam' },
            { value: 'inappropriate', label: 'Inappropriate' },
            { value: 'off-topic', label: 'Off-topic' },
            { value: 'other', label: 'Other' },
          ]}
        />
        <SelectField label="Status" name="status" defaultValue={filters.status ?? 'pending'} options={[{ value: 'pending', label: 'Pending' }, { value: 'resolved', label: 'Resolved' }]} />
        <SelectField label="Claimed by" name="claimed" defaultValue={filters.claimed ?? ''} options={[{ value: '', label: 'Anyone or no one' }, { value: 'me', label: 'Me' }, { value: 'unclaimed', label: 'No one' }, { value: 'others', label: 'Another moderator' }]} />
        <button type="submit" className="secondary">
          Filter
        </button>
      </Form>
      {items.length === 0 ? <EmptyState title="Nothing here. Well done." /> : null}
      <Form method="post" noValidate aria-label="Decide queue items">
        {decidable.length > 0 ? (
          <>
            <p className="queue-select">
              <Link to={selectAllHref} onClick={toggleAll}>
                Select all reports on this page
              </Link>
              <span className="muted">Quick actions: agree hides the content, disagree dismisses the reports, ignore closes them without a verdict.</span>
            </p>
            <fieldset className="bulk-decision">
              <legend>Decide the selected reports together</legend>
              <FormErrors errors={form.formErrors ?? form.errorsFor('items')} />
              <SelectField
                label="Action"
                name="action"
                id="bulk-action"
                defaultValue={form.value('action')}
                errors={form.errorsFor('action')}
                options={[{ value: '', label: 'Choose…' }, ...Object.entries(REPORT_ACTION_LABELS).map(([value, label]) => ({ value, label }))]}
              />
              {templates.length > 0 ? (
                <SelectField
                  label="Canned reason"
                  name="templateId"
                  id="bulk-template"
                  defaultValue={form.value('templateId')}
                  hint="Used when the reason below is empty, with its days."
                  options={[{ value: '', label: 'None: I type the reason' }, ...templates.map((t) => ({ value: String(t.id), label: t.name }))]}
                />
              ) : null}
              <Field label="Days (for a silence or suspension)" name="days" id="bulk-days" type="number" min={1} max={365} defaultValue={form.value('days')} errors={form.errorsFor('days')} />
              <div className="field-wide">
                <Field as="textarea" label="Reason (shown to each member it affects)" name="reason" id="bulk-reason" rows={2} defaultValue={form.value('reason')} errors={form.errorsFor('reason')} />
              </div>
              <div>
                <button type="submit" name="intent" value="bulk">
                  Decide selected
                </button>
              </div>
            </fieldset>
          </>
        ) : null}
        <table className="data-table" ref={table}>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Select</span>
              </th>
              <th scope="col">Item</th>
              <th scope="col">Kind</th>
              <th scope="col">Reasons</th>
              <th scope="col">Score</th>
              <th scope="col">Age</th>
              <th scope="col">Claimed by</th>
              <th scope="col">Quick actions</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const canDecide = item.kind === 'report' && item.status === 'pending'
              const ref = `${item.id}:${item.version}`
              return (
                <tr key={item.id}>
                  <td>
                    {canDecide ? (
                      <input type="checkbox" name="items" value={ref} id={`select-${item.id}`} aria-label={`Select item #${item.id}`} defaultChecked={selectAll} />
                    ) : null}
                  </td>
                  <td data-label="Item">
                    <Link to={`/mod/queue/${item.id}`}>
                      #{item.id}{' '}
                      {item.kind === 'conflict'
                        ? `${item.openedByUsername} and ${item.targetUsername}`
                        : item.kind === 'appeal'
                          ? `${item.openedByUsername} appeals`
                          : item.targetKind === 'user'
                            ? `Profile of ${item.targetUsername}`
                            : `${item.targetKind === 'question' ? 'Question' : 'Answer'} by ${item.targetUsername}: ${item.title ?? ''}`}
                    </Link>
                    {item.resolution ? <span className="muted"> · {item.resolution}</span> : null}
                  </td>
                  <td data-label="Kind">{KIND_LABELS[item.kind]}</td>
                  <td data-label="Reasons">{item.reasons.join(', ') || '—'}</td>
                  <td data-label="Score">{item.kind === 'report' ? `${item.score} (${item.reportCount} ${item.reportCount === 1 ? 'report' : 'reports'})` : item.kind === 'queued-post' && item.score > 0 ? `spam ${item.score}` : '—'}</td>
                  <td data-label="Age">
                    <Age value={item.createdAt} now={now} />
                  </td>
                  <td data-label="Claimed by">{item.claimedByUsername ?? '—'}</td>
                  <td data-label="Quick actions">
                    {canDecide ? (
                      <span className="quick-actions">
                        {QUICK_ACTION_NAMES.map((quick) => (
                          <button key={quick} type="submit" name="quick" value={`${quick}:${ref}`} data-quick={quick} className="secondary button-small" aria-label={`${QUICK_ACTIONS[quick].label} on item #${item.id}`}>
                            {QUICK_ACTIONS[quick].label}
                          </button>
                        ))}
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </Form>
      <p className="pagination">
        {previousCursor ? <Link to={pageHref(query, 'before', previousCursor)}>Previous page</Link> : null}{' '}
        {nextCursor ? <Link to={pageHref(query, 'after', nextCursor)}>Next page</Link> : null}
      </p>
      <details>
        <summary>Keyboard shortcuts (with JavaScript)</summary>
        <dl>
          {SHORTCUTS.map(([key, what]) => (
            <div key={key}>
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  )
}

/** The filters stay in the address; the page is where the last (or first) item shown left off. */
function pageHref(filters: URLSearchParams, direction: 'after' | 'before', cursor: string) {
  const query = new URLSearchParams(filters)
  query.set(direction, cursor)
  return `?${query}`
}

export const meta: MetaFunction = () => [{ title: 'Moderation queue · Parley' }]
