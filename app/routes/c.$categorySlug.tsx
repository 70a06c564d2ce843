import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { FilterTabs, QuestionList } from '~/components/question-list'
import { getCategoryBySlug } from '~/models/category.server'
import { invariantResponse } from '~/utils/misc'
import { loadQuestionList } from '~/utils/question-list.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const category = await getCategoryBySlug({ slug: params.categorySlug ?? '' })
  invariantResponse(category, 'There is no such category.')
  return json({ category, ...(await loadQuestionList(request, { categoryId: category.id })) })
}

export default function CategoryQuestions() {
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <div className="page-heading">
        <h1>{data.category.name}</h1>
      </div>
      <p className="lede">{data.category.description}</p>
      <FilterTabs base={`/c/${data.category.slug}`} current={data.filter} />
      <QuestionList questions={data.questions} now={data.now} nextHref={data.nextHref} empty="No questions in this category yet." />
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.category.name ?? 'Category'} · Parley` }]
