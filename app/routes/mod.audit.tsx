import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Field, SelectField } from '~/ui/field'
import { AUDIT_ACTIONS, auditFiltersFrom, listAuditLog } from '~/moderation/audit.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { idOrNull } from '~/platform/misc'
import { EmptyState } from '~/ui/empty-state'
import { DateTime } from '~/ui/time'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'read:audit:any')
  const p = new URL(request.url).searchParams
  const filters = auditFiltersFrom(p)
  const before = idOrNull(p.get('before'))
  return json({ ...(await listAuditLog({ filters, before })), filters, actions: AUDIT_ACTIONS })
}

export default function AuditLog() {
  const { entries, nextBefore, filters, actions } = useLoaderData<typeof loader>()
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][])
  return (
    <section>
      <div className="page-heading">
        <h1>Audit log</h1>
        <Link to="/mod/queue">Moderation queue</Link>
      </div>
      <p className="lede">Every moderation action, newest first. Entries are never changed or deleted; a reversal is an entry of its own.</p>
      <Form method="get" className="filters" aria-label="Filter the audit log">
        <Field label="Moderator" name="moderator" defaultValue={filters.moderator ?? ''} />
        <Field label="Member" name="member" defaultValue={filters.member ?? ''} />
        <SelectField label="Action" name="action" defaultValue={filters.action ?? ''} options={[{ value: '', label: 'Any action' }, ...actions.map((a) => ({ value: a, label: a }))]} />
        <button type="submit">Filter</button>
      </Form>
      {entries.length === 0 ? <EmptyState title="No entries match." /> : null}
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Moderator</th>
            <th scope="col">Action</th>
            <th scope="col">Member</th>
            <th scope="col">Target</th>
            <th scope="col">Reason</th>
            <th scope="col">Queue item</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td data-label="When"><DateTime value={e.createdAt} /></td>
              <td data-label="Moderator">{e.moderatorUsername ?? 'Parley'}</td>
              <td data-label="Action">
                {e.action}
                {e.durationDays ? ` (${e.durationDays} days)` : ''}
                {e.reversesActionId ? ` (reverses #${e.reversesActionId})` : ''}
              </td>
              <td data-label="Member">{e.memberUsername ?? '—'}</td>
              <td data-label="Target">
                {e.targetKind} #{e.targetId}
              </td>
              <td data-label="Reason">{e.reason}</td>
              <td data-label="Queue item">{e.reviewItemId ? <Link to={`/mod/queue/${e.reviewItemId}`}>#{e.reviewItemId}</Link> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextBefore ? (
        <p className="pagination">
          <Link to={`?${query.toString()}&before=${nextBefore}`}>Older entries</Link>
        </p>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Audit log · Parley' }]
