import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { decideAppeal } from '~/moderation/appeal.server'
import { openConflictFromReport, postConflictMessage, resolveConflict } from '~/moderation/conflict.server'
import { refusalMessage, type DecideResult } from '~/moderation/decision'
import { AppealDecisionSchema, ConflictDecisionSchema, MessageSchema, NoteSchema, ReportDecisionSchema, ReverseSchema } from '~/moderation/forms.server'
import { claimReviewItem, decisionsFor, getReviewItem } from '~/moderation/queue.server'
import { decideReport } from '~/moderation/report.server'
import { reverseModerationAction } from '~/moderation/reversal.server'
import { ReviewItem } from '~/moderation/ui/review-item'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse, requireId } from '~/platform/misc'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const moderator = requireUserWithPermission(request, context, 'moderate:content:any')
  const data = await getReviewItem({ id: requireId(params.id) })
  invariantResponse(data, 'There is no such queue item.')
  // The same rules decide* apply, so the form offers only what the server accepts.
  return json({ ...data, viewerId: moderator.id, decisions: decisionsFor(data, moderator) })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const moderator = requireUserWithPermission(request, context, 'moderate:content:any')
  const id = requireId(params.id)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const here = `/mod/queue/${id}`
  const fail = (submission: Parameters<typeof badRequest>[0], message?: string) => badRequest(submission, message ? { formErrors: [message] } : undefined, { intent })
  const decided = (submission: Parameters<typeof badRequest>[0], result: DecideResult) => {
    if (result.ok) return redirect(here)
    invariantResponse(result.reason !== 'not-found', 'There is no such queue item.')
    return badRequest(submission, { formErrors: [refusalMessage(result)] }, { intent, conflict: result.reason === 'conflict' })
  }

  if (intent === 'claim' || intent === 'release') {
    await claimReviewItem({ id, moderatorId: moderator.id, release: intent === 'release' })
    return redirect(here)
  }
  if (intent === 'decide-report') {
    const submission = parseForm(formData, ReportDecisionSchema)
    if (submission.status !== 'success') return fail(submission)
    return decided(submission, await decideReport({ id, moderator, ...submission.value }))
  }
  if (intent === 'decide-appeal') {
    const submission = parseForm(formData, AppealDecisionSchema)
    if (submission.status !== 'success') return fail(submission)
    return decided(submission, await decideAppeal({ id, moderator, ...submission.value }))
  }
  if (intent === 'decide-conflict') {
    const submission = parseForm(formData, ConflictDecisionSchema)
    if (submission.status !== 'success') return fail(submission)
    return decided(submission, await resolveConflict({ id, moderator, ...submission.value }))
  }
  if (intent === 'message') {
    const submission = parseForm(formData, MessageSchema)
    if (submission.status !== 'success') return fail(submission)
    const result = await postConflictMessage({ id, author: moderator, canModerate: true, body: submission.value.body })
    invariantResponse(result !== 'not-found', 'There is no such conflict case.')
    if (result === 'closed') return fail(submission, 'This case is closed.')
    return redirect(here)
  }
  if (intent === 'open-conflict') {
    const submission = parseForm(formData, NoteSchema)
    if (submission.status !== 'success') return fail(submission)
    const conflictId = await openConflictFromReport({ reportItemId: id, moderator, note: submission.value.note })
    invariantResponse(conflictId, 'Only a report item can become a conflict case.', { status: 400 })
    return redirect(`/mod/queue/${conflictId}`)
  }
  if (intent === 'reverse') {
    const submission = parseForm(formData, ReverseSchema)
    if (submission.status !== 'success') return fail(submission)
    const result = await reverseModerationAction({ moderator, ...submission.value })
    if (!result.ok) return fail(submission, result.message)
    return redirect(here)
  }
  throw json({ message: 'Unknown action.' }, { status: 400 })
}

export default function ReviewItemPage() {
  return <ReviewItem data={useLoaderData<typeof loader>()} actionData={useActionData<typeof action>()} />
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Queue item #${data.item.id} · Parley` : 'Not found · Parley' }]
