import { Link } from '@remix-run/react'
import { StatusBadges } from './question-badges'
import { questionPath } from '~/platform/misc'
import type { SearchHitView } from './search-results'

/**
 * A short list of question links (similar or related questions), solved ones marked. `plain`:
 * plain anchors, for a container that routes clicks (see ~/ui/routed-links).
 */
export function QuestionLinks({ hits, plain = false }: { hits: Pick<SearchHitView, 'questionId' | 'title' | 'hasAcceptedAnswer' | 'hasOfficialAnswer' | 'answerCount'>[]; plain?: boolean }) {
  return (
    <ul className="question-links">
      {hits.map((hit) => (
        <li key={hit.questionId}>
          {plain ? <a href={questionPath({ id: hit.questionId, title: hit.title })}>{hit.title}</a> : <Link to={questionPath({ id: hit.questionId, title: hit.title })}>{hit.title}</Link>} <StatusBadges accepted={hit.hasAcceptedAnswer} official={hit.hasOfficialAnswer} />{' '}
          <span className="muted">
            {hit.answerCount} {hit.answerCount === 1 ? 'answer' : 'answers'}
          </span>
        </li>
      ))}
    </ul>
  )
}
