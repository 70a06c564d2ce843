import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { DateTime } from '~/ui/time'
import { listManagementEscalations } from '~/tickets/queue.server'
import { PriorityBadge, StatusBadge } from '~/tickets/ui/badges'

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
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Requester</th>
              <th scope="col">Assignee</th>
              <th scope="col">Escalated</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((t) => (
              <tr key={t.number}>
                <th scope="row">
                  <Link to={`/tickets/${t.number}`}>
                    #{t.number} {t.subject}
                  </Link>
                </th>
                <td>
                  <StatusBadge status={t.status} />
                </td>
                <td>
                  <PriorityBadge priority={t.priority} />
                </td>
                <td>{t.requesterUsername ?? t.requesterEmail}</td>
                <td>{t.assigneeUsername ?? 'Unassigned'}</td>
                <td>{t.escalatedAt ? <DateTime value={t.escalatedAt} /> : null}</td>
                <td>{t.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Escalated to support management · Parley' }]
