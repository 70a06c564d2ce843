import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field } from '~/components/field'
import { formState } from '~/components/form-state'
import { getAnswer, updateAnswer } from '~/models/answer.server'
import { requireUser, type AuthUser } from '~/utils/auth.server'
import { badRequest, parseForm } from '~/utils/forms.server'
import { invariantResponse, questionPath, requireId } from '~/utils/misc'
import { canOnTarget } from '~/utils/permissions'
import { forbidden } from '~/utils/permissions.server'
import { AnswerSchema } from '~/utils/question-forms.server'

async function requireEditableAnswer(user: AuthUser, idParam: string | undefined) {
  const answer = await getAnswer({ answerId: requireId(idParam) })
  invariantResponse(answer, 'There is no such answer.')
  if (!canOnTarget(user, 'update:post', answer.authorId === user.id)) throw forbidden('Only the author or a moderator can edit this answer.')
  return answer
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return json({ answer: await requireEditableAnswer(requireUser(request, context), params.id) })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const answer = await requireEditableAnswer(user, params.id)
  const submission = parseForm(await request.formData(), AnswerSchema)
  if (submission.status !== 'success') return badRequest(submission)
  await updateAnswer({ answerId: answer.id, editorId: user.id, bodySource: submission.value.body })
  return redirect(`${questionPath({ id: answer.questionId, title: answer.questionTitle })}#answer-${answer.id}`)
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
        <Field as="textarea" label="Answer" name="body" rows={12} defaultValue={form.value('body', answer.bodySource)} errors={form.errorsFor('body')} hint="Markdown is supported. The previous version stays in the history." required />
        <button type="submit">Save changes</button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Edit answer · Parley' }]
