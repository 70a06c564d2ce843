import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { can, canOnTarget } from '~/platform/auth/permissions'
import { formatAge, formatDateTime } from '~/platform/dates'
import { HtmlOnce, type HtmlOnce as HtmlOnceMap } from '~/platform/html-once'
import { StatusBadges, TagLinks } from './question-list'
import { QuestionLinks } from './search-results'
import { questionPath } from '~/platform/misc'
import { authorOf, ModerationNotice, RevisionHistory, type Revision, type ThreadQuestion, type ThreadViewer } from './thread-post'
import { PostByline, PostLinks, VoteControls } from './thread-post-parts'

// The thread page routes clicks on plain same-site links through Remix (~/ui/routed-links), so the
// links here are plain anchors: no <Link> path resolution per link on every view.

/** Title, state, category, asker and tags; `children` (the watch controls) go last. */
export function QuestionHeader({ question, now, children }: { question: ThreadQuestion; now: string; children?: ReactNode }) {
  return (
    <header>
      <h1 id="question-title">{question.title}</h1>
      <p className="meta">
        <StatusBadges accepted={question.acceptedAnswerId !== null} official={question.officialAnswerId !== null} />
        <a href={`/c/${question.categorySlug}`} className="category">
          {question.categoryName}
        </a>
        <span>
          asked <time dateTime={question.createdAt} title={formatDateTime(question.createdAt)}>{formatAge(question.createdAt, now)}</time>
        </span>
      </p>
      <TagLinks names={question.tagNames} plain />
      {children}
    </header>
  )
}

/**
 * The question as a post: its notices (moderation, lock, taken to a ticket), then votes beside
 * author, body, earlier versions and its links and actions (edit for the asker or staff, report for
 * anyone signed in but the asker).
 */
export function QuestionPost({
  question,
  revisions,
  now,
  ticketNumber,
  user,
  htmlOnce,
}: {
  question: ThreadQuestion
  revisions: Revision[]
  now: string
  ticketNumber: number | null
  user: ThreadViewer
  htmlOnce: HtmlOnceMap | undefined
}) {
  const isAsker = user?.id === question.authorId
  const path = questionPath(question)
  const voteMode = !user ? 'log-in' : !isAsker && can(user, 'vote:question') ? 'vote' : 'view'
  return (
    <section id="question" className="thread-post thread-question" aria-label="Question">
      <ModerationNotice kind="question" hiddenReason={question.hiddenAt ? question.hiddenReason : null} removedReason={question.removedAt ? question.removedReason : null} editPath={isAsker && !question.reviewEditUsed ? `/questions/${question.id}/edit` : null} />
      {question.lockedAt ? (
        <p className="notice" role="status">
          This thread is locked by a moderator: {question.lockedReason}
        </p>
      ) : null}
      {ticketNumber ? (
        <p className="notice" role="status">
          Our support staff have taken this question to a private support ticket: <Link to={`/tickets/${ticketNumber}`}>#{ticketNumber}</Link>.
        </p>
      ) : null}
      <div className="thread-post-layout">
        <VoteControls kind="question" postId={question.id} score={question.score} current={question.viewerVote} mode={voteMode} loginHref={`/login?redirectTo=${encodeURIComponent(path)}`} />
        <div className="answer-main">
          <PostByline author={authorOf(question)} verb="asked by" createdAt={question.createdAt} now={now} />
          <HtmlOnce className="post-body" bodies={htmlOnce} htmlKey="q" />
          <RevisionHistory revisions={revisions.filter((r) => r.postKind === 'question')} editedAt={question.editedAt} now={now} htmlOnce={htmlOnce} />
          <div className="answer-actions thread-actions">
            <PostLinks kind="question" href={path} />
            {canOnTarget(user, 'update:post', isAsker) ? (
              <a href={`/questions/${question.id}/edit`} className="thread-action">
                Edit question
              </a>
            ) : null}
            {user && !isAsker ? (
              <a href={`/report?target=question:${question.id}`} className="report-link thread-action">
                Report question
              </a>
            ) : null}
          </div>
        </div>
      </div>
    </section>
  )
}

export function RelatedQuestions({ related }: { related: Parameters<typeof QuestionLinks>[0]['hits'] }) {
  if (related.length === 0) return null
  return (
    <section aria-labelledby="related-heading" className="related">
      <h2 id="related-heading">Related questions</h2>
      <QuestionLinks hits={related} plain />
    </section>
  )
}
