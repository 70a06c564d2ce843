import { useFetcher, useNavigate } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { can, canOnTarget } from '~/platform/auth/permissions'
import type { HtmlOnce as HtmlOnceMap } from '~/platform/html-once'
import { answerPath, questionPath, threadPagePath } from '~/platform/misc'
import { useRoutedClicks, useRoutedSubmits } from '~/ui/routed-links'
import { PostFrame, type Revision, type ThreadAnswer, type ThreadPage, type ThreadQuestion, type ThreadViewer } from './thread-post'

// Answers are many on a page, so their forms and links are plain elements: the answer list routes
// their submits and clicks through Remix once (see AnswerList), instead of every <Form> and <Link>
// resolving its own path on each render. Without JavaScript they are ordinary forms and links.

function AnswerView({ answer: a, question, revisions, now, user, htmlOnce, loginHref }: { answer: ThreadAnswer; question: ThreadQuestion; revisions: Revision[]; now: string; user: ThreadViewer; htmlOnce: HtmlOnceMap | undefined; loginHref: string }) {
  const isOfficial = a.id === question.officialAnswerId
  const isAccepted = a.id === question.acceptedAnswerId
  return (
    <PostFrame
      kind="answer"
      post={a}
      user={user}
      now={now}
      htmlOnce={htmlOnce}
      revisions={revisions.filter((r) => r.postKind === 'answer' && r.postId === a.id)}
      href={answerPath(a.id)}
      loginHref={loginHref}
      id={`answer-${a.id}`}
      className={`answer${isOfficial ? ' official' : ''}${isAccepted ? ' accepted' : ''}`}
      aria-labelledby={`answer-${a.id}-label`}
      top={{ heading: { id: `answer-${a.id}-label`, text: `Answer by ${a.authorUsername}` }, marks: { isOfficial, isAccepted, officialMarkedBy: question.officialMarkedBy } }}
      markControls={{ answerId: a.id, isAccepted, isOfficial, mayAccept: canOnTarget(user, 'accept:answer', user?.id === question.authorId), mayMarkOfficial: can(user, 'mark-official:answer:any') }}
    />
  )
}

/**
 * One page of the thread's answers, in the order the server gave them (official, accepted, score,
 * age), with links to the previous and next pages. With JavaScript, "Load more answers" fetches the
 * next page and appends it in place; an `#answer-N` that is on no page shown goes to the answer's
 * own address, which finds its page.
 */
export function AnswerList({ thread, user }: { thread: ThreadPage; user: ThreadViewer }) {
  const { question, page, pageCount, answerTotal } = thread
  const more = useFetcher<ThreadPage>()
  const [loaded, setLoaded] = useState<ThreadPage[]>([])
  const [hydrated, setHydrated] = useState(false)
  const navigate = useNavigate()
  const onClick = useRoutedClicks()
  const onSubmit = useRoutedSubmits()

  useEffect(() => setHydrated(true), [])
  // Another page or thread: start again from it.
  useEffect(() => setLoaded([]), [question.id, page])
  useEffect(() => {
    const data = more.data
    if (more.state === 'idle' && data && data.question?.id === question.id) setLoaded((pages) => (pages.some((p) => p.page === data.page) ? pages : [...pages, data]))
  }, [more.state, more.data, question.id])
  useEffect(() => {
    const target = window.location.hash.match(/^#answer-(\d+)$/)
    if (target && !document.getElementById(`answer-${target[1]}`)) navigate(answerPath(Number(target[1])), { replace: true })
  }, [navigate, question.id, page])

  const pages = [thread, ...loaded]
  // Once per page, not per answer: where a visitor's "Log in to vote" leads.
  const loginHref = `/login?redirectTo=${encodeURIComponent(questionPath(question))}`
  const lastShown = pages[pages.length - 1].page
  const seen = new Set<number>()
  return (
    <section aria-labelledby="answers-heading" className="answers" onClick={onClick} onSubmit={onSubmit}>
      <h2 id="answers-heading">
        {answerTotal} {answerTotal === 1 ? 'answer' : 'answers'}
        {pageCount > 1 ? <span className="muted"> · page {lastShown > page ? `${page}–${lastShown}` : page} of {pageCount}</span> : null}
      </h2>
      {pages.map((p) =>
        p.answers.map((a) => {
          // A vote between two loads can move an answer: show it once.
          if (seen.has(a.id)) return null
          seen.add(a.id)
          return <AnswerView key={a.id} answer={a} question={question} revisions={p.revisions} now={p.now} user={user} htmlOnce={p.htmlOnce} loginHref={loginHref} />
        }),
      )}
      {pageCount > 1 ? (
        <nav aria-label="Answer pages" className="pagination">
          {page > 1 ? (
            <a href={threadPagePath(question, page - 1)} rel="prev">
              Previous answers
            </a>
          ) : null}
          {hydrated && lastShown < pageCount ? (
            <button type="button" className="secondary" disabled={more.state !== 'idle'} onClick={() => more.load(threadPagePath(question, lastShown + 1))}>
              {more.state !== 'idle' ? 'Loading more answers…' : 'Load more answers'}
            </button>
          ) : null}
          {lastShown < pageCount ? (
            <a href={threadPagePath(question, lastShown + 1)} rel="next">
              Next answers
            </a>
          ) : null}
        </nav>
      ) : null}
    </section>
  )
}
