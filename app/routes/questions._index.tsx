import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { FilterTabs, filterLabels, QuestionList } from '~/forum/ui/question-list'
import { loadQuestionList } from '~/forum/question-list.server'
import { LATEST_FEED, pageMeta } from '~/platform/seo'

export async function loader({ request }: LoaderFunctionArgs) {
  return json(await loadQuestionList(request))
}

export default function Questions() {
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <div className="page-heading">
        <h1>{data.filter === 'all' ? 'All questions' : `${filterLabels[data.filter]} questions`}</h1>
        <Link to="/questions/new" className="button">
          Ask a question
        </Link>
      </div>
      <FilterTabs base="/questions" current={data.filter} />
      <QuestionList questions={data.questions} now={data.now} nextHref={data.nextHref} empty="No questions match this filter." />
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta({
    matches,
    title: `${data && data.filter !== 'all' ? filterLabels[data.filter] + ' questions' : 'Questions'} · Parley`,
    description: 'The latest questions from the Parley community, with their answers.',
    path: '/questions',
    card: true,
    feeds: [LATEST_FEED],
  })
