const labels = { moderator: 'Moderator', agent: 'Support agent', admin: 'Admin' } as const

/** Whether RoleBadge shows anything for this role (members have none). */
export const hasRoleBadge = (role: string) => role in labels

/** Staff are marked wherever they post, so readers know who speaks for the team. */
export function RoleBadge({ role }: { role: string }) {
  if (!hasRoleBadge(role)) return null
  return <span className={`badge badge-role badge-${role}`}>{labels[role as keyof typeof labels]}</span>
}
