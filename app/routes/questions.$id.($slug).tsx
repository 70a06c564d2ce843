import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field } from '~/components/field'
import { formState } from '~/components/form-state'
import { StatusBadges, TagLinks } from '~/components/question-list'
import { RoleBadge } from '~/components/role-badge'
import { createAnswer, setAcceptedAnswer, setOfficialAnswer, voteOnAnswer } from '~/models/answer.server'
import { getQuestionForEdit, getThread } from '~/models/question.server'
import { getUser, requireUser } from '~/utils/auth.server'
import { formatAge, formatDateTime } from '~/utils/dates'
import { badRequest, parseForm } from '~/utils/forms.server'
import { markdownToPlainExcerpt } from '~/utils/markdown.server'
import { invariantResponse, questionPath, requireId } from '~/utils/misc'
import { can, canOnTarget } from '~/utils/permissions'
import { forbidden, requireUserWithPermission } from '~/utils/permissions.server'
import { useOptionalUser } from '~/utils/user'
import { AnswerSchema, AnswerTargetSchema, VoteSchema } from '~/utils/question-forms.server'

export async function loader({ params, context }: LoaderFunctionArgs) {
  const user = getUser(context)
  const thread = await getThread({ questionId: requireId(params.id), viewerId: user?.id ?? null })
  invariantResponse(thread, 'There is no such question. It may have been deleted.')
  return json({ ...thread, description: markdownToPlainExcerpt(thread.question.bodyHtml, 160), now: new Date().toISOString() })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const questionId = requireId(params.id)
  const formData = await request.formData()
  const intent = formData.get('intent')

  if (intent === 'answer') {
    requireUserWithPermission(request, context, 'create:answer')
    const submission = parseForm(formData, AnswerSchema)
    if (submission.status !== 'success') return badRequest(submission)
    const answer = await createAnswer({ questionId, authorId: user.id, bodySource: submission.value.body })
    invariantResponse(answer, 'There is no such question. It may have been deleted.')
    return redirect(`/questions/${questionId}#answer-${answer.id}`)
  }

  if (intent === 'vote') {
    requireUserWithPermission(request, context, 'vote:answer')
    const submission = parseForm(formData, VoteSchema)
    invariantResponse(submission.status === 'success', 'That vote was not understood.', { status: 400 })
    const { answerId, value } = submission.value
    const result = await voteOnAnswer({ answerId, voterId: user.id, value: value === 'up' ? 1 : value === 'down' ? -1 : 0 })
    if (!result.ok && result.reason === 'own-answer') throw forbidden('You cannot vote on your own answer.')
    invariantResponse(result.ok, 'There is no such answer.')
    return redirect(`/questions/${questionId}#answer-${answerId}`)
  }

  const submission = parseForm(formData, AnswerTargetSchema)
  invariantResponse(submission.status === 'success', 'Choose an answer.', { status: 400 })
  const { answerId } = submission.value
  const question = await getQuestionForEdit({ questionId })
  invariantResponse(question, 'There is no such question.')

  let changed: boolean
  if (intent === 'accept' || intent === 'unaccept') {
    if (!canOnTarget(user, 'accept:answer', question.authorId === user.id)) throw forbidden('Only the person who asked (or staff) can accept an answer.')
    changed = await setAcceptedAnswer({ questionId, answerId: intent === 'accept' ? answerId : null })
  } else if (intent === 'mark-official' || intent === 'unmark-official') {
    if (!can(user, 'mark-official:answer:any')) throw forbidden('Only support agents and admins can mark an official answer.')
    changed = await setOfficialAnswer({ questionId, answerId: intent === 'mark-official' ? answerId : null, staffId: user.id })
  } else {
    throw json({ message: 'Unknown action.' }, { status: 400 })
  }
  invariantResponse(changed, 'That answer is not part of this question.')
  return redirect(`/questions/${questionId}#answer-${answerId}`)
}

/** Upvote or downvote; pressed when it is the viewer's current vote, and then it takes the vote back. */
function VoteButton({ answerId, direction, current }: { answerId: number; direction: 1 | -1; current: number | null }) {
  const pressed = current === direction
  const word = direction === 1 ? 'upvote' : 'downvote'
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="answerId" value={answerId} />
      <input type="hidden" name="value" value={pressed ? 'clear' : direction === 1 ? 'up' : 'down'} />
      <button type="submit" name="intent" value="vote" aria-pressed={pressed} className="vote">
        {pressed ? `Remove ${word}` : word[0].toUpperCase() + word.slice(1)}
      </button>
    </Form>
  )
}

type ThreadData = ReturnType<typeof useLoaderData<typeof loader>>
type Revision = ThreadData['revisions'][number]

function RevisionHistory({ revisions, editedAt, now }: { revisions: Revision[]; editedAt: string | null; now: string }) {
  if (!editedAt || revisions.length === 0) return null
  return (
    <details className="revisions">
      <summary>
        Edited <time dateTime={editedAt} title={formatDateTime(editedAt)}>{formatAge(editedAt, now)}</time> · {revisions.length} earlier{' '}
        {revisions.length === 1 ? 'version' : 'versions'}
      </summary>
      <ol>
        {revisions.map((r) => (
          <li key={r.id}>
            <p className="meta">
              Version replaced <time dateTime={r.createdAt}>{formatDateTime(r.createdAt)}</time> by {r.editorUsername}
            </p>
            {r.title ? <p className="revision-title">{r.title}</p> : null}
            <div className="post-body" dangerouslySetInnerHTML={{ __html: r.bodyHtml }} />
          </li>
        ))}
      </ol>
    </details>
  )
}

