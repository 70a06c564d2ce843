import { Link } from '@remix-run/react'
import { DELETED_MEMBER_NAME } from '~/accounts/rules'

/**
 * A member's name, linked to their profile. An anonymised account has no profile: its name is
 * plain text, so its old posts still say who wrote them without leading to a 404.
 */
export function UserLink({ username, plain = false }: { username: string; plain?: boolean }) {
  if (username === DELETED_MEMBER_NAME) return <span className="deleted-member">{DELETED_MEMBER_NAME}</span>
  const to = `/u/${encodeURIComponent(username)}`
  // `plain`: a plain anchor, for long lists whose container routes clicks (no path resolution per link).
  return plain ? <a href={to}>{username}</a> : <Link to={to}>{username}</Link>
}
