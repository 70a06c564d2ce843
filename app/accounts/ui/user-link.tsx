import { Link } from '@remix-run/react'
import { DELETED_MEMBER_NAME } from '~/accounts/rules'

/**
 * A member's name, linked to their profile. An anonymised account has no profile: its name is
 * plain text, so its old posts still say who wrote them without leading to a 404.
 */
export function UserLink({ username }: { username: string }) {
  if (username === DELETED_MEMBER_NAME) return <span className="deleted-member">{DELETED_MEMBER_NAME}</span>
  return <Link to={`/u/${encodeURIComponent(username)}`}>{username}</Link>
}
