import { redirect, type AppLoadContext } from '@remix-run/node'
import { reactivateOnLogin } from '~/accounts/lifecycle.server'
import { endSession, startSessionFor } from '~/platform/auth/auth.server'

/**
 * What every way of logging in ends with (the form, and a password reset): a fresh session for
 * this browser in place of whatever it had, and the redirect to `to`. An inactive account
 * (deactivated, or its deletion pending) is active again, and the member is told so on the way.
 */
export async function logInAndRedirect({
  request,
  context,
  userId,
  inactive,
  to,
}: {
  request: Request
  context: Pick<AppLoadContext, 'clientIp' | 'session'>
  userId: number
  inactive?: boolean
  to: string
}) {
  if (context.session) await endSession(context.session.id)
  const { reactivated, deletionCancelled } = inactive ? await reactivateOnLogin({ userId }) : { reactivated: false, deletionCancelled: false }
  const headers = { 'Set-Cookie': await startSessionFor(request, context, userId) }
  if (reactivated) return redirect(`/settings/data?${new URLSearchParams({ welcome: deletionCancelled ? 'kept' : 'back', next: to })}`, { headers })
  return redirect(to, { headers })
}
