import { Link } from '@remix-run/react'
import { StatusBadges, TagLinks } from './question-badges'
import { questionPath } from '~/platform/misc'

export type SearchHitView = {
  questionId: number
  title: string
  snippet: string
  categoryId: number
  tagNames: string[]
  answerCount: number
  hasAcceptedAnswer: boolean
  hasOfficialAnswer: boolean
}

/** Search hits: the snippet is engine-escaped text whose only markup is <mark> around the matched words. */
export function SearchResults({ hits, categoryNames }: { hits: SearchHitView[]; categoryNames: Record<number, { name: string; slug: string }> }) {
  return (
    <ol className="question-list search-results">
      {hits.map((hit) => {
        const category = categoryNames[hit.categoryId]
        return (
          <li key={hit.questionId} className="question-row">
            <div className="counts">
              <span className={`count${hit.answerCount === 0 ? ' unanswered' : ''}`}>
                {hit.answerCount} {hit.answerCount === 1 ? 'answer' : 'answers'}
              </span>
            </div>
            <div>
              <h2>
                <Link to={questionPath({ id: hit.questionId, title: hit.title })}>{hit.title}</Link>
              </h2>
              <p className="snippet" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
              <p className="meta">
                <StatusBadges accepted={hit.hasAcceptedAnswer} official={hit.hasOfficialAnswer} />
                {category ? (
                  <Link to={`/c/${category.slug}`} className="category">
                    {category.name}
                  </Link>
                ) : null}
              </p>
              <TagLinks names={hit.tagNames} />
            </div>
          </li>
        )
      })}
    </ol>
  )
}
