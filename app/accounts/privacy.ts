import type { MessagePolicy, UserRole } from '#db/enums'
import { isStaffRole } from '~/platform/auth/permissions'

export const MESSAGE_POLICIES = [
  { value: 'everyone', label: 'Everyone' },
  { value: 'staff', label: 'Staff only' },
  { value: 'nobody', label: 'Nobody' },
] as const satisfies readonly { value: MessagePolicy; label: string }[]

/**
 * Whether a sender with this role may message the member, or notify them by @mentioning them.
 * "Nobody" means nobody, staff included: staff still reach a member through moderation notices
 * and support tickets, which this setting does not govern, so it would otherwise equal "Staff only".
 */
export function mayContact({ policy, senderRole }: { policy: MessagePolicy; senderRole: UserRole }): boolean {
  if (policy === 'everyone') return true
  if (policy === 'staff') return isStaffRole(senderRole)
  return false
}
