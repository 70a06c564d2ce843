import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { SelectField } from '~/ui/field'
import { listReviewQueue, queueFiltersFrom } from '~/moderation/queue.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { LiveQueueNotice } from '~/ui/live-queue-notice'
import { EmptyState } from '~/ui/empty-state'
import { Age } from '~/ui/time'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const moderator = requireUserWithPermission(request, context, 'moderate:content:any')
  const p = new URL(request.url).searchParams
  const filters = queueFiltersFrom(p)
  const queue = await listReviewQueue({ moderator, filters, after: p.get('after'), before: p.get('before') })
  return json({ ...queue, filters, now: new Date().toISOString() })
}

const KIND_LABELS = { report: 'Report', appeal: 'Appeal', conflict: 'Conflict', 'queued-post': 'Awaiting approval' } as const

export default function ModerationQueue() {
  const { items, nextCursor, previousCursor, filters, now } = useLoaderData<typeof loader>()
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][])
  return (
    <section>
      <div className="page-heading">
        <h1>Moderation queue</h1>
        <Link to="/mod/audit">Audit log</Link>
      </div>
      <LiveQueueNotice topic="queue:moderation" />
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
        <button type="submit">Filter</button>
      </Form>
      {items.length === 0 ? <EmptyState title="Nothing here. Well done." /> : null}
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Kind</th>
            <th scope="col">Reasons</th>
            <th scope="col">Score</th>
            <th scope="col">Age</th>
            <th scope="col">Claimed by</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td>
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
              <td>{KIND_LABELS[item.kind]}</td>
              <td>{item.reasons.join(', ') || '—'}</td>
              <td>{item.kind === 'report' ? `${item.score} (${item.reportCount} ${item.reportCount === 1 ? 'report' : 'reports'})` : item.kind === 'queued-post' && item.score > 0 ? `spam ${item.score}` : '—'}</td>
              <td>
                <Age value={item.createdAt} now={now} />
              </td>
              <td>{item.claimedByUsername ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="pagination">
        {previousCursor ? <Link to={pageHref(query, 'before', previousCursor)}>Previous page</Link> : null}{' '}
        {nextCursor ? <Link to={pageHref(query, 'after', nextCursor)}>Next page</Link> : null}
      </p>
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
