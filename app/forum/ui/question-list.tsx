import { Link } from '@remix-run/react'
import { UserLink } from '~/accounts/ui/user-link'
import { questionPath } from '~/platform/misc'
import { useRoutedClicks } from '~/ui/routed-links'
import { Age } from '~/ui/time'

export type QuestionRow = {
  id: number
  title: string
  authorUsername: string
  categorySlug: string
  categoryName: string
  answerCount: number
  hasAcceptedAnswer: boolean
  hasOfficialAnswer: boolean
  lastActivityAt: string
  tagNames: string[]
}

export function StatusBadges({ accepted, official }: { accepted: boolean; official: boolean }) {
  return (
    <>
      {official ? <span className="badge badge-official">Official answer</span> : null}
      {accepted ? <span className="badge badge-solved">Solved</span> : null}
    </>
  )
}

/** `plain`: plain anchors, for lists whose container routes clicks (see ~/ui/routed-links). */
export function TagLinks({ names, plain = false }: { names: string[]; plain?: boolean }) {
  if (names.length === 0) return null
  return (
    <ul className="tags" aria-label="Tags">
      {names.map((t) => (
        <li key={t}>
          {plain ? (
            <a href={`/tags/${encodeURIComponent(t)}`} className="tag">
              {t}
            </a>
          ) : (
            <Link to={`/tags/${encodeURIComponent(t)}`} className="tag">
              {t}
            </Link>
          )}
        </li>
      ))}
    </ul>
  )
}

/**
 * A page of questions. Its links (three or more a row) are plain anchors whose clicks the list
 * routes through Remix, so a page of 20 rows does not resolve 60 <Link> paths per request.
 */
export function QuestionList({ questions, now, nextHref, empty }: { questions: QuestionRow[]; now: string; nextHref: string | null; empty: string }) {
  const onClick = useRoutedClicks()
  if (questions.length === 0) return <p className="empty">{empty}</p>
  return (
    <>
      <ol className="question-list" onClick={onClick}>
        {questions.map((q) => (
          <li key={q.id} className="question-row">
            <div className="counts">
              <span className={q.answerCount === 0 ? 'count unanswered' : 'count'}>
                {q.answerCount} {q.answerCount === 1 ? 'answer' : 'answers'}
              </span>
            </div>
            <div className="summary">
              <h2>
                <a href={questionPath(q)}>{q.title}</a>
              </h2>
              <p className="meta">
                <StatusBadges accepted={q.hasAcceptedAnswer} official={q.hasOfficialAnswer} />
                <a href={`/c/${q.categorySlug}`} className="category">
                  {q.categoryName}
                </a>
                <span>
                  asked by <UserLink username={q.authorUsername} plain />
                </span>
                <span>
                  active <Age value={q.lastActivityAt} now={now} />
                </span>
              </p>
              <TagLinks names={q.tagNames} plain />
            </div>
          </li>
        ))}
      </ol>
      {nextHref ? (
        <nav aria-label="Pagination" className="pagination">
          <Link to={nextHref} rel="next">
            Older questions
          </Link>
        </nav>
      ) : null}
    </>
  )
}

export const filterLabels = { all: 'All', unanswered: 'Unanswered', unsolved: 'Unsolved', solved: 'Solved' } as const

export function FilterTabs({ base, current }: { base: string; current: keyof typeof filterLabels }) {
  return (
    <nav aria-label="Filter questions" className="tabs">
      {(Object.keys(filterLabels) as (keyof typeof filterLabels)[]).map((f) => (
        <Link key={f} to={f === 'all' ? base : `${base}?filter=${f}`} aria-current={f === current ? 'page' : undefined}>
          {filterLabels[f]}
        </Link>
      ))}
    </nav>
  )
}
