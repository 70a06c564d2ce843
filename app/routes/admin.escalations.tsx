import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { DateTime } from '~/ui/time'
import { listManagementEscalations } from '~/tickets/queue.server'
import { PriorityBadge, StatusBadge, TicketLink } from '~/tickets/ui/badges'
import { DataTable } from '~/ui/data-table'

/** Support management's view: the tickets escalated past tier 3, "as a last resort". */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:escalation:any')
  return json({ tickets: await listManagementEscalations() })
}

export default function ManagementEscalations() {
  const { tickets } = useLoaderData<typeof loader>()
  return (
    <section>
      <h1>Escalated to support management</h1>
      <p className="lede">Tickets escalated past tier 3 and not yet closed, most recent first.</p>
      {tickets.length === 0 ? (
        <p className="empty">Nothing is escalated to management.</p>
      ) : (
        <DataTable
          rows={tickets}
          rowKey={(t) => t.number}
          columns={[
            { label: 'Ticket', rowHeader: true, cell: (t) => <TicketLink ticket={t} /> },
            { label: 'Status', cell: (t) => <StatusBadge status={t.status} /> },
            { label: 'Priority', cell: (t) => <PriorityBadge priority={t.priority} /> },
            { label: 'Requester', cell: (t) => t.requesterUsername ?? t.requesterEmail },
            { label: 'Assignee', cell: (t) => t.assigneeUsername ?? 'Unassigned' },
            { label: 'Escalated', cell: (t) => (t.escalatedAt ? <DateTime value={t.escalatedAt} /> : null) },
            { label: 'Reason', cell: (t) => t.reason },
          ]}
        />
      )}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Escalated to support management · Parley' }]
