import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Composer, composerLinks } from '~/ui/composer'
import { formState } from '~/platform/form-state'
import { getAnswer, updateAnswer } from '~/forum/answers.server'
import { answerStateVisibleTo, viewerOf } from '~/forum/visibility.server'
import { requireUser, type AuthUser } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { gatePost } from '~/moderation/posting-gate.server'
import { answerPath, invariantResponse, questionPath, requireId } from '~/platform/misc'
import { can, canOnTarget } from '~/platform/auth/permissions'
import { forbidden, forbiddenOnTarget } from '~/platform/auth/permissions.server'
import { AnswerSchema } from '~/forum/forms.server'
import { readFormData, pathParams } from '~/platform/request-input.server'
import { previewReply } from '~/composer/preview.server'

export const links = composerLinks

const USED_EDIT = 'You already edited this hidden answer to ask for another review; a moderator will look at it.'

async function requireEditableAnswer(user: AuthUser, idParam: string | undefined) {
  const answer = await getAnswer({ answerId: requireId(idParam) })
  const moderator = can(user, 'moderate:content:any')
  // By the answer's own state, where getAnswer's removedAt also counts a removed question. A hidden
  // question does not take the edit away from the answer's author: hidden answers in it keep their
  // one edit that asks for another review.
  invariantResponse(answer && answerStateVisibleTo(answer, viewerOf(user)), 'There is no such answer.')
  const isAuthor = answer.authorId === user.id
  if (!canOnTarget(user, 'update:post', isAuthor)) throw forbiddenOnTarget(user, isAuthor, 'Only the author or a moderator can edit this answer.')
  // Hidden content: its author gets one edit, which asks the moderators for another review.
  if (answer.hiddenAt && !moderator && answer.reviewEditUsed) throw forbidden(USED_EDIT)
  return { ...answer, asksForReview: !!answer.hiddenAt && !moderator }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return json({ answer: await requireEditableAnswer(requireUser(request, context), pathParams(params).id) })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const answer = await requireEditableAnswer(user, pathParams(params).id)
  const formData = await readFormData(request)
  if (formData.get('intent') === 'preview') return previewReply(formData, 'body')
  const submission = parseForm(formData, AnswerSchema)
  if (submission.status !== 'success') return badRequest(submission)
  // Watched words apply to edits too (decision 031): block refuses, words the edit adds may flag it.
  const verdict = await gatePost({ author: user, kind: 'answer', questionId: answer.questionId, texts: { body: submission.value.body }, edit: { previous: { body: answer.bodySource } } })
  if (verdict.action === 'block') return badRequest(submission, { fieldErrors: { body: [verdict.message] } })
  // The one edit is claimed as the edit is saved: two edits sent at once both passed the check above.
  const saved = await updateAnswer({ answerId: answer.id, editorId: user.id, bodySource: submission.value.body, asksForReview: answer.asksForReview, flags: verdict.flags })
  if (saved === 'review-edit-used') throw forbidden(USED_EDIT)
  // The permalink finds the page the answer is on now.
  return redirect(answerPath(answer.id))
}

export default function EditAnswer() {
  const { answer } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  return (
    <section>
      <h1>Edit answer</h1>
      <p>
        On: <Link to={questionPath({ id: answer.questionId, title: answer.questionTitle })}>{answer.questionTitle}</Link>
      </p>
      <Form method="post" noValidate>
        <Composer
          label="Answer"
          name="body"
          rows={12}
          defaultValue={form.value('body', answer.bodySource)}
          errors={form.errorsFor('body')}
          hint="Markdown is supported. The previous version stays in the history."
          required
          preview={actionData && 'preview' in actionData ? (actionData.preview as string | null) : null}
        />
        <div className="actions">
          <button type="submit" name="intent" value="save">
            Save changes
          </button>
        </div>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Edit answer · Parley' }]
