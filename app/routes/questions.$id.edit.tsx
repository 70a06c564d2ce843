import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { QuestionForm } from '~/components/question-form'
import { listCategories } from '~/models/category.server'
import { getQuestionForEdit, updateQuestion } from '~/models/question.server'
import { requireUser, type AuthUser } from '~/utils/auth.server'
import { invariantResponse, questionPath, requireId } from '~/utils/misc'
import { canOnTarget } from '~/utils/permissions'
import { forbidden } from '~/utils/permissions.server'
import { readQuestionForm } from '~/utils/question-forms.server'

async function requireEditableQuestion(user: AuthUser, idParam: string | undefined) {
  const question = await getQuestionForEdit({ questionId: requireId(idParam) })
  invariantResponse(question, 'There is no such question.')
  if (!canOnTarget(user, 'update:post', question.authorId === user.id)) throw forbidden('Only the author or a moderator can edit this question.')
  return question
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const question = await requireEditableQuestion(requireUser(request, context), params.id)
  return json({ question, categories: await listCategories() })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const question = await requireEditableQuestion(user, params.id)
  const form = await readQuestionForm(await request.formData())
  if (form.reply) return form.reply
  const { input } = form
  await updateQuestion({ ...input, questionId: question.id, editorId: user.id })
  return redirect(questionPath({ id: question.id, title: input.title }))
}

export default function EditQuestion() {
  const { question, categories } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <section>
      <h1>Edit question</h1>
      <QuestionForm
        categories={categories}
        result={actionData?.result}
        preview={actionData?.preview}
        initial={{ title: question.title, body: question.bodySource, categoryId: question.categoryId, tags: question.tagNames.join(' ') }}
        submitLabel="Save changes"
      />
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit: ${data?.question.title ?? 'question'} · Parley` }]
