import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { RoleBadge } from '~/accounts/ui/role-badge'
import { UserLink } from '~/accounts/ui/user-link'
import { canOnTarget } from '~/platform/auth/permissions'
import { HtmlOnce, type HtmlOnce as HtmlOnceMap } from '~/platform/html-once'
import { StatusBadges, TagLinks } from './question-list'
import { QuestionLinks } from './search-results'
import { ModerationNotice, RevisionHistory, type Revision, type ThreadQuestion, type ThreadViewer } from './thread-post'
import { Age } from '~/ui/time'

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
          asked by <UserLink username={question.authorUsername} plain /> <RoleBadge role={question.authorRole} />{' '}
          <Age value={question.createdAt} now={now} />
        </span>
      </p>
      <TagLinks names={question.tagNames} plain />
      {children}
    </header>
  )
}

/** The question's notices (moderation, lock, taken to a ticket), its body and its earlier versions. */
export function QuestionBody({
  question,
  revisions,
  now,
  ticketNumber,
  isAsker,
  htmlOnce,
}: {
  question: ThreadQuestion
  revisions: Revision[]
  now: string
  ticketNumber: number | null
  isAsker: boolean
  htmlOnce: HtmlOnceMap | undefined
}) {
  return (
    <>
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
      <HtmlOnce className="post-body" bodies={htmlOnce} htmlKey="q" />
      <RevisionHistory revisions={revisions.filter((r) => r.postKind === 'question')} editedAt={question.editedAt} now={now} htmlOnce={htmlOnce} />
    </>
  )
}

/** Edit (the asker or staff) and report (anyone signed in but the asker). */
export function QuestionActions({ questionId, user, isAsker }: { questionId: number; user: ThreadViewer; isAsker: boolean }) {
  return (
    <p className="answer-actions">
      {canOnTarget(user, 'update:post', isAsker) ? <a href={`/questions/${questionId}/edit`}>Edit question</a> : null}
      {user && !isAsker ? (
        <a href={`/report?target=question:${questionId}`} className="report-link">
          Report question
        </a>
      ) : null}
    </p>
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
