import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { FilterTabs, QuestionList } from '~/forum/ui/question-list'
import { loadQuestionList } from '~/forum/question-list.server'
import { LATEST_FEED, pageMeta } from '~/platform/seo'

export async function loader({ request }: LoaderFunctionArgs) {
  return json(await loadQuestionList(request))
}

export default function LatestActivity() {
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <div className="page-heading">
        <h1>Latest activity</h1>
        <Link to="/questions/new" className="button">
          Ask a question
        </Link>
      </div>
      <FilterTabs base="/" current={data.filter} />
      <QuestionList questions={data.questions} now={data.now} nextHref={data.nextHref} empty="No questions here yet." />
    </>
  )
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta({
    matches,
    title: 'Parley — community support',
    description: 'Ask questions, find answers, and get help from the community and our support team.',
    path: '/',
    card: true,
    feeds: [LATEST_FEED],
  })
