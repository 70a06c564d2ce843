import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { openNotification } from '~/notifications/inbox.server'
import { requireUser } from '~/platform/auth/auth.server'
import { invariantResponse, requireId } from '~/platform/misc'
import { pathParams } from '~/platform/request-input.server'

/** Following a notification marks it read and goes where it points. Someone else's is a 404. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const opened = await openNotification({ userId: user.id, notificationId: requireId(pathParams(params).id) })
  invariantResponse(opened, 'There is no such notification.', { status: 404 })
  return redirect(opened.link)
}

/** "Mark as read" without leaving the list. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const opened = await openNotification({ userId: user.id, notificationId: requireId(pathParams(params).id) })
  invariantResponse(opened, 'There is no such notification.', { status: 404 })
  return redirect('/notifications')
}