export default function Thread() {
  const { question, answers, revisions, now } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const user = useOptionalUser()
  const answerForm = formState(actionData && 'result' in actionData ? actionData.result : undefined)
  const isAsker = user?.id === question.authorId
  const mayAccept = canOnTarget(user, 'accept:answer', isAsker)
  const mayMarkOfficial = can(user, 'mark-official:answer:any')

  return (
    <article className="thread" aria-labelledby="question-title">
      <header>
        <h1 id="question-title">{question.title}</h1>
        <p className="meta">
          <StatusBadges accepted={question.acceptedAnswerId !== null} official={question.officialAnswerId !== null} />
          <Link to={`/c/${question.categorySlug}`} className="category">
            {question.categoryName}
          </Link>
          <span>
            asked by <Link to={`/u/${question.authorUsername}`}>{question.authorUsername}</Link> <RoleBadge role={question.authorRole} />{' '}
            <time dateTime={question.createdAt} title={formatDateTime(question.createdAt)}>
              {formatAge(question.createdAt, now)}
            </time>
          </span>
        </p>
        <TagLinks names={question.tagNames} />
      </header>
      <div className="post-body" dangerouslySetInnerHTML={{ __html: question.bodyHtml }} />
      <RevisionHistory revisions={revisions.filter((r) => r.postKind === 'question')} editedAt={question.editedAt} now={now} />
      {canOnTarget(user, 'update:post', isAsker) ? (
        <p>
          <Link to={`/questions/${question.id}/edit`}>Edit question</Link>
        </p>
      ) : null}

      <section aria-labelledby="answers-heading" className="answers">
        <h2 id="answers-heading">
          {answers.length} {answers.length === 1 ? 'answer' : 'answers'}
        </h2>
        {answers.map((a) => {
          const isOfficial = a.id === question.officialAnswerId
          const isAccepted = a.id === question.acceptedAnswerId
          const isOwn = user?.id === a.authorId
          return (
            <article key={a.id} id={`answer-${a.id}`} className={`answer${isOfficial ? ' official' : ''}${isAccepted ? ' accepted' : ''}`} aria-labelledby={`answer-${a.id}-label`}>
              <h3 id={`answer-${a.id}-label`} className="visually-hidden">
                Answer by {a.authorUsername}
              </h3>
              {isOfficial ? <p className="badge badge-official">Official answer · marked by {question.officialMarkedBy}</p> : null}
              {isAccepted ? <p className="badge badge-solved">Accepted answer</p> : null}
              <div className="answer-layout">
                <div className="votes">
                  <span className="score" aria-label={`Score ${a.score}`}>
                    {a.score}
                  </span>
                  {user && !isOwn && can(user, 'vote:answer') ? (
                    <>
                      <VoteButton answerId={a.id} direction={1} current={a.viewerVote} />
                      <VoteButton answerId={a.id} direction={-1} current={a.viewerVote} />
                    </>
                  ) : null}
                </div>
                <div className="answer-main">
                  <div className="post-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
                  <p className="meta">
                    answered by <Link to={`/u/${a.authorUsername}`}>{a.authorUsername}</Link> <RoleBadge role={a.authorRole} />{' '}
                    <time dateTime={a.createdAt} title={formatDateTime(a.createdAt)}>
                      {formatAge(a.createdAt, now)}
                    </time>
                  </p>
                  <RevisionHistory revisions={revisions.filter((r) => r.postKind === 'answer' && r.postId === a.id)} editedAt={a.editedAt} now={now} />
                  <div className="answer-actions">
                    {mayAccept ? (
                      <Form method="post">
                        <input type="hidden" name="answerId" value={a.id} />
                        <button type="submit" name="intent" value={isAccepted ? 'unaccept' : 'accept'} className="secondary">
                          {isAccepted ? 'Remove acceptance' : 'Accept answer'}
                        </button>
                      </Form>
                    ) : null}
                    {mayMarkOfficial ? (
                      <Form method="post">
                        <input type="hidden" name="answerId" value={a.id} />
                        <button type="submit" name="intent" value={isOfficial ? 'unmark-official' : 'mark-official'} className="secondary">
                          {isOfficial ? 'Remove official mark' : 'Mark as official answer'}
                        </button>
                      </Form>
                    ) : null}
                    {canOnTarget(user, 'update:post', isOwn) ? <Link to={`/answers/${a.id}/edit`}>Edit answer</Link> : null}
                  </div>
                </div>
              </div>
            </article>
          )
        })}
      </section>

      <section aria-labelledby="your-answer-heading" className="your-answer">
        <h2 id="your-answer-heading">Your answer</h2>
        {user ? (
          <Form method="post" noValidate>
            <Field as="textarea" label="Answer" name="body" rows={8} defaultValue={answerForm.value('body')} errors={answerForm.errorsFor('body')} hint="Markdown is supported." required />
            <button type="submit" name="intent" value="answer">
              Post your answer
            </button>
          </Form>
        ) : (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(questionPath(question))}`}>Log in</Link> or <Link to="/register">create an account</Link> to answer.
          </p>
        )}
      </section>
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [{ title: `${data.question.title} · Parley` }, { name: 'description', content: data.description }]
    : [{ title: 'Question not found · Parley' }]
