import { HtmlOnce, type HtmlOnce as HtmlOnceMap } from '~/platform/html-once'
import { can, canOnTarget } from '~/platform/auth/permissions'
import { formatAge } from '~/platform/dates'
import { AnswerMarks, PostByline, PostLinks, VoteControls, type PostKind, type VoteMode } from './thread-post-parts'
import { CachedElement, type Texts } from '~/platform/fragment-cache'
import { Age, DateTime, InZone, useTimeZone } from '~/ui/time'

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
  // Plain links: the thread page routes their clicks (~/ui/routed-links), and a cached post has no router.
  return (
    <p className="notice notice-moderation" role="status">
      This {kind} is hidden from other members: {hiddenReason}{' '}
      {editPath ? (
        <>
          You may <a href={editPath}>edit it once</a> to ask a moderator for another review, or appeal at <a href="/me/moderation">your moderation page</a>.
        </>
      ) : null}
    </p>
  )
}

/** A post's earlier versions, folded away under "Edited … ago" (`editedAge`, worked out by PostFrame). */
export function RevisionHistory({ revisions, editedAt, editedAge, htmlOnce }: { revisions: Revision[]; editedAt: string | null; editedAge: string | null; htmlOnce: HtmlOnceMap | undefined }) {
  if (!editedAt || revisions.length === 0) return null
  return (
    <details className="revisions">
      <summary>
        Edited <Age value={editedAt} text={editedAge ?? ''} /> · {revisions.length} earlier{' '}
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

/** What goes above a post's notice: an answer's hidden heading and marks, the question's lock and ticket notices. */
export type PostTop = {
  heading?: { id: string; text: string } | null
  marks?: { isOfficial: boolean; isAccepted: boolean; officialMarkedBy: string | null } | null
  lockedReason?: string | null
  ticketNumber?: number | null
}

/** What an answer offers beside Link and Share: accept and mark official, for who may. */
export type PostMarkControls = { answerId: number; isAccepted: boolean; isOfficial: boolean; mayAccept: boolean; mayMarkOfficial: boolean }

/**
 * Everything one post's HTML shows, as plain values worked out for this viewer: what the fragment
 * cache keys on, so two views that would show the same post share its HTML (decision 037).
 */
type PostCardProps = Required<PostTop> & {
  kind: PostKind
  postId: number
  zone: string
  notice: { hiddenReason: string | null; removedReason: string | null; editPath: string | null; awaitingApproval: boolean; isOwn: boolean }
  votes: { score: number; current: number | null; mode: VoteMode; loginHref: string }
  author: AuthoredPost
  createdAt: string
  createdAge: string
  revisions: Revision[]
  editedAt: string | null
  editedAge: string | null
  href: string
  markControls: PostMarkControls | null
  mayEdit: boolean
  mayReport: boolean
}

/** `texts`: the post's body and its earlier versions' bodies (HtmlOnce keys), apart from the cache key. */
function PostCard(p: PostCardProps & { texts: Texts }) {
  const { kind, postId } = p
  return (
    <InZone zone={p.zone}>
      {p.heading ? (
        <h3 id={p.heading.id} className="visually-hidden">
          {p.heading.text}
        </h3>
      ) : null}
      {p.marks ? <AnswerMarks {...p.marks} /> : null}
      {p.lockedReason ? (
        <p className="notice" role="status">
          This thread is locked by a moderator: {p.lockedReason}
        </p>
      ) : null}
      {p.ticketNumber ? (
        <p className="notice" role="status">
          Our support staff have taken this question to a private support ticket: <a href={`/tickets/${p.ticketNumber}`}>#{p.ticketNumber}</a>.
        </p>
      ) : null}
      <ModerationNotice kind={kind} {...p.notice} />
      <div className="thread-post-layout">
        <VoteControls kind={kind} postId={postId} {...p.votes} />
        <div className="answer-main">
          <PostByline post={p.author} verb={kind === 'answer' ? 'answered by' : 'asked by'} createdAt={p.createdAt} age={p.createdAge} />
          <HtmlOnce className="post-body" bodies={p.texts} htmlKey={kind === 'answer' ? `a${postId}` : 'q'} />
          <RevisionHistory revisions={p.revisions} editedAt={p.editedAt} editedAge={p.editedAge} htmlOnce={p.texts} />
          <div className="answer-actions thread-actions">
            <PostLinks href={p.href} />
            {p.markControls ? <AnswerMarkControls {...p.markControls} /> : null}
            {p.mayEdit ? (
              <a href={`/${kind}s/${postId}/edit`} className="thread-action">
                {`Edit ${kind}`}
              </a>
            ) : null}
            {p.mayReport ? (
              <a href={`/report?target=${kind}:${postId}`} className="report-link thread-action">
                {`Report ${kind}`}
              </a>
            ) : null}
          </div>
        </div>
      </div>
    </InZone>
  )
}

/** One button that sets or takes back a mark on an answer (accepted, official). */
function MarkButton({ answerId, intent, label }: { answerId: number; intent: string; label: string }) {
  return (
    <form method="post">
      <input type="hidden" name="answerId" value={answerId} />
      <button type="submit" name="intent" value={intent} className="secondary thread-mark-button">
        {label}
      </button>
    </form>
  )
}

/** Accept (the asker or staff) and mark official (agents and admins), each shown only to who may. */
function AnswerMarkControls({ answerId, isAccepted, isOfficial, mayAccept, mayMarkOfficial }: PostMarkControls) {
  return (
    <>
      {mayAccept ? <MarkButton answerId={answerId} intent={isAccepted ? 'unaccept' : 'accept'} label={isAccepted ? 'Remove acceptance' : 'Accept answer'} /> : null}
      {mayMarkOfficial ? <MarkButton answerId={answerId} intent={isOfficial ? 'unmark-official' : 'mark-official'} label={isOfficial ? 'Remove official mark' : 'Mark as official answer'} /> : null}
    </>
  )
}

/** The bodies a post shows (its own, its earlier versions'), out of the page's: part of its cache key. */
function bodiesOf(htmlOnce: HtmlOnceMap | undefined, bodyKey: string, revisions: Revision[]): HtmlOnceMap {
  const bodies: HtmlOnceMap = {}
  if (!htmlOnce) return bodies
  if (htmlOnce[bodyKey] !== undefined) bodies[bodyKey] = htmlOnce[bodyKey]
  for (const r of revisions) if (htmlOnce[`r${r.id}`] !== undefined) bodies[`r${r.id}`] = htmlOnce[`r${r.id}`]
  return bodies
}

/**
 * One post of the thread, question or answer, in one layout: the score column (fixed width), then
 * author, body, earlier versions, and the post's links and actions. `top` goes first (heading,
 * marks, notices), `markControls` after Link and Share (the answer's accept and official buttons).
 * What this viewer may do is worked out here; the markup is PostCard's, from the fragment cache on
 * the server (decision 037).
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
  markControls = null,
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
  top: PostTop
  markControls?: PostMarkControls | null
  id: string
  className: string
  'aria-label'?: string
  'aria-labelledby'?: string
}) {
  const zone = useTimeZone()
  const isOwn = user?.id === post.authorId
  const bodyKey = kind === 'answer' ? `a${post.id}` : 'q'
  // Every field always there, in one order, none spread in: one object shape, compared field by field.
  const props: PostCardProps = {
    heading: top.heading ?? null,
    marks: top.marks ?? null,
    lockedReason: top.lockedReason ?? null,
    ticketNumber: top.ticketNumber ?? null,
    kind,
    postId: post.id,
    zone,
    notice: {
      hiddenReason: post.hiddenAt ? post.hiddenReason : null,
      removedReason: post.removedAt ? post.removedReason : null,
      editPath: isOwn && !post.reviewEditUsed ? `/${kind}s/${post.id}/edit` : null,
      awaitingApproval: Boolean(post.queuedAt) && !post.removedAt,
      isOwn,
    },
    votes: { score: post.score, current: post.viewerVote, mode: !user ? 'log-in' : !isOwn && can(user, `vote:${kind}`) ? 'vote' : 'view', loginHref },
    author: { authorUsername: post.authorUsername, authorRole: post.authorRole, authorAvatarPath: post.authorAvatarPath, authorDisplayName: post.authorDisplayName, authorJoinedAt: post.authorJoinedAt },
    createdAt: post.createdAt,
    createdAge: formatAge(post.createdAt, now),
    revisions,
    editedAt: post.editedAt,
    editedAge: post.editedAt ? formatAge(post.editedAt, now) : null,
    href,
    markControls,
    mayEdit: canOnTarget(user, 'update:post', isOwn),
    mayReport: Boolean(user) && !isOwn,
  }
  const Element = kind === 'answer' ? 'article' : 'section'
  return <CachedElement as={Element} attributes={element} cacheKey={`${kind} ${post.id}`} component={PostCard} props={props} texts={bodiesOf(htmlOnce, bodyKey, revisions)} />
}
