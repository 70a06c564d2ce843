import type { ReactNode } from 'react'
import type { HtmlOnce as HtmlOnceMap } from '~/platform/html-once'
import { StatusBadges, TagLinks } from './question-badges'
import { QuestionLinks } from './question-links'
import { questionPath } from '~/platform/misc'
import { PostFrame, type Revision, type ThreadQuestion, type ThreadViewer } from './thread-post'
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
          asked <Age value={question.createdAt} now={now} />
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
  const path = questionPath(question)
  return (
    <PostFrame
      kind="question"
      post={question}
      user={user}
      now={now}
      htmlOnce={htmlOnce}
      revisions={revisions.filter((r) => r.postKind === 'question')}
      href={path}
      loginHref={`/login?redirectTo=${encodeURIComponent(path)}`}
      id="question"
      className="thread-post thread-question"
      aria-label="Question"
      top={{ lockedReason: question.lockedAt ? question.lockedReason : null, ticketNumber }}
    />
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
