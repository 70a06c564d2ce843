import type { UserRole } from '#db/enums'

/**
 * Permissions are `verb:entity:access`. `own` means the user owns the target (the caller passes
 * `isOwner`); `any` covers everyone's. The server checks these in every action; the UI uses the
 * same function only to decide which buttons to show.
 */
export type Permission =
  | 'create:question'
  | 'create:answer'
  | 'vote:answer'
  | 'vote:question'
  | 'update:post:own'
  | 'update:post:any'
  | 'accept:answer:own'
  | 'accept:answer:any'
  | 'mark-official:answer:any'
  | 'manage:user:any'
  | 'work:ticket:any'
  | 'read:sla-report:any'
  | 'manage:sla:any'
  | 'manage:rate-limits:any'
  /** The spam rules' weights and thresholds and the watched words (decision 031). */
  | 'manage:spam:any'
  | 'read:outbox:any'
  /** Support management: the last escalation step after tier 3. */
  | 'manage:escalation:any'
  | 'watch:unanswered:any'
  | 'create:report'
  | 'create:conflict'
  | 'moderate:content:any'
  | 'read:audit:any'
  /** Screened emails, domains and IP ranges, and the penalty templates (decision 032). */
  | 'manage:moderation-settings:any'

/** Also exactly what a suspension or ban takes away (CONTRIBUTING below). */
const member: Permission[] = ['create:question', 'create:answer', 'vote:answer', 'vote:question', 'update:post:own', 'accept:answer:own', 'create:report', 'create:conflict']
/** Moderators and admins work the moderation queue and read the audit log. */
const moderation: Permission[] = ['moderate:content:any', 'read:audit:any']
const staffAccept: Permission[] = ['accept:answer:any']
/** Support staff see every ticket, reply, write internal notes, change status, assign and escalate. */
const support: Permission[] = ['work:ticket:any', 'read:sla-report:any', 'watch:unanswered:any']

const rolePermissions: Record<UserRole, ReadonlySet<Permission>> = {
  member: new Set(member),
  moderator: new Set([...member, ...staffAccept, ...moderation, 'update:post:any']),
  agent: new Set([...member, ...staffAccept, ...support, 'mark-official:answer:any']),
  admin: new Set([
    ...member,
    ...staffAccept,
    ...support,
    ...moderation,
    'update:post:any',
    'mark-official:answer:any',
    'manage:user:any',
    'manage:sla:any',
    'manage:rate-limits:any',
    'manage:spam:any',
    'read:outbox:any',
    'manage:escalation:any',
    'manage:moderation-settings:any',
  ]),
}

/** Staff: every role but member. They are not blocked, and reach members whatever their privacy settings say. */
export const isStaffRole = (role: UserRole) => role !== 'member'

type PermissionHolder = { role: UserRole; suspendedUntil?: Date | string | null; bannedAt?: Date | string | null; silencedUntil?: Date | string | null } | null | undefined

/**
 * What a restricted member loses: everything that adds to the forum. A silenced member keeps
 * reading, their support tickets and the right to appeal; a suspended or banned one is also kept
 * out of every page but their own record (`lockedOutOf`, decision 032).
 */
const CONTRIBUTING: ReadonlySet<Permission> = new Set(member)

export type Restriction = { kind: 'banned' } | { kind: 'suspended'; until: Date } | { kind: 'silenced'; until: Date } | null

export function restrictionOf(user: PermissionHolder, now = new Date()): Restriction {
  if (!user) return null
  if (user.bannedAt) return { kind: 'banned' }
  if (user.suspendedUntil && new Date(user.suspendedUntil) > now) return { kind: 'suspended', until: new Date(user.suspendedUntil) }
  if (user.silencedUntil && new Date(user.silencedUntil) > now) return { kind: 'silenced', until: new Date(user.silencedUntil) }
  return null
}

/**
 * Where a suspended or banned member may still go: their moderation record (to read and appeal),
 * their settings (to export or delete their data), help, and logging out. Everything else sends
 * them to their record.
 */
const OPEN_WHILE_LOCKED_OUT = ['/me/moderation', '/logout', '/settings', '/help', '/theme', '/events', '/notifications']

export function lockedOutOf(user: PermissionHolder, path: string, now = new Date()): boolean {
  const restriction = restrictionOf(user, now)
  if (!restriction || restriction.kind === 'silenced') return false
  return !OPEN_WHILE_LOCKED_OUT.some((open) => path === open || path.startsWith(`${open}/`))
}

export function can(user: PermissionHolder, permission: Permission): boolean {
  if (!user || !rolePermissions[user.role].has(permission)) return false
  return !(CONTRIBUTING.has(permission) && restrictionOf(user))
}

/** `own`-or-`any` in one call: may this user do `verb:entity` to a target they may or may not own? */
export function canOnTarget(user: PermissionHolder, verbEntity: 'update:post' | 'accept:answer', isOwner: boolean) {
  return can(user, `${verbEntity}:any` as Permission) || (isOwner && can(user, `${verbEntity}:own` as Permission))
}

/** The roles that hold a permission, for checks that must run inside SQL (over many recipients at once). */
export function rolesWith(permission: Permission): UserRole[] {
  return (Object.keys(rolePermissions) as UserRole[]).filter((role) => rolePermissions[role].has(permission))
}
