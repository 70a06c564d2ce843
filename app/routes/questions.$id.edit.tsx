import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { QuestionForm } from '~/forum/ui/question-form'
import { listCategories } from '~/forum/categories.server'
import { getQuestionForEdit, updateQuestion } from '~/forum/questions.server'
import { questionVisibleTo, viewerOf } from '~/forum/visibility.server'
import { requireUser, type AuthUser } from '~/platform/auth/auth.server'
import { invariantResponse, questionPath, requireId } from '~/platform/misc'
import { can, canOnTarget } from '~/platform/auth/permissions'
import { forbidden, forbiddenOnTarget } from '~/platform/auth/permissions.server'
import { readQuestionForm } from '~/forum/forms.server'
import { gatePost } from '~/moderation/posting-gate.server'
import { readFormData, pathParams } from '~/platform/request-input.server'
import { composerLinks } from '~/ui/composer'

export const links = composerLinks

const USED_EDIT = 'You already edited this hidden question to ask for another review; a moderator will look at it.'

async function requireEditableQuestion(user: AuthUser, idParam: string | undefined) {
  const question = await getQuestionForEdit({ questionId: requireId(idParam) })
  const moderator = can(user, 'moderate:content:any')
  invariantResponse(question && questionVisibleTo(question, viewerOf(user)), 'There is no such question.')
  const isAuthor = question.authorId === user.id
  if (!canOnTarget(user, 'update:post', isAuthor)) throw forbiddenOnTarget(user, isAuthor, 'Only the author or a moderator can edit this question.')
  // Hidden content: its author gets one edit, which asks the moderators for another review.
  if (question.hiddenAt && !moderator && question.reviewEditUsed) throw forbidden(USED_EDIT)
  return { ...question, asksForReview: !!question.hiddenAt && !moderator }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const question = await requireEditableQuestion(requireUser(request, context), pathParams(params).id)
  return json({ question, categories: await listCategories() })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const question = await requireEditableQuestion(user, pathParams(params).id)
  // Watched words apply to edits too (decision 031): block refuses, words the edit adds may flag it;
  // censoring happens as the edit is rendered.
  let flags: string[] = []
  const form = await readQuestionForm(await readFormData(request), async (input) => {
    const previous = { title: question.title, body: question.bodySource, tags: question.tagNames }
    const verdict = await gatePost({ author: user, kind: 'question', questionId: question.id, texts: { title: input.title, body: input.bodySource, tags: input.tagNames }, edit: { previous } })
    if (verdict.action === 'block') return verdict
    flags = verdict.flags
    return null
  })
  if (form.reply) return form.reply
  const { input } = form
  // The one edit is claimed as the edit is saved: two edits sent at once both passed the check above.
  const saved = await updateQuestion({ ...input, questionId: question.id, editorId: user.id, asksForReview: question.asksForReview, flags })
  if (saved === 'review-edit-used') throw forbidden(USED_EDIT)
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
