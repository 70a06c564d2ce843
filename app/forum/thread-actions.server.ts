import { json, redirect } from '@remix-run/node'
import type { AuthUser } from '~/platform/auth/auth.server'
import { can, canOnTarget, restrictionOf } from '~/platform/auth/permissions'
import { forbidden, forbiddenOnTarget, requirePermission, restrictedForm } from '~/platform/auth/permissions.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse, questionPath } from '~/platform/misc'
import { AnswerRefused, answerRefusal, createAnswer, setAcceptedAnswer, setOfficialAnswer, voteOnAnswer } from './answers.server'
import { AnswerSchema, AnswerTargetSchema, QuestionVoteSchema, VoteSchema } from './forms.server'
import { voteOnQuestion } from './question-votes.server'
import { findAnswerPage, getQuestionForEdit, getThreadRevision } from './questions.server'
import { questionVisibleTo, viewerOf } from './visibility.server'
import { discardDraft } from '~/composer/drafts.server'
import { answerDraftKey } from '~/composer/keys'
import { previewReply } from '~/composer/preview.server'
import { gatePost } from '~/moderation/posting-gate.server'

const QUESTION_NOT_FOUND = 'There is no such question. It may have been deleted.'

type ThreadIntentInput = {
  questionId: number
  user: AuthUser
  formData: FormData
  /**
   * Asked only once an answer has passed validation and may be posted, so a refused or invalid
   * answer costs no hit; returns the refusal to send back, or null to go on. The route owns the
   * rate limit.
   */
  limitAnswer: () => Promise<Response | null>
  /** The network address the request came from, for the posting gate. */
  ip?: string | null
  /** Stores the answer's attached files (checked by the route already) and gives back the body with their Markdown. */
  attachToAnswer?: (body: string) => Promise<string>
}

/** Back to the answer, on the page of the thread where it now is (a vote or a mark can move it). */
async function backToAnswer(questionId: number, answerId: number, user: AuthUser) {
  const place = await findAnswerPage({ answerId, viewerId: user.id, canModerate: viewerOf(user).moderates })
  return redirect(place?.path ?? `/questions/${questionId}`)
}

const answerRefusedResponse = (reason: 'locked' | 'blocked') =>
  forbidden(reason === 'locked' ? 'This thread is locked: it takes no new answers.' : 'You cannot answer this member’s question: one of you has blocked the other.')

async function answer({ questionId, user, formData, limitAnswer, attachToAnswer, ip }: ThreadIntentInput) {
  const restriction = restrictionOf(user)
  if (restriction) return restrictedForm(formData, restriction)
  requirePermission(user, 'create:answer')
  const submission = parseForm(formData, AnswerSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const refusal = await answerRefusal({ questionId, authorId: user.id })
  invariantResponse(refusal !== 'not-found', QUESTION_NOT_FOUND)
  if (refusal) throw answerRefusedResponse(refusal)
  // The posting gate (decision 031): refused beside the field, held for approval, or published.
  const gate = await gatePost({ author: user, kind: 'answer', questionId, texts: { body: submission.value.body }, ip })
  if (gate.action === 'block') return badRequest(submission, { fieldErrors: { body: [gate.message] } })
  const limited = await limitAnswer()
  if (limited) return limited
  const bodySource = attachToAnswer ? await attachToAnswer(submission.value.body) : submission.value.body
  const created = await createAnswer({ questionId, authorId: user.id, bodySource, gate }).catch((error: unknown) => {
    // Locked or blocked since the check above.
    throw error instanceof AnswerRefused ? answerRefusedResponse(error.reason) : error
  })
  invariantResponse(created, QUESTION_NOT_FOUND)
  // Posted: the draft it was written in is done with.
  await discardDraft({ userId: user.id, key: answerDraftKey(questionId) })
  return backToAnswer(questionId, created.id, user)
}

async function vote({ questionId, user, formData }: ThreadIntentInput) {
  requirePermission(user, 'vote:answer')
  const submission = parseForm(formData, VoteSchema)
  invariantResponse(submission.status === 'success', 'That vote was not understood.', { status: 400 })
  const { answerId, value } = submission.value
  // Only on an answer of this thread that the voter may see: anything else is not there for them.
  const result = await voteOnAnswer({ answerId, questionId, voterId: user.id, value: voteValue(value) })
  if (!result.ok && result.reason === 'own-answer') throw forbidden('You cannot vote on your own answer.')
  invariantResponse(result.ok, 'There is no such answer.')
  return backToAnswer(questionId, answerId, user)
}

const voteValue = (value: 'up' | 'down' | 'clear') => (value === 'up' ? 1 : value === 'down' ? -1 : 0)

/** A vote on the thread's question: the same permission and refusals as a vote on an answer. */
async function voteQuestion({ questionId, user, formData }: ThreadIntentInput) {
  requirePermission(user, 'vote:question')
  const submission = parseForm(formData, QuestionVoteSchema)
  invariantResponse(submission.status === 'success', 'That vote was not understood.', { status: 400 })
  const result = await voteOnQuestion({ questionId, voterId: user.id, value: voteValue(submission.value.value) })
  if (!result.ok && result.reason === 'own-question') throw forbidden('You cannot vote on your own question.')
  invariantResponse(result.ok, QUESTION_NOT_FOUND)
  const thread = await getThreadRevision({ questionId })
  return redirect(`${thread ? questionPath({ id: questionId, title: thread.title }) : `/questions/${questionId}`}#question`)
}

/** Accept, unaccept, mark or unmark official; any other intent is refused only after the answer and question checks. */
async function markAnswer({ questionId, user, formData }: ThreadIntentInput, intent: FormDataEntryValue | null) {
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
  return backToAnswer(questionId, answerId, user)
}

/**
 * The thread page's forum forms, told apart by their `intent`: answer (and its preview), vote (on an answer), vote-question, accept/unaccept and
 * mark-official/unmark-official. Each parses its fields, refuses what the member may not do, and
 * answers with a redirect or the answer form's errors (status 400, 429 from the rate limit).
 * Watching and converting to a ticket belong to other domains and stay with the route.
 */
export async function performThreadIntent(input: ThreadIntentInput): Promise<Response> {
  const intent = input.formData.get('intent')
  if (intent === 'answer') return answer(input)
  // The answer box's Preview button without JavaScript: the page again, with the preview and the text.
  if (intent === 'preview') return previewReply(input.formData, 'body')
  if (intent === 'vote') return vote(input)
  if (intent === 'vote-question') return voteQuestion(input)
  return markAnswer(input, intent)
}
