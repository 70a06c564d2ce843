import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { FormErrors } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { QuestionForm } from '~/forum/ui/question-form'
import { listCategories } from '~/forum/categories.server'
import { createQuestion } from '~/forum/questions.server'
import { findSimilarQuestions } from '#search/queries.server'
import { questionPath } from '~/platform/misc'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { requireUser } from '~/platform/auth/auth.server'
import { restrictionOf } from '~/platform/auth/permissions'
import { requirePermission, restrictedForm, restrictionNotice } from '~/platform/auth/permissions.server'
import { readQuestionForm } from '~/forum/forms.server'
import { readFormData } from '~/platform/request-input.server'
import { pageMeta } from '~/platform/seo'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  // A suspended or banned member is told why instead of being shown a form that would be refused.
  const restriction = restrictionNotice(user)
  if (!restriction) requirePermission(user, 'create:question')
  return json({ categories: await listCategories(), restriction })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const formData = await readFormData(request)
  const restriction = restrictionOf(user)
  if (restriction) return restrictedForm(formData, restriction, { preview: null })
  requirePermission(user, 'create:question')
  if (formData.get('intent') === 'similar') {
    // Without JavaScript: show questions like the title, and give back everything typed so far.
    const title = String(formData.get('title') ?? '').replace(/\u0000/g, '')
    const values = Object.fromEntries([...formData].filter(([, v]) => typeof v === 'string'))
    return json({ result: { initialValue: values }, preview: null, similar: await findSimilarQuestions(title) })
  }
  const form = await readQuestionForm(formData)
  if (form.reply) return form.reply
  const { input } = form
  const limited = await rateLimitRefusal({ action: 'post-question', context })
  if (limited) return rateLimitedForm(formData, limited, { preview: null })
  const question = await createQuestion({ ...input, authorId: user.id })
  return redirect(questionPath(question))
}

export default function AskQuestion() {
  const { categories, restriction } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  // The form stays for a refused post (the member was restricted while typing), so nothing typed is lost.
  if (restriction && !actionData) {
    return (
      <section>
        <h1>Ask a question</h1>
        <p className="notice notice-moderation" role="status">
          {restriction}
        </p>
      </section>
    )
  }
  return (
    <section>
      <h1>Ask a question</h1>
      <FormErrors errors={formState(actionData?.result).formErrors} />
      <QuestionForm
        categories={categories}
        result={actionData?.result}
        preview={actionData?.preview}
        similar={actionData && 'similar' in actionData ? actionData.similar : null}
        offerSimilar
        submitLabel="Post your question"
      />
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta({ matches, title: 'Ask a question · Parley', description: 'Ask the Parley community and our support team a question: describe the problem, what you tried, and what you expected.', path: '/questions/new' })
