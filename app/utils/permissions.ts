import type { UserRole } from '#db/schema/users'

/**
 * Permissions are `verb:entity:access`. `own` means the user owns the target (the caller passes
 * `isOwner`); `any` covers everyone's. The server checks these in every action; the UI uses the
 * same function only to decide which buttons to show.
 */
export type Permission =
  | 'create:question'
  | 'create:answer'
  | 'vote:answer'
  | 'update:post:own'
  | 'update:post:any'
  | 'accept:answer:own'
  | 'accept:answer:any'
  | 'mark-official:answer:any'
  | 'manage:user:any'

const member: Permission[] = ['create:question', 'create:answer', 'vote:answer', 'update:post:own', 'accept:answer:own']
const staffAccept: Permission[] = ['accept:answer:any']

const rolePermissions: Record<UserRole, ReadonlySet<Permission>> = {
  member: new Set(member),
  moderator: new Set([...member, ...staffAccept, 'update:post:any']),
  agent: new Set([...member, ...staffAccept, 'mark-official:answer:any']),
  admin: new Set([...member, ...staffAccept, 'update:post:any', 'mark-official:answer:any', 'manage:user:any']),
}

type PermissionHolder = { role: UserRole } | null | undefined

export function can(user: PermissionHolder, permission: Permission): boolean {
  return !!user && rolePermissions[user.role].has(permission)
}

/** `own`-or-`any` in one call: may this user do `verb:entity` to a target they may or may not own? */
export function canOnTarget(user: PermissionHolder, verbEntity: 'update:post' | 'accept:answer', isOwner: boolean) {
  return can(user, `${verbEntity}:any` as Permission) || (isOwner && can(user, `${verbEntity}:own` as Permission))
}
