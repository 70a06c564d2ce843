import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { NOTIFICATION_KINDS } from '~/notifications/kinds'
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
  return (
    <section>
      <h1>Notifications</h1>
      <p>
        <Link to="/settings/notifications">Choose what we mail you</Link>
      </p>
      {anyUnread ? (
        <Form method="post">
          <input type="hidden" name="intent" value="mark-all-read" />
          <button type="submit">Mark all as read</button>
        </Form>
      ) : null}
      {notifications.length === 0 ? (
        <p>Nothing yet. You will hear here when someone answers your questions, mentions you, or updates your requests.</p>
      ) : (
        <ul className="notification-list">
          {notifications.map((n) => (
            <li key={n.id} className={n.readAt ? 'notification read' : 'notification unread'}>
              {/* Opening it marks it read, then leads to what it is about. */}
              <Link to={`/notifications/${n.id}`}>{n.text}</Link>
              <span className="muted">
                {' '}
                · {kindLabel(n.kind)} · <DateTime value={n.createdAt} />
                {n.readAt ? null : <strong className="badge"> new</strong>}
              </span>
              {n.readAt ? null : (
                <Form method="post" action={`/notifications/${n.id}`} className="inline-form">
                  <button type="submit" className="link-button">
                    Mark as read
                  </button>
                </Form>
              )}
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
