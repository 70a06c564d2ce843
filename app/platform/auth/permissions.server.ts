import { json, type AppLoadContext } from '@remix-run/node'
import { requireUser, type AuthUser } from './auth.server'
import { formatDateTime } from '~/platform/dates'
import { can, restrictionOf, type Permission } from './permissions'

export { can, type Permission }

/** The server's gate: throws a 403 response unless the signed-in user holds the permission. */
export function requireUserWithPermission(request: Request, context: AppLoadContext, permission: Permission): AuthUser {
  return requirePermission(requireUser(request, context), permission)
}

/** The same gate for a user already signed in (a domain that was handed the user, not the request). */
export function requirePermission(user: AuthUser, permission: Permission): AuthUser {
  if (!can(user, permission)) {
    const restriction = restrictionOf(user)
    if (restriction) throw forbidden(restrictionMessage(restriction))
    throw forbidden()
  }
  return user
}

export function restrictionMessage(restriction: NonNullable<ReturnType<typeof restrictionOf>>) {
  if (restriction.kind === 'silenced')
    return `Your account is silenced until ${formatDateTime(restriction.until)}: you can read, use your support tickets and appeal at /me/moderation, but not post, answer, vote or report.`
  const state = restriction.kind === 'banned' ? 'Your account is banned' : `Your account is suspended until ${formatDateTime(restriction.until)}`
  return `${state}: you can read your moderation record and appeal at /me/moderation, and export or delete your data from your settings, but not use the rest of the site.`
}

/** What a page shows a suspended or banned member in place of a form they may not send; null for anyone else. */
export function restrictionNotice(user: AuthUser | null) {
  const restriction = restrictionOf(user)
  return restriction ? restrictionMessage(restriction) : null
}

/**
 * A form refused because its sender is suspended or banned (say, since the page was opened): a 403
 * with the reason above the form and everything typed still in it, so a long answer is not lost.
 * Passwords are never sent back.
 */
export function restrictedForm<Extra extends Record<string, unknown> = Record<never, never>>(
  formData: FormData,
  restriction: NonNullable<ReturnType<typeof restrictionOf>>,
  extra?: Extra,
) {
  const initialValue = Object.fromEntries([...formData].filter(([name, value]) => typeof value === 'string' && !/password/i.test(name))) as Record<string, string>
  return json({ result: { initialValue, error: { '': [restrictionMessage(restriction)] } }, ...(extra as Extra) }, { status: 403 })
}

/**
 * The 403 for an `own`-or-`any` refusal. When owning the target would have been enough, the owner
 * was refused only for being suspended or banned, and is told so instead of "only the author".
 */
export function forbiddenOnTarget(user: AuthUser, isOwner: boolean, message: string) {
  const restriction = isOwner ? restrictionOf(user) : null
  return forbidden(restriction ? restrictionMessage(restriction) : message)
}

export function forbidden(message = 'You do not have permission to do that.') {
  return new Response(JSON.stringify({ message }), { status: 403, headers: { 'Content-Type': 'application/json' } })
}
