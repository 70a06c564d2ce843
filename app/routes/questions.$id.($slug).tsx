import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { StatusBadges, TagLinks } from '~/forum/ui/question-list'
import { RoleBadge } from '~/accounts/ui/role-badge'
import { UserLink } from '~/accounts/ui/user-link'
import { AnswerRefused, answerRefusal, createAnswer, setAcceptedAnswer, setOfficialAnswer, voteOnAnswer } from '~/forum/answers.server'
import { getQuestionForEdit, getThread } from '~/forum/questions.server'
import { questionVisibleTo, viewerOf } from '~/forum/visibility.server'
import { convertThreadToTicket, getTicketNumberForQuestion } from '~/tickets/open.server'
import { findRelatedQuestions } from '#search/queries.server'
import { QuestionLinks } from '~/forum/ui/search-results'
import { PRIORITY_OPTIONS } from '~/tickets/constants'
import { getUser, requireUser } from '~/platform/auth/auth.server'
import { formatAge, formatDateTime } from '~/platform/dates'
import { badRequest, parseForm } from '~/platform/forms.server'
import { markdownToPlainExcerpt } from '~/platform/markdown.server'
import { invariantResponse, questionPath, requireId } from '~/platform/misc'
import { can, canOnTarget } from '~/platform/auth/permissions'
import { forbidden, forbiddenOnTarget, requireUserWithPermission } from '~/platform/auth/permissions.server'
import { useOptionalUser } from '~/root'
import { AnswerSchema, AnswerTargetSchema, VoteSchema } from '~/forum/forms.server'
import { ConvertSchema } from '~/tickets/forms.server'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { WatchControls } from '~/notifications/ui/watch-controls'
import { setWatch } from '~/notifications/watches.server'
import { WatchSchema } from '~/notifications/forms.server'

export async function loader({ params, context }: LoaderFunctionArgs) {
  const user = getUser(context)
  const thread = await getThread({ questionId: requireId(params.id), viewerId: user?.id ?? null, canModerate: can(user, 'moderate:content:any') })
  invariantResponse(thread, 'There is no such question. It may have been deleted.')
  // Only the asker and support staff learn that the thread became a private ticket.
  const [ticketNumber, related] = await Promise.all([
    user && (user.id === thread.question.authorId || can(user, 'work:ticket:any')) ? getTicketNumberForQuestion({ questionId: thread.question.id }) : null,
    findRelatedQuestions(thread.question),
  ])
  return json({ ...thread, ticketNumber, related, description: markdownToPlainExcerpt(thread.question.bodyHtml, 160), now: new Date().toISOString() })
}

