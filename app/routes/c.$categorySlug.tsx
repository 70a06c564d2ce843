import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { FilterTabs, QuestionList } from '~/forum/ui/question-list'
import { WatchControls } from '~/notifications/ui/watch-controls'
import { getCategoryBySlug } from '~/forum/categories.server'
import { setWatch } from '~/notifications/watches.server'
import { getUser, requireUser } from '~/platform/auth/auth.server'
import { parseForm } from '~/platform/forms.server'
import { invariantResponse } from '~/platform/misc'
import { WatchSchema } from '~/notifications/forms.server'
import { loadQuestionList } from '~/forum/question-list.server'
import { readFormData, pathParams } from '~/platform/request-input.server'
import { categoryFeedPath, pageMeta } from '~/platform/seo'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = getUser(context)
  const category = await getCategoryBySlug({ slug: pathParams(params).categorySlug ?? '', viewerId: user?.id })
  invariantResponse(category, 'There is no such category.')
  const { viewerWatch, ...rest } = category
  return json({ category: rest, ...(await loadQuestionList(request, { categoryId: category.id })), watchLevel: viewerWatch, signedIn: user !== null })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const category = await getCategoryBySlug({ slug: pathParams(params).categorySlug ?? '' })
  invariantResponse(category, 'There is no such category.')
  const submission = parseForm(await readFormData(request), WatchSchema)
  invariantResponse(submission.status === 'success', 'Choose watch, mute or neither.', { status: 400 })
  const { level } = submission.value
  await setWatch({ userId: user.id, target: { categoryId: category.id }, level })
  return redirect(`/c/${category.slug}`)
}

export default function CategoryQuestions() {
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <div className="page-heading">
        <h1>{data.category.name}</h1>
      </div>
      <p className="lede">{data.category.description}</p>
      {data.signedIn ? <WatchControls level={data.watchLevel} what="category" /> : null}
      <FilterTabs base={`/c/${data.category.slug}`} current={data.filter} />
      <QuestionList questions={data.questions} now={data.now} nextHref={data.nextHref} empty="No questions in this category yet." />
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? pageMeta({
        matches,
        title: `${data.category.name} · Parley`,
        description: data.category.description || `Questions and answers about ${data.category.name} in the Parley community.`,
        path: `/c/${data.category.slug}`,
        card: true,
        feeds: [{ title: `Parley: ${data.category.name}`, path: categoryFeedPath(data.category.slug) }],
      })
    : [{ title: 'Category not found · Parley' }]
