import type { AppLoadContext } from '@remix-run/node'
import { requireUser, type AuthUser } from './auth.server'
import { can, type Permission } from './permissions'

export { can, type Permission }

/** The server's gate: throws a 403 response unless the signed-in user holds the permission. */
export function requireUserWithPermission(request: Request, context: AppLoadContext, permission: Permission): AuthUser {
  const user = requireUser(request, context)
  if (!can(user, permission)) throw forbidden()
  return user
}

export function forbidden(message = 'You do not have permission to do that.') {
  return new Response(JSON.stringify({ message }), { status: 403, headers: { 'Content-Type': 'application/json' } })
}
