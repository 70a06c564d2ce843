import { Link } from '@remix-run/react'
import { Avatar } from '~/accounts/ui/avatar'
import { UserLink } from '~/accounts/ui/user-link'
import { questionPath } from '~/platform/misc'
import { useRoutedClicks } from '~/ui/routed-links'
import { EmptyState } from '~/ui/empty-state'
import { Age } from '~/ui/time'

export type QuestionRow = {
  id: number
  title: string
  authorUsername: string
  /** An uploaded avatar's file, or null for the generated one. */
  authorAvatarPath: string | null
  categorySlug: string
  categoryName: string
  answerCount: number
  hasAcceptedAnswer: boolean
  hasOfficialAnswer: boolean
  lastActivityAt: string
  tagNames: string[]
}

// Also shown on thread pages and search results, which import them from question-badges alone so
// their pages do not load the list's code.
import { StatusBadges, TagLinks } from './question-badges'

export { StatusBadges, TagLinks }

/**
 * A page of questions. Its links (three or more a row) are plain anchors whose clicks the list
 * routes through Remix, so a page of 20 rows does not resolve 60 <Link> paths per request.
 */
export function QuestionList({ questions, now, nextHref, empty }: { questions: QuestionRow[]; now: string; nextHref: string | null; empty: string }) {
  const onClick = useRoutedClicks()
  if (questions.length === 0) return <EmptyState title={empty} />
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
                <span className="question-row-author">
                  <Avatar username={q.authorUsername} avatarPath={q.authorAvatarPath} size={20} /> asked by <UserLink username={q.authorUsername} plain />
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
