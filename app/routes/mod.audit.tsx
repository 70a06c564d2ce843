import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Field, SelectField } from '~/ui/field'
import { AUDIT_ACTIONS, auditFiltersFrom, listAuditLog } from '~/moderation/audit.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { idOrNull } from '~/platform/misc'
import { EmptyState } from '~/ui/empty-state'
import { DateTime } from '~/ui/time'
import { DataTable } from '~/ui/data-table'

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
      <DataTable
        rows={entries}
        rowKey={(e) => e.id}
        columns={[
          { label: 'When', cell: (e) => <DateTime value={e.createdAt} /> },
          { label: 'Moderator', cell: (e) => e.moderatorUsername ?? 'Parley' },
          {
            label: 'Action',
            cell: (e) => (
              <>
                {e.action}
                {e.durationDays ? ` (${e.durationDays} days)` : ''}
                {e.reversesActionId ? ` (reverses #${e.reversesActionId})` : ''}
              </>
            ),
          },
          { label: 'Member', cell: (e) => e.memberUsername ?? '—' },
          {
            label: 'Target',
            cell: (e) => (
              <>
                {e.targetKind} #{e.targetId}
              </>
            ),
          },
          { label: 'Reason', cell: (e) => e.reason },
          { label: 'Queue item', cell: (e) => (e.reviewItemId ? <Link to={`/mod/queue/${e.reviewItemId}`}>#{e.reviewItemId}</Link> : '—') },
        ]}
      />
      {nextBefore ? (
        <p className="pagination">
          <Link to={`?${query.toString()}&before=${nextBefore}`}>Older entries</Link>
        </p>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Audit log · Parley' }]
