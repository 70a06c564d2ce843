import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { HtmlOnce, type HtmlOnce as HtmlOnceMap } from '~/platform/html-once'
import { can, canOnTarget } from '~/platform/auth/permissions'
import { PostByline, PostLinks, VoteControls, type PostKind } from './thread-post-parts'
import { Age, DateTime } from '~/ui/time'

/** The signed-in member as the thread page sees them: for showing and hiding controls only. */
export type ThreadViewer = (NonNullable<Parameters<typeof can>[0]> & { id: number }) | null

/** What a post carries for its moderation notice. */
type ModeratedPost = {
  authorId: number
  hiddenAt: string | null
  hiddenReason: string | null
  removedAt: string | null
  removedReason: string | null
  reviewEditUsed: boolean
  queuedAt: string | null
}

/** What a post carries about its author, for the byline, avatar and user card. */
export type AuthoredPost = {
  authorUsername: string
  authorRole: string
  authorAvatarPath: string | null
  authorDisplayName: string | null
  authorJoinedAt: string
}

export type ThreadQuestion = ModeratedPost & AuthoredPost & {
  id: number
  title: string
  score: number
  viewerVote: number | null
  categorySlug: string
  categoryName: string
  acceptedAnswerId: number | null
  officialAnswerId: number | null
  officialMarkedBy: string | null
  createdAt: string
  editedAt: string | null
  tagNames: string[]
  lockedAt: string | null
  lockedReason: string | null
}

/** Bodies (question `q`, answers `a<id>`, revisions `r<id>`) travel apart, in `htmlOnce`. */
export type ThreadAnswer = ModeratedPost & AuthoredPost & {
  id: number
  score: number
  createdAt: string
  editedAt: string | null
  viewerVote: number | null
}

/** One page of a thread as the page's loader gives it (also what "Load more answers" fetches). */
export type ThreadPage = {
  question: ThreadQuestion
  answers: ThreadAnswer[]
  revisions: Revision[]
  now: string
  page: number
  pageCount: number
  answerTotal: number
  htmlOnce?: HtmlOnceMap
}

export type Revision = {
  id: number
  postKind: string
  postId: number
  title: string | null
  editorUsername: string
  createdAt: string
}

/** What the author (hidden) or a moderator (hidden or removed) sees in place of the public view. */
export function ModerationNotice({
  kind,
  hiddenReason,
  removedReason,
  editPath,
  awaitingApproval = false,
  isOwn = false,
}: {
  kind: 'question' | 'answer'
  hiddenReason: string | null
  removedReason: string | null
  editPath: string | null
  awaitingApproval?: boolean
  isOwn?: boolean
}) {
  if (awaitingApproval)
    return (
      <p className="notice notice-moderation" role="status">
        <strong>Awaiting approval.</strong>{' '}
        {isOwn
          ? `Only you and the moderators can see this ${kind} until a moderator approves it; nobody has been notified yet.`
          : `This ${kind} waits in the moderation queue; only its author and moderators can see it.`}
      </p>
    )
  if (removedReason)
    return (
      <p className="notice notice-moderation" role="status">
        This {kind} was removed by a moderator: {removedReason}
      </p>
    )
  if (!hiddenReason) return null
  return (
    <p className="notice notice-moderation" role="status">
      This {kind} is hidden from other members: {hiddenReason}{' '}
      {editPath ? (
        <>
          You may <Link to={editPath}>edit it once</Link> to ask a moderator for another review, or appeal at <Link to="/me/moderation">your moderation page</Link>.
        </>
      ) : null}
    </p>
  )
}

/** A post's earlier versions, folded away under "Edited … ago". */
export function RevisionHistory({ revisions, editedAt, now, htmlOnce }: { revisions: Revision[]; editedAt: string | null; now: string; htmlOnce: HtmlOnceMap | undefined }) {
  if (!editedAt || revisions.length === 0) return null
  return (
    <details className="revisions">
      <summary>
        Edited <Age value={editedAt} now={now} /> · {revisions.length} earlier{' '}
        {revisions.length === 1 ? 'version' : 'versions'}
      </summary>
      <ol>
        {revisions.map((r) => (
          <li key={r.id}>
            <p className="meta">
              Version replaced <DateTime value={r.createdAt} /> by {r.editorUsername}
            </p>
            {r.title ? <p className="revision-title">{r.title}</p> : null}
            <HtmlOnce className="post-body" bodies={htmlOnce} htmlKey={`r${r.id}`} />
          </li>
        ))}
      </ol>
    </details>
  )
}

/**
 * One post of the thread, question or answer, in one layout: the score column (fixed width), then
 * author, body, earlier versions, and the post's links and actions. `top` goes first (heading,
 * notices, marks), `actions` after Link and Share (the answer's accept and official buttons).
 */
export function PostFrame({
  kind,
  post,
  user,
  now,
  htmlOnce,
  revisions,
  href,
  loginHref,
  top,
  actions,
  ...element
}: {
  kind: PostKind
  post: (ThreadQuestion | ThreadAnswer) & { score: number; viewerVote: number | null }
  user: ThreadViewer
  now: string
  htmlOnce: HtmlOnceMap | undefined
  revisions: Revision[]
  href: string
  loginHref: string
  top?: ReactNode
  actions?: ReactNode
  id: string
  className: string
  'aria-label'?: string
  'aria-labelledby'?: string
}) {
  const isOwn = user?.id === post.authorId
  const Element = kind === 'answer' ? 'article' : 'section'
  return (
    <Element {...element}>
      {top}
      <ModerationNotice
        kind={kind}
        hiddenReason={post.hiddenAt ? post.hiddenReason : null}
        removedReason={post.removedAt ? post.removedReason : null}
        editPath={isOwn && !post.reviewEditUsed ? `/${kind}s/${post.id}/edit` : null}
        awaitingApproval={Boolean(post.queuedAt) && !post.removedAt}
        isOwn={isOwn}
      />
      <div className="thread-post-layout">
        <VoteControls kind={kind} postId={post.id} score={post.score} current={post.viewerVote} mode={!user ? 'log-in' : !isOwn && can(user, `vote:${kind}`) ? 'vote' : 'view'} loginHref={loginHref} />
        <div className="answer-main">
          <PostByline post={post} verb={kind === 'answer' ? 'answered by' : 'asked by'} createdAt={post.createdAt} now={now} />
          <HtmlOnce className="post-body" bodies={htmlOnce} htmlKey={kind === 'answer' ? `a${post.id}` : 'q'} />
          <RevisionHistory revisions={revisions} editedAt={post.editedAt} now={now} htmlOnce={htmlOnce} />
          <div className="answer-actions thread-actions">
            <PostLinks href={href} />
            {actions}
            {canOnTarget(user, 'update:post', isOwn) ? (
              <a href={`/${kind}s/${post.id}/edit`} className="thread-action">
                {`Edit ${kind}`}
              </a>
            ) : null}
            {user && !isOwn ? (
              <a href={`/report?target=${kind}:${post.id}`} className="report-link thread-action">
                {`Report ${kind}`}
              </a>
            ) : null}
          </div>
        </div>
      </div>
    </Element>
  )
}
