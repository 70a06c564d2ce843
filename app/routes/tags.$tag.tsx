import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { FilterTabs, QuestionList } from '~/forum/ui/question-list'
import { TAG_PATTERN } from '~/forum/questions.server'
import { invariantResponse } from '~/platform/misc'
import { loadQuestionList } from '~/forum/question-list.server'
import { pathParams } from '~/platform/request-input.server'
import { pageMeta, tagFeedPath } from '~/platform/seo'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tag = (pathParams(params).tag ?? '').toLowerCase()
  invariantResponse(TAG_PATTERN.test(tag), 'There is no such tag.')
  const list = await loadQuestionList(request, { tagName: tag })
  return json({ tag, ...list })
}

export default function TagQuestions() {
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <div className="page-heading">
        <h1>
          Questions tagged <span className="tag">{data.tag}</span>
        </h1>
      </div>
      <FilterTabs base={`/tags/${encodeURIComponent(data.tag)}`} current={data.filter} />
      <QuestionList questions={data.questions} now={data.now} nextHref={data.nextHref} empty="No questions carry this tag." />
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? pageMeta({
        matches,
        title: `Tagged ${data.tag} · Parley`,
        description: `Questions tagged ${data.tag} in the Parley community, with their answers.`,
        path: `/tags/${encodeURIComponent(data.tag)}`,
        card: true,
        feeds: [{ title: `Parley: tagged ${data.tag}`, path: tagFeedPath(data.tag) }],
      })
    : [{ title: 'Tag not found · Parley' }]
