import { json, redirect } from '@remix-run/node'
import { z } from 'zod'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse } from '~/platform/misc'
import { forbidden } from '~/platform/auth/permissions.server'
import { addTicketMessage, assignTicket, changeTicketPriority, changeTicketStatus, escalateTicket, requestEscalation, type ChangeResult } from './changes.server'
import { AssignSchema, RatingSchema, ReasonSchema, TicketPrioritySchema, TicketReplySchema, TicketStatusSchema } from './forms.server'
import { isStaff, type TicketViewer } from './internals.server'
import { rateTicket } from './rating.server'
import { discardDraft } from '~/composer/drafts.server'
import { ticketReplyDraftKey } from '~/composer/keys'
import { previewReply } from '~/composer/preview.server'
import { CallBackDoneSchema, checkCallBackForm, completeCallBack, requestCallBack } from './call-backs.server'

/** One message for "no such ticket" and "not yours": a ticket's number says nothing about it. */
export const TICKET_NOT_FOUND = 'There is no such ticket, or it is not yours to see.'

type IntentInput = {
  number: number
  user: TicketViewer & { isPremium?: boolean }
  /** The viewer's time zone, in which a call-back window is read. */
  timeZone?: string
  formData: FormData
  /**
   * Asked only once a public reply has passed validation, so a form with errors costs no hit;
   * returns the refusal to send back, or null to go on. The route owns the rate limit.
   */
  limitReply: () => Promise<Response | null>
  /** Stores the message's attached files (checked by the route already) as private uploads; their ids. */
  saveAttachments?: () => Promise<number[]>
}

type IntentContext = IntentInput & {
  intent: string
  staff: boolean
  staffOnly: () => void
  fail: (submission: Parameters<typeof badRequest>[0]) => ReturnType<typeof badRequest>
}

function outcome(result: ChangeResult, number: number, invalidMessage: string) {
  if (!result.ok && result.reason === 'forbidden') throw forbidden()
  invariantResponse(result.ok || result.reason !== 'not-found', TICKET_NOT_FOUND)
  if (!result.ok) throw json({ message: invalidMessage }, { status: 400 })
  return redirect(`/tickets/${number}`)
}

async function replyOrNote({ intent, number, user, formData, staff, staffOnly, fail, limitReply, saveAttachments }: IntentContext) {
  const submission = parseForm(formData, TicketReplySchema)
  if (submission.status !== 'success') return fail(submission)
  const { body, statusAfter } = submission.value
  if (intent === 'note') staffOnly()
  // Every reply mails the other side; notes stay inside (and staff are exempt anyway).
  if (intent === 'reply') {
    const limited = await limitReply()
    if (limited) return limited
  }
  const result = await addTicketMessage({
    number,
    author: user,
    bodySource: body,
    attachmentIds: saveAttachments ? await saveAttachments() : [],
    internal: intent === 'note',
    statusAfter: staff && statusAfter !== 'keep' ? statusAfter : null,
  })
  if (!result.ok && result.reason === 'forbidden') throw forbidden()
  if (!result.ok && result.reason === 'invalid') return fail({ reply: () => submission.reply({ formErrors: ['This ticket is closed; only the customer’s reply reopens it.'] }) })
  invariantResponse(result.ok, TICKET_NOT_FOUND)
  // Sent: the reply's draft is done with (a note is never drafted).
  if (intent === 'reply') await discardDraft({ userId: user.id, key: ticketReplyDraftKey(number) })
  return redirect(`/tickets/${result.number}${result.followUp ? '?followUp=1' : ''}`)
}

async function status({ number, user, formData, staffOnly, fail }: IntentContext) {
  staffOnly()
  const submission = parseForm(formData, TicketStatusSchema)
  if (submission.status !== 'success') return fail(submission)
  return outcome(await changeTicketStatus({ number, staff: user, status: submission.value.status }), number, 'A closed ticket cannot change status; only the customer’s reply reopens it.')
}

async function priority({ number, user, formData, staffOnly, fail }: IntentContext) {
  staffOnly()
  const submission = parseForm(formData, TicketPrioritySchema)
  if (submission.status !== 'success') return fail(submission)
  return outcome(await changeTicketPriority({ number, staff: user, priority: submission.value.priority }), number, 'That priority could not be set.')
}

async function escalate({ number, user, formData, staffOnly, fail }: IntentContext) {
  staffOnly()
  const submission = parseForm(formData, ReasonSchema)
  if (submission.status !== 'success') return fail(submission)
  const result = await escalateTicket({ number, staff: user, reason: submission.value.reason })
  if (!result.ok && result.reason === 'invalid') return fail({ reply: () => submission.reply({ formErrors: ['This ticket is already with support management, or closed.'] }) })
  return outcome(result, number, '')
}

