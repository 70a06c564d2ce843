import { Link } from '@remix-run/react'
import { HtmlOnce, type HtmlOnce as HtmlOnceMap } from '~/platform/html-once'
import type { can } from '~/platform/auth/permissions'
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
}

export type ThreadQuestion = ModeratedPost & {
  id: number
  title: string
  authorUsername: string
  authorRole: string
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
export type ThreadAnswer = ModeratedPost & {
  id: number
  authorUsername: string
  authorRole: string
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
export function ModerationNotice({ kind, hiddenReason, removedReason, editPath }: { kind: 'question' | 'answer'; hiddenReason: string | null; removedReason: string | null; editPath: string | null }) {
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