const answerRefusedResponse = (reason: 'locked' | 'blocked') =>
  forbidden(reason === 'locked' ? 'This thread is locked: it takes no new answers.' : 'You cannot answer this member’s question: one of you has blocked the other.')

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const questionId = requireId(params.id)
  const formData = await request.formData()
  const intent = formData.get('intent')

  if (intent === 'answer') {
    requireUserWithPermission(request, context, 'create:answer')
    const submission = parseForm(formData, AnswerSchema)
    if (submission.status !== 'success') return badRequest(submission)
    const refusal = await answerRefusal({ questionId, authorId: user.id })
    invariantResponse(refusal !== 'not-found', 'There is no such question. It may have been deleted.')
    if (refusal) throw answerRefusedResponse(refusal)
    const limited = await rateLimitRefusal({ action: 'post-answer', context })
    if (limited) return rateLimitedForm(formData, limited)
    const answer = await createAnswer({ questionId, authorId: user.id, bodySource: submission.value.body }).catch((error: unknown) => {
      // Locked or blocked since the check above.
      throw error instanceof AnswerRefused ? answerRefusedResponse(error.reason) : error
    })
    invariantResponse(answer, 'There is no such question. It may have been deleted.')
    return redirect(`/questions/${questionId}#answer-${answer.id}`)
  }

  if (intent === 'watch') {
    const submission = parseForm(formData, WatchSchema)
    invariantResponse(submission.status === 'success', 'Choose watch, mute or neither.', { status: 400 })
    // A thread the member may not see cannot be watched either.
    const thread = await getThread({ questionId, viewerId: user.id, canModerate: can(user, 'moderate:content:any') })
    invariantResponse(thread, 'There is no such question. It may have been deleted.')
    const { level } = submission.value
    await setWatch({ userId: user.id, target: { questionId }, level })
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

  if (intent === 'vote') {
    requireUserWithPermission(request, context, 'vote:answer')
    const submission = parseForm(formData, VoteSchema)
    invariantResponse(submission.status === 'success', 'That vote was not understood.', { status: 400 })
    const { answerId, value } = submission.value
    // Only on an answer of this thread that the voter may see: anything else is not there for them.
    const result = await voteOnAnswer({ answerId, questionId, voterId: user.id, value: value === 'up' ? 1 : value === 'down' ? -1 : 0 })
    if (!result.ok && result.reason === 'own-answer') throw forbidden('You cannot vote on your own answer.')
    invariantResponse(result.ok, 'There is no such answer.')
    return redirect(`/questions/${questionId}#answer-${answerId}`)
  }

  const submission = parseForm(formData, AnswerTargetSchema)
  invariantResponse(submission.status === 'success', 'Choose an answer.', { status: 400 })
  const { answerId } = submission.value
  const question = await getQuestionForEdit({ questionId })
  invariantResponse(question && questionVisibleTo(question, viewerOf(user)), 'There is no such question.')

  let changed: boolean
  if (intent === 'accept' || intent === 'unaccept') {
    const isAsker = question.authorId === user.id
    if (!canOnTarget(user, 'accept:answer', isAsker)) throw forbiddenOnTarget(user, isAsker, 'Only the person who asked (or staff) can accept an answer.')
    changed = await setAcceptedAnswer({ questionId, answerId: intent === 'accept' ? answerId : null, actorId: user.id })
  } else if (intent === 'mark-official' || intent === 'unmark-official') {
    if (!can(user, 'mark-official:answer:any')) throw forbidden('Only support agents and admins can mark an official answer.')
    changed = await setOfficialAnswer({ questionId, answerId: intent === 'mark-official' ? answerId : null, staffId: user.id })
  } else {
    throw json({ message: 'Unknown action.' }, { status: 400 })
  }
  // Also false when the answer is hidden from the actor (or the question became so meanwhile).
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

/** What the author (hidden) or a moderator (hidden or removed) sees in place of the public view. */
function ModerationNotice({ kind, hiddenReason, removedReason, editPath }: { kind: 'question' | 'answer'; hiddenReason: string | null; removedReason: string | null; editPath: string | null }) {
  if (removedReason)
    return (
      <p className="notice notice-moderation" role="status">
        This {kind} was removed by a moderator: {removedReason}
      </p>
    )
  if (!hiddenReason) return null
  return (
    <p className="notice notice-moderation" role="status">
      This {kind} is hidden from other members: {hiddenReason}{' '}
      {editPath ? (
        <>
          You may <Link to={editPath}>edit it once</Link> to ask a moderator for another review, or appeal at <Link to="/me/moderation">your moderation page</Link>.
        </>
      ) : null}
    </p>
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
  const { question, answers, revisions, now, ticketNumber, related } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const user = useOptionalUser()
  const converting = actionData && 'intent' in actionData && actionData.intent === 'convert-to-ticket'
  const answerForm = formState(actionData && 'result' in actionData && !converting ? actionData.result : undefined)
  const convertForm = formState(converting ? actionData.result : undefined)
  const existingTicket = converting && 'existingTicket' in actionData ? (actionData.existingTicket as number) : null
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
            asked by <UserLink username={question.authorUsername} /> <RoleBadge role={question.authorRole} />{' '}
            <time dateTime={question.createdAt} title={formatDateTime(question.createdAt)}>
              {formatAge(question.createdAt, now)}
            </time>
          </span>
        </p>
        <TagLinks names={question.tagNames} />
        {user ? <WatchControls level={question.viewerWatch} what="thread" /> : null}
      </header>
      <ModerationNotice kind="question" hiddenReason={question.hiddenAt ? question.hiddenReason : null} removedReason={question.removedAt ? question.removedReason : null} editPath={isAsker && !question.reviewEditUsed ? `/questions/${question.id}/edit` : null} />
      {question.lockedAt ? (
        <p className="notice" role="status">
          This thread is locked by a moderator: {question.lockedReason}
        </p>
      ) : null}
      {ticketNumber ? (
        <p className="notice" role="status">
          Our support staff have taken this question to a private support ticket: <Link to={`/tickets/${ticketNumber}`}>#{ticketNumber}</Link>.
        </p>
      ) : null}
      <div className="post-body" dangerouslySetInnerHTML={{ __html: question.bodyHtml }} />
      <RevisionHistory revisions={revisions.filter((r) => r.postKind === 'question')} editedAt={question.editedAt} now={now} />
      {can(user, 'work:ticket:any') && !ticketNumber ? (
        <Form method="post" className="inline-form convert-form" noValidate>
          <FormErrors errors={convertForm.formErrors} />
          {existingTicket ? (
            <p>
              <Link to={`/tickets/${existingTicket}`}>Open ticket #{existingTicket}</Link>
            </p>
          ) : null}
          <SelectField label="Ticket priority" name="priority" id="convert-priority" defaultValue="medium" options={PRIORITY_OPTIONS} errors={convertForm.errorsFor('priority')} />
          <button type="submit" name="intent" value="convert-to-ticket" className="secondary">
            Convert to ticket
          </button>
        </Form>
      ) : null}
      <p className="answer-actions">
        {canOnTarget(user, 'update:post', isAsker) ? <Link to={`/questions/${question.id}/edit`}>Edit question</Link> : null}
        {user && !isAsker ? (
          <Link to={`/report?target=question:${question.id}`} className="report-link">
            Report question
          </Link>
        ) : null}
      </p>

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
              <ModerationNotice kind="answer" hiddenReason={a.hiddenAt ? a.hiddenReason : null} removedReason={a.removedAt ? a.removedReason : null} editPath={isOwn && !a.reviewEditUsed ? `/answers/${a.id}/edit` : null} />
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
                    answered by <UserLink username={a.authorUsername} /> <RoleBadge role={a.authorRole} />{' '}
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
                    {user && !isOwn ? (
                      <Link to={`/report?target=answer:${a.id}`} className="report-link">
                        Report answer
                      </Link>
                    ) : null}
                  </div>
                </div>
              </div>
            </article>
          )
        })}
      </section>

      {related.length > 0 ? (
        <section aria-labelledby="related-heading" className="related">
          <h2 id="related-heading">Related questions</h2>
          <QuestionLinks hits={related} />
        </section>
      ) : null}

      <section aria-labelledby="your-answer-heading" className="your-answer">
        <h2 id="your-answer-heading">Your answer</h2>
        {question.lockedAt ? (
          <p className="muted">This thread is locked and takes no new answers.</p>
        ) : user ? (
          <Form method="post" noValidate>
            <FormErrors errors={answerForm.formErrors} />
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
