import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { formState, type SubmissionReply } from '~/platform/form-state'
import { getThread } from '~/forum/questions.server'
import { performThreadIntent } from '~/forum/thread-actions.server'
import { AnswerForm } from '~/forum/ui/answer-form'
import { AnswerList } from '~/forum/ui/thread-answers'
import { QuestionActions, QuestionBody, QuestionHeader, RelatedQuestions } from '~/forum/ui/thread-question'
import { convertThreadToTicket, getTicketNumberForQuestion } from '~/tickets/open.server'
import { ConvertSchema } from '~/tickets/forms.server'
import { ConvertThreadForm } from '~/tickets/ui/convert-thread-form'
import { findRelatedQuestions } from '#search/queries.server'
import { getUser, requireUser } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { markdownToPlainExcerpt } from '~/platform/markdown.server'
import { invariantResponse, questionPath, requireId } from '~/platform/misc'
import { can } from '~/platform/auth/permissions'
import { requireUserWithPermission, restrictionNotice } from '~/platform/auth/permissions.server'
import { useOptionalUser } from '~/root'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { WatchControls } from '~/notifications/ui/watch-controls'
import { setWatch } from '~/notifications/watches.server'
import { WatchSchema } from '~/notifications/forms.server'
import { readFormData, pathParams } from '~/platform/request-input.server'

export async function loader({ params, context }: LoaderFunctionArgs) {
  const user = getUser(context)
  const thread = await getThread({ questionId: requireId(pathParams(params).id), viewerId: user?.id ?? null, canModerate: can(user, 'moderate:content:any') })
  invariantResponse(thread, 'There is no such question. It may have been deleted.')
  // Only the asker and support staff learn that the thread became a private ticket.
  const [ticketNumber, related] = await Promise.all([
    user && (user.id === thread.question.authorId || can(user, 'work:ticket:any')) ? getTicketNumberForQuestion({ questionId: thread.question.id }) : null,
    findRelatedQuestions(thread.question),
  ])
  return json({ ...thread, ticketNumber, related, restriction: restrictionNotice(user), description: markdownToPlainExcerpt(thread.question.bodyHtml, 160), now: new Date().toISOString() })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const questionId = requireId(pathParams(params).id)
  const formData = await readFormData(request)
  const intent = formData.get('intent')

  // Watching is the notifications domain's, converting the tickets domain's: the forum imports neither.
  if (intent === 'watch') {
    const submission = parseForm(formData, WatchSchema)
    invariantResponse(submission.status === 'success', 'Choose watch, mute or neither.', { status: 400 })
    // A thread the member may not see cannot be watched either.
    const thread = await getThread({ questionId, viewerId: user.id, canModerate: can(user, 'moderate:content:any') })
    invariantResponse(thread, 'There is no such question. It may have been deleted.')
    await setWatch({ userId: user.id, target: { questionId }, level: submission.value.level })
    return redirect(questionPath(thread.question))
  }

  if (intent === 'convert-to-ticket') {
    requireUserWithPermission(request, context, 'work:ticket:any')
    const submission = parseForm(formData, ConvertSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    const result = await convertThreadToTicket({ questionId, staffId: user.id, priority: submission.value.priority })
    if (!result.ok) {
      invariantResponse(result.reason === 'already-converted', 'There is no such question. It may have been deleted.')
      return badRequest(submission, { formErrors: [`This thread is already ticket #${result.number}.`] }, { intent, existingTicket: result.number })
    }
    return redirect(`/tickets/${result.number}`)
  }

  return performThreadIntent({
    questionId,
    user,
    formData,
    limitAnswer: async () => {
      const limited = await rateLimitRefusal({ action: 'post-answer', context })
      return limited ? rateLimitedForm(formData, limited) : null
    },
  })
}

export default function Thread() {
  const { question, answers, revisions, now, ticketNumber, related, restriction } = useLoaderData<typeof loader>()
  // The answer form's errors come back without an intent; the convert form's with one.
  const actionData = useActionData<typeof action>() as { intent?: string; result?: SubmissionReply; existingTicket?: number } | undefined
  const converting = actionData?.intent === 'convert-to-ticket'
  const user = useOptionalUser()
  const isAsker = user?.id === question.authorId

  return (
    <article className="thread" aria-labelledby="question-title">
      <QuestionHeader question={question} now={now}>
        {user ? <WatchControls level={question.viewerWatch} what="thread" /> : null}
      </QuestionHeader>
      <QuestionBody question={question} revisions={revisions} now={now} ticketNumber={ticketNumber} isAsker={isAsker} />
      {can(user, 'work:ticket:any') && !ticketNumber ? <ConvertThreadForm form={formState(converting ? actionData.result : undefined)} existingTicket={converting ? (actionData.existingTicket ?? null) : null} /> : null}
      <QuestionActions questionId={question.id} user={user} isAsker={isAsker} />
      <AnswerList question={question} answers={answers} revisions={revisions} now={now} user={user} />
      <RelatedQuestions related={related} />
      <AnswerForm question={question} signedIn={user !== null} restriction={restriction} form={formState(converting ? undefined : actionData?.result)} />
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [{ title: `${data.question.title} · Parley` }, { name: 'description', content: data.description }]
    : [{ title: 'Question not found · Parley' }]
