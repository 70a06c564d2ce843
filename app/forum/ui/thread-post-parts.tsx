import type { MouseEvent } from 'react'
import { Avatar } from '~/accounts/ui/avatar'
import { hasRoleBadge, RoleBadge } from '~/accounts/ui/role-badge'
import { DELETED_MEMBER_NAME } from '~/accounts/rules'
import { Age } from '~/ui/time'

// The pieces every post of a thread shows (votes, author, links). Icons are empty spans that
// thread.css draws (`.thread-icon-*`): no path data in every post's HTML or in the page's
// JavaScript, nothing for screen readers; the control around one carries the name. When
// app/ui/icons.tsx lands they can become <Icon />. A page has up to 21 posts, so they are plain elements with no per-post path resolution or date library work; clicks and
// submits are routed once by the page (~/ui/routed-links).

export type PostKind = 'question' | 'answer'

/** Who may do what with a post's votes: vote, only look (own post, restricted), or log in first. */
export type VoteMode = 'vote' | 'view' | 'log-in'

const VoteButton = ({ kind, direction, current }: { kind: PostKind; direction: 1 | -1; current: number | null }) => (
  // Pressing the current vote again takes it back.
  <button type="submit" name="value" value={current === direction ? 'clear' : direction === 1 ? 'up' : 'down'} aria-pressed={current === direction} className="thread-vote" aria-label={`${direction === 1 ? 'Upvote' : 'Downvote'} this ${kind}`}>
    <span className={direction === 1 ? 'thread-icon thread-icon-up' : 'thread-icon thread-icon-down'} />
  </button>
)

/**
 * The score column: up, score, down for who may vote (one form, the pressed button gives the
 * value); the score alone otherwise, with "Log in to vote" for visitors. Fixed width (thread.css),
 * so posts line up whatever their scores.
 */
export function VoteControls({ kind, postId, score, current, mode, loginHref }: { kind: PostKind; postId: number; score: number; current: number | null; mode: VoteMode; loginHref: string }) {
  const scoreLabel = (
    <span className="thread-score" aria-label={`Score ${score}`}>
      {score}
    </span>
  )
  if (mode !== 'vote')
    return (
      <div className="thread-votes">
        {scoreLabel}
        {mode === 'log-in' ? (
          <a href={loginHref} className="thread-login-to-vote">
            Log in to vote
          </a>
        ) : null}
      </div>
    )
  return (
    <form method="post" data-keep-scroll="" className="thread-votes">
      <input type="hidden" name="intent" value={kind === 'answer' ? 'vote' : 'vote-question'} />
      {kind === 'answer' ? <input type="hidden" name="answerId" value={postId} /> : null}
      <VoteButton kind={kind} direction={1} current={current} />
      {scoreLabel}
      <VoteButton kind={kind} direction={-1} current={current} />
    </form>
  )
}

/** A post's author columns, as the thread's queries give them. */
type PostAuthor = { authorUsername: string; authorDisplayName: string | null; authorRole: string; authorAvatarPath: string | null; authorJoinedAt: string }

/**
 * Avatar, name, role and age of a post, and a card about the author (display name, the year they
 * joined, profile link) that CSS shows while the name is hovered or focused (no JavaScript): everything in
 * it came with the post's own row. Kept small: it is repeated in every post's HTML.
 */
export function PostByline({ post, verb, createdAt, age }: { post: PostAuthor; verb: string; createdAt: string; age: string }) {
  const { authorUsername: username, authorDisplayName: displayName, authorRole: role, authorAvatarPath: avatarPath, authorJoinedAt: joinedAt } = post
  const deleted = username === DELETED_MEMBER_NAME
  const profile = `/u/${encodeURIComponent(username)}`
  return (
    <div className="thread-byline">
      <Avatar username={username} avatarPath={avatarPath} size={32} />
      <span className="thread-byline-text">
        {`${verb} `}
        {deleted ? (
          <span className="deleted-member">{DELETED_MEMBER_NAME}</span>
        ) : (
          <span className="thread-author">
            <a href={profile} className="thread-author-name">
              {username}
            </a>
            <span className="thread-usercard" role="group" aria-label={`About ${username}`}>
              <strong>{displayName || username}</strong>
              {` Member since ${joinedAt.slice(0, 4)} `}
              <a href={profile}>View profile</a>
            </span>
          </span>
        )}
        {/* One text node where there is no badge: every answer's byline is rendered on every view. */}
        {hasRoleBadge(role) ? (
          <>
            {' '}
            <RoleBadge role={role} />{' '}
          </>
        ) : (
          ' '
        )}
        <Age value={createdAt} text={age} />
      </span>
    </div>
  )
}

const STATUS_ID = 'thread-link-status'

/**
 * With JavaScript, "Share" copies the post's address instead of following it, and says so in the
 * page's status region; without JavaScript, or when copying fails, it is a link to the address.
 */
function copyLink(event: MouseEvent<HTMLAnchorElement>) {
  const href = event.currentTarget.href
  if (!navigator.clipboard) return
  event.preventDefault()
  navigator.clipboard.writeText(href).then(
    () => {
      const status = document.getElementById(STATUS_ID)!
      status.textContent = 'Link copied'
      setTimeout(() => (status.textContent = ''), 4000)
    },
    () => location.assign(href),
  )
}

/** A post's own address ("Link") and "Share"; the post around them (an article or region) names which. */
export function PostLinks({ href }: { href: string }) {
  return (
    <>
      <a href={href} className="thread-action">
        Link
      </a>
      <a href={href} className="thread-action" onClick={copyLink}>
        Share
      </a>
    </>
  )
}

/**
 * Where "Link copied" is said: one status region per page, written by copyLink (React renders it
 * empty and never again, so the text set there stays until cleared).
 */
export const LinkCopiedStatus = () => <p id={STATUS_ID} role="status" className="thread-toast" />

/** The mark on an official or accepted answer: an icon and words (and, by CSS, the post's border). */
export const AnswerMarks = ({ isOfficial, isAccepted, officialMarkedBy }: { isOfficial: boolean; isAccepted: boolean; officialMarkedBy: string | null }) => (
  <>
    {isOfficial ? (
      <p className="thread-mark thread-mark-official">
        <span className="thread-icon thread-icon-official" />
        Official answer · marked by {officialMarkedBy}
      </p>
    ) : null}
    {isAccepted ? (
      <p className="thread-mark thread-mark-accepted">
        <span className="thread-icon thread-icon-check" />
        Accepted answer
      </p>
    ) : null}
  </>
)
