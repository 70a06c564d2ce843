import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import type { SubmissionReply } from '~/components/form-state'
import { QuestionForm } from '~/components/question-form'
import { listCategories } from '~/models/category.server'
import { createQuestion } from '~/models/question.server'
import { badRequest } from '~/utils/forms.server'
import { renderMarkdown } from '~/utils/markdown.server'
import { questionPath } from '~/utils/misc'
import { requireUserWithPermission } from '~/utils/permissions.server'
import { parseQuestionForm } from '~/utils/question-forms.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'create:question')
  return json({ categories: await listCategories() })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, context, 'create:question')
  const formData = await request.formData()
  const { submission, input, fieldErrors } = await parseQuestionForm(formData)
  const body = formData.get('body')
  const preview = typeof body === 'string' && body.trim() ? renderMarkdown(body) : null
  if (formData.get('intent') === 'preview') return json({ result: submission.reply() as SubmissionReply, preview })
  if (!input) return badRequest(submission, fieldErrors ? { fieldErrors } : undefined, { preview })
  const question = await createQuestion({ ...input, authorId: user.id })
  return redirect(questionPath(question))
}

export default function AskQuestion() {
  const { categories } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <section>
      <h1>Ask a question</h1>
      <QuestionForm categories={categories} result={actionData?.result} preview={actionData && 'preview' in actionData ? (actionData.preview as string | null) : null} submitLabel="Post your question" />
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Ask a question · Parley' }]