async function assign({ intent, number, user, formData, staffOnly, fail }: IntentContext) {
  staffOnly()
  const invalid = 'Tickets can be assigned only to agents and admins.'
  if (intent === 'assign-me') return outcome(await assignTicket({ number, staff: user, assigneeId: user.id }), number, invalid)
  const submission = parseForm(formData, AssignSchema)
  if (submission.status !== 'success') return fail(submission)
  const { assigneeId } = submission.value
  return outcome(await assignTicket({ number, staff: user, assigneeId: assigneeId === 'none' ? null : assigneeId }), number, invalid)
}

async function askForEscalation({ number, user, formData, fail }: IntentContext) {
  const submission = parseForm(formData, ReasonSchema)
  if (submission.status !== 'success') return fail(submission)
  const result = await requestEscalation({ number, requester: user, reason: submission.value.reason })
  if (!result.ok && result.reason === 'invalid') return fail({ reply: () => submission.reply({ formErrors: ['You have already asked for escalation, or the ticket is closed.'] }) })
  return outcome(result, number, '')
}

async function rate({ number, user, formData, fail }: IntentContext) {
  const submission = parseForm(formData, RatingSchema)
  if (submission.status !== 'success') return fail(submission)
  const result = await rateTicket({ number, by: { requesterId: user.id }, ...submission.value })
  invariantResponse(result.ok || result.reason !== 'not-found', TICKET_NOT_FOUND)
  if (!result.ok) {
    const message = result.reason === 'already-rated' ? 'You have already rated this ticket.' : 'You can rate a ticket once it is solved, until it closes.'
    return fail({ reply: () => submission.reply({ formErrors: [message] }) })
  }
  return redirect(`/tickets/${number}#rating`)
}

async function askForCallBack({ number, user, formData, timeZone, fail }: IntentContext) {
  const submission = parseForm(formData, z.object({}))
  // The ticket's priority is checked again under the lock; the form is checked as for a critical request.
  const checked = await checkCallBackForm({ formData, user: { isPremium: !!user.isPremium }, priority: 'critical', timeZone: timeZone ?? 'UTC' })
  if (checked.status === 'none') return fail({ reply: () => submission.reply({ fieldErrors: { callBackPhone: ['Enter the number we should call, with its country code.'] } }) })
  if (checked.status === 'invalid') return fail({ reply: () => submission.reply({ fieldErrors: checked.fieldErrors, formErrors: checked.formErrors }) })
  const result = await requestCallBack({ number, requester: { ...user, isPremium: !!user.isPremium }, request: checked.request })
  invariantResponse(result.ok || result.reason !== 'not-found', TICKET_NOT_FOUND)
  if (!result.ok && result.reason === 'forbidden') return fail({ reply: () => submission.reply({ formErrors: ['Call backs are for premium members on critical requests of their own.'] }) })
  if (!result.ok) return fail({ reply: () => submission.reply({ formErrors: ['A call back is already on its way, or the ticket is closed.'] }) })
  return redirect(`/tickets/${number}`)
}

async function callBackDone({ number, user, formData, staffOnly, fail }: IntentContext) {
  staffOnly()
  const submission = parseForm(formData, CallBackDoneSchema)
  if (submission.status !== 'success') return fail(submission)
  const result = await completeCallBack({ number, callBackId: submission.value.callBackId, staff: user, note: submission.value.note })
  if (!result.ok && result.reason === 'invalid') return fail({ reply: () => submission.reply({ formErrors: ['That call back is already done.'] }) })
  return outcome(result, number, '')
}

const INTENTS: Record<string, (context: IntentContext) => Promise<Response>> = {
  reply: replyOrNote,
  note: replyOrNote,
  status,
  priority,
  escalate,
  assign,
  'assign-me': assign,
  'request-escalation': askForEscalation,
  rate,
  'call-back-request': askForCallBack,
  'call-back-done': callBackDone,
  // The reply box's Preview button without JavaScript: the page again, with the preview and the text.
  preview: async ({ formData }) => previewReply(formData, 'body', { intent: 'reply' }),
}

/**
 * The ticket page's forms, told apart by their `intent`: each parses its fields, refuses what the
 * viewer may not do, and answers with a redirect or the form's errors (status 400, by intent, so
 * the page shows them beside the right form).
 */
export async function performTicketPageIntent(input: IntentInput): Promise<Response> {
  const intent = String(input.formData.get('intent') ?? '')
  const perform = Object.hasOwn(INTENTS, intent) ? INTENTS[intent] : null
  if (!perform) throw json({ message: 'Unknown action.' }, { status: 400 })
  const staff = isStaff(input.user)
  return perform({
    ...input,
    intent,
    staff,
    staffOnly: () => {
      if (!staff) throw forbidden('Only support agents and admins can do that.')
    },
    fail: (submission) => badRequest(submission, undefined, { intent }),
  })
}
