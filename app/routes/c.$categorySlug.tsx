import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { FilterTabs, QuestionList } from '~/components/question-list'
import { WatchControls } from '~/components/watch-controls'
import { getCategoryBySlug } from '~/models/category.server'
import { setWatch } from '~/notifications/watches.server'
import { getUser, requireUser } from '~/utils/auth.server'
import { parseForm } from '~/utils/forms.server'
import { invariantResponse } from '~/utils/misc'
import { WatchSchema } from '~/utils/notification-forms.server'
import { loadQuestionList } from '~/utils/question-list.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = getUser(context)
  const category = await getCategoryBySlug({ slug: params.categorySlug ?? '', viewerId: user?.id })
  invariantResponse(category, 'There is no such category.')
  const { viewerWatch, ...rest } = category
  return json({ category: rest, ...(await loadQuestionList(request, { categoryId: category.id })), watchLevel: viewerWatch, signedIn: user !== null })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const category = await getCategoryBySlug({ slug: params.categorySlug ?? '' })
  invariantResponse(category, 'There is no such category.')
  const submission = parseForm(await request.formData(), WatchSchema)
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.category.name ?? 'Category'} · Parley` }]
