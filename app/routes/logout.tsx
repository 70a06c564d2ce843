import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { endSession } from '~/platform/auth/auth.server'

// Logging out changes state, so only a POST does it; a GET (a link, a prefetch) just goes home.
export async function loader() {
  return redirect('/')
}

export async function action({ context }: ActionFunctionArgs) {
  if (!context.session) return redirect('/')
  return redirect('/', { headers: { 'Set-Cookie': await endSession(context.session.id) } })
}
