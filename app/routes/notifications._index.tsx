import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { groupByThread } from '~/notifications/grouping'
import { NOTIFICATION_KINDS } from '~/notifications/kinds'
import { EmptyState } from '~/ui/empty-state'
import { listNotifications, markAllNotificationsRead } from '~/notifications/inbox.server'
import { requireUser } from '~/platform/auth/auth.server'
import { idOrNull, invariantResponse } from '~/platform/misc'
import { readFields } from '~/platform/request-input.server'
import { DateTime } from '~/ui/time'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const before = idOrNull(new URL(request.url).searchParams.get('before'))
  const page = await listNotifications({ userId: user.id, role: user.role, before })
  // The bell counts unread notifications on later pages and on targets hidden since, too: the
  // button must be there whenever the bell shows a number, or the count could never be cleared.
  return json({ ...page, anyUnread: user.unreadNotificationCount > 0 })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const formData = await readFields(request)
  invariantResponse(formData.get('intent') === 'mark-all-read', 'Unknown action.', { status: 400 })
  await markAllNotificationsRead({ userId: user.id })
  return redirect('/notifications')
}

const kindLabel = (kind: string) => NOTIFICATION_KINDS.find((k) => k.kind === kind)?.label ?? kind

export default function Notifications() {
  const { notifications, nextBefore, anyUnread } = useLoaderData<typeof loader>()
  const groups = groupByThread(notifications)
  return (
    <section>
      <div className="page-heading">
        <h1>Notifications</h1>
        <Link to="/settings/notifications">Choose what we mail you</Link>
      </div>
      {anyUnread ? (
        <Form method="post" className="notification-actions">
          <input type="hidden" name="intent" value="mark-all-read" />
          <button type="submit" className="button-secondary">
            Mark all as read
          </button>
        </Form>
      ) : null}
      {groups.length === 0 ? (
        <EmptyState title="Nothing yet." icon="bell">
          <p>You will hear here when someone answers your questions, mentions you, or updates your requests.</p>
        </EmptyState>
      ) : (
        <ul className="notification-groups">
          {groups.map((group) => (
            <li key={group.key} className="notification-group">
              {group.title ? (
                <h2>
                  <Link to={group.href!}>{group.title}</Link>
                </h2>
              ) : null}
              <ul className="notification-list">
                {group.notifications.map((n) => (
                  <li key={n.id} className={n.readAt ? 'notification read' : 'notification unread'}>
                    <span className="notification-text">
                      {/* Opening it marks it read, then leads to what it is about. */}
                      <Link to={`/notifications/${n.id}`}>{n.text}</Link>
                    </span>
                    <span className="notification-meta">
                      <span>{kindLabel(n.kind)}</span>
                      <DateTime value={n.createdAt} />
                      {n.readAt ? null : <strong className="badge badge-new">New</strong>}
                      {n.readAt ? null : (
                        <Form method="post" action={`/notifications/${n.id}`} className="inline-form">
                          <button type="submit" className="button-quiet button-small">
                            Mark as read
                          </button>
                        </Form>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {nextBefore ? (
        <nav aria-label="Pagination" className="pagination">
          <Link to={`?before=${nextBefore}`}>Older notifications</Link>
        </nav>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Notifications · Parley' }]
