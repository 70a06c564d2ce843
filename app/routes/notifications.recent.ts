import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { listNotifications } from '~/notifications/inbox.server'
import { requireUser } from '~/platform/auth/auth.server'

/** The bell menu's list, fetched when the menu opens rather than with every page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const { notifications } = await listNotifications({ userId: user.id, role: user.role, limit: 8 })
  return json(
    { notifications: notifications.map(({ id, text, readAt, createdAt }) => ({ id, text, readAt, createdAt })) },
    { headers: { 'Cache-Control': 'private, no-store' } },
  )
}
