import { useEffect, useState, type MouseEvent } from 'react'
import { Avatar } from '~/accounts/ui/avatar'
import { RoleBadge } from '~/accounts/ui/role-badge'
import { DELETED_MEMBER_NAME } from '~/accounts/rules'
import { formatAge, formatDateTime } from '~/platform/dates'
import { ThreadIcon } from './thread-icons'

// The pieces every post of a thread shows (votes, author, links). A page has up to 21 posts, so
// they are plain elements with no per-post path resolution or date library work; clicks and
// submits are routed once by the page (~/ui/routed-links).

export type PostKind = 'question' | 'answer'

/** Who may do what with a post's votes: vote, only look (own post, restricted), or log in first. */
export type VoteMode = 'vote' | 'view' | 'log-in'

function VoteButton({ kind, postId, direction, current }: { kind: PostKind; postId: number; direction: 1 | -1; current: number | null }) {
  const pressed = current === direction
  return (
    <form method="post" data-keep-scroll="">
      {kind === 'answer' ? <input type="hidden" name="answerId" value={postId} /> : null}
      {/* Pressing the current vote again takes it back. */}
      <input type="hidden" name="value" value={pressed ? 'clear' : direction === 1 ? 'up' : 'down'} />
      <button type="submit" name="intent" value={kind === 'answer' ? 'vote' : 'vote-question'} aria-pressed={pressed} className="thread-vote">
        <ThreadIcon name={direction === 1 ? 'up' : 'down'} />
        <span className="visually-hidden">{`${direction === 1 ? 'Upvote' : 'Downvote'} this ${kind}`}</span>
      </button>
    </form>
  )
}

/**
 * The score column: up, score, down for who may vote; the score alone otherwise, with "Log in to
 * vote" for visitors. Fixed width, so posts line up whatever their scores.
 */
export function VoteControls({ kind, postId, score, current, mode, loginHref }: { kind: PostKind; postId: number; score: number; current: number | null; mode: VoteMode; loginHref: string }) {
  return (
    <div className="thread-votes">
      {mode === 'vote' ? <VoteButton kind={kind} postId={postId} direction={1} current={current} /> : null}
      <span className="thread-score" aria-label={`Score ${score}`}>
        {score}
      </span>
      {mode === 'vote' ? <VoteButton kind={kind} postId={postId} direction={-1} current={current} /> : null}
      {mode === 'log-in' ? (
        <a href={loginHref} className="thread-login-to-vote">
          Log in to vote
        </a>
      ) : null}
    </div>
  )
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
/** "Mar 2024" from an ISO timestamp, without a date library (UTC, as every date on the page). */
const monthOf = (iso: string) => `${MONTHS[Number(iso.slice(5, 7)) - 1] ?? ''} ${iso.slice(0, 4)}`

export type PostAuthor = { username: string; displayName: string | null; role: string; avatarPath: string | null; joinedAt: string }

/**
 * Avatar, name, role and age of a post, and a card about the author that CSS shows while the name
 * is hovered or focused (no JavaScript): everything in it came with the post's own row.
 */
export function PostByline({ author, verb, createdAt, now }: { author: PostAuthor; verb: string; createdAt: string; now: string }) {
  const deleted = author.username === DELETED_MEMBER_NAME
  const profile = `/u/${encodeURIComponent(author.username)}`
  return (
    <div className="thread-byline">
      <Avatar username={author.username} displayName={author.displayName} avatarPath={author.avatarPath} size={32} />
      <span className="thread-byline-text">
        {`${verb} `}
        {deleted ? (
          <span className="deleted-member">{DELETED_MEMBER_NAME}</span>
        ) : (
          <span className="thread-author">
            <a href={profile} className="thread-author-name">
              {author.username}
            </a>
            <span className="thread-usercard" role="group" aria-label={`About ${author.username}`}>
              <Avatar username={author.username} displayName={author.displayName} avatarPath={author.avatarPath} size={48} />
              <span className="thread-usercard-text">
                <strong>{author.displayName || author.username}</strong>
                {author.displayName ? <span className="muted">@{author.username}</span> : null}
                <RoleBadge role={author.role} />
                <span className="muted">Joined {monthOf(author.joinedAt)}</span>
                <a href={profile}>View profile</a>
              </span>
            </span>
          </span>
        )}{' '}
        <RoleBadge role={author.role} />{' '}
        <time dateTime={createdAt} title={formatDateTime(createdAt)}>
          {formatAge(createdAt, now)}
        </time>
      </span>
    </div>
  )
}

const LINK_COPIED = 'thread:link-copied'

/** With JavaScript, "Share" copies the post's address instead of following it; without, it is a link. */
function copyLink(event: MouseEvent<HTMLAnchorElement>) {
  const href = event.currentTarget.getAttribute('href')
  if (!href || !navigator.clipboard || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
  event.preventDefault()
  navigator.clipboard.writeText(new URL(href, window.location.href).href).then(
    () => window.dispatchEvent(new CustomEvent(LINK_COPIED, { detail: 'Link copied' })),
    () => window.dispatchEvent(new CustomEvent(LINK_COPIED, { detail: 'Could not copy: the link is in the address bar after you open it.' })),
  )
}

/** A post's own address ("Link") and "Share". */
export function PostLinks({ kind, href }: { kind: PostKind; href: string }) {
  return (
    <>
      <a href={href} className="thread-action" aria-label={`Link to this ${kind}`}>
        <ThreadIcon name="link" /> Link
      </a>
      <a href={href} className="thread-action" onClick={copyLink} aria-label={`Share this ${kind}`}>
        <ThreadIcon name="share" /> Share
      </a>
    </>
  )
}

/** "Link copied", said once per copy (a status region), then gone. */
export function LinkCopiedStatus() {
  const [message, setMessage] = useState<string | null>(null)
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const show = (event: Event) => {
      setMessage((event as CustomEvent<string>).detail)
      clearTimeout(timer)
      timer = setTimeout(() => setMessage(null), 4000)
    }
    window.addEventListener(LINK_COPIED, show)
    return () => {
      window.removeEventListener(LINK_COPIED, show)
      clearTimeout(timer)
    }
  }, [])
  return (
    <p role="status" className="thread-toast" data-shown={message ? '' : undefined}>
      {message}
    </p>
  )
}

/** The mark on an official or accepted answer: an icon, words, and (by CSS) the post's border. */
export function AnswerMarks({ isOfficial, isAccepted, officialMarkedBy }: { isOfficial: boolean; isAccepted: boolean; officialMarkedBy: string | null }) {
  if (!isOfficial && !isAccepted) return null
  return (
    <div className="thread-marks">
      {isOfficial ? (
        <p className="thread-mark thread-mark-official">
          <ThreadIcon name="shield" /> <span>Official answer · marked by {officialMarkedBy}</span>
        </p>
      ) : null}
      {isAccepted ? (
        <p className="thread-mark thread-mark-accepted">
          <ThreadIcon name="check" /> <span>Accepted answer</span>
        </p>
      ) : null}
    </div>
  )
}
