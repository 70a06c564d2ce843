import { Link } from '@remix-run/react'
import { UserLink } from '~/accounts/ui/user-link'
import { formatAge, formatDateTime } from '~/platform/dates'
import { questionPath } from '~/platform/misc'

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

export function TagLinks({ names }: { names: string[] }) {
  if (names.length === 0) return null
  return (
    <ul className="tags" aria-label="Tags">
      {names.map((t) => (
        <li key={t}>
          <Link to={`/tags/${encodeURIComponent(t)}`} className="tag">
            {t}
          </Link>
        </li>
      ))}
    </ul>
  )
}

export function QuestionList({ questions, now, nextHref, empty }: { questions: QuestionRow[]; now: string; nextHref: string | null; empty: string }) {
  if (questions.length === 0) return <p className="empty">{empty}</p>
  return (
    <>
      <ol className="question-list">
        {questions.map((q) => (
          <li key={q.id} className="question-row">
            <div className="counts">
              <span className={q.answerCount === 0 ? 'count unanswered' : 'count'}>
                {q.answerCount} {q.answerCount === 1 ? 'answer' : 'answers'}
              </span>
            </div>
            <div className="summary">
              <h2>
                <Link to={questionPath(q)}>{q.title}</Link>
              </h2>
              <p className="meta">
                <StatusBadges accepted={q.hasAcceptedAnswer} official={q.hasOfficialAnswer} />
                <Link to={`/c/${q.categorySlug}`} className="category">
                  {q.categoryName}
                </Link>
                <span>
                  asked by <UserLink username={q.authorUsername} />
                </span>
                <span>
                  active <time dateTime={q.lastActivityAt} title={formatDateTime(q.lastActivityAt)}>{formatAge(q.lastActivityAt, now)}</time>
                </span>
              </p>
              <TagLinks names={q.tagNames} />
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
