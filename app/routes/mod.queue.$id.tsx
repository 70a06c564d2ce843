import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { decideAppeal } from '~/moderation/appeal.server'
import { openConflictFromReport, postConflictMessage, resolveConflict } from '~/moderation/conflict.server'
import { refusalMessage, type DecideResult } from '~/moderation/decision'
import { parseReviewItemForm } from '~/moderation/forms.server'
import { claimReviewItem, decisionsFor, getReviewItem } from '~/moderation/queue.server'
import { decideReport } from '~/moderation/report.server'
import { decideQueuedPost } from '~/moderation/queued-post.server'
import { reverseModerationAction } from '~/moderation/reversal.server'
import { ReviewItem } from '~/moderation/ui/review-item'
import { applyPenaltyTemplate, listPenaltyTemplates } from '~/moderation/penalty-templates.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { badRequest } from '~/platform/forms.server'
import { invariantResponse, requireId } from '~/platform/misc'
import { readFormData, pathParams } from '~/platform/request-input.server'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const moderator = requireUserWithPermission(request, context, 'moderate:content:any')
  const data = await getReviewItem({ id: requireId(pathParams(params).id) })
  invariantResponse(data, 'There is no such queue item.')
  // The same rules decide* apply, so the form offers only what the server accepts.
  return json({ ...data, viewerId: moderator.id, decisions: decisionsFor(data, moderator), templates: data.item.kind === 'report' ? await listPenaltyTemplates() : [] })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const moderator = requireUserWithPermission(request, context, 'moderate:content:any')
  const id = requireId(pathParams(params).id)
  // A canned reason fills in the reason (and days) the moderator left empty.
  const form = parseReviewItemForm(await applyPenaltyTemplate(await readFormData(request)))
  if (!form) throw json({ message: 'Unknown action.' }, { status: 400 })
  const here = `/mod/queue/${id}`
  if (form.intent === 'claim' || form.intent === 'release') {
    await claimReviewItem({ id, moderatorId: moderator.id, release: form.intent === 'release' })
    return redirect(here)
  }
  const { intent, submission } = form
  const fail = (message?: string) => badRequest(submission, message ? { formErrors: [message] } : undefined, { intent })
  if (!form.ok) return fail()
  const decided = (result: DecideResult) => {
    if (result.ok) return redirect(here)
    invariantResponse(result.reason !== 'not-found', 'There is no such queue item.')
    return badRequest(submission, { formErrors: [refusalMessage(result)] }, { intent, conflict: result.reason === 'conflict' })
  }

  switch (form.intent) {
    case 'decide-report':
      return decided(await decideReport({ id, moderator, ...form.value }))
    case 'decide-appeal':
      return decided(await decideAppeal({ id, moderator, ...form.value }))
    case 'decide-conflict':
      return decided(await resolveConflict({ id, moderator, ...form.value }))
    case 'decide-queued-post': {
      const { title, body, ...decision } = form.value
      return decided(await decideQueuedPost({ id, moderator, ...decision, edit: decision.action === 'edit-approve' && body ? { title, body } : null }))
    }
    case 'message': {
      const result = await postConflictMessage({ id, author: moderator, canModerate: true, body: form.value.body })
      invariantResponse(result !== 'not-found', 'There is no such conflict case.')
      return result === 'closed' ? fail('This case is closed.') : redirect(here)
    }
    case 'open-conflict': {
      const conflictId = await openConflictFromReport({ reportItemId: id, moderator, note: form.value.note })
      invariantResponse(conflictId, 'Only a report item can become a conflict case.', { status: 400 })
      return redirect(`/mod/queue/${conflictId}`)
    }
    case 'reverse': {
      const result = await reverseModerationAction({ moderator, reviewItemId: id, ...form.value })
      return result.ok ? redirect(here) : fail(result.message)
    }
  }
}

export default function ReviewItemPage() {
  return <ReviewItem data={useLoaderData<typeof loader>()} actionData={useActionData<typeof action>()} />
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Queue item #${data.item.id} · Parley` : 'Not found · Parley' }]
