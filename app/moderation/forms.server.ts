import { z } from 'zod'
import { reportReason } from '#db/schema/index'
import { parseForm } from '~/platform/forms.server'
import { APPEAL_ACTIONS } from './appeal-actions'
import { CONFLICT_ACTIONS } from './conflict-actions'
import { REPORT_ACTIONS, TAKES_DAYS } from './report-actions'
import { QUEUED_POST_ACTIONS } from './queued-post-actions'
import { MAX_ID } from '~/platform/misc'

export const ReportSchema = z
  .object({
    reason: z.enum(reportReason.enumValues, { errorMap: () => ({ message: 'Choose why you are reporting this.' }) }),
    note: z.string().trim().max(2_000, 'Keep the note under 2,000 characters.').optional().default(''),
  })
  .superRefine((value, ctx) => {
    if ((value.reason === 'other' || value.reason === 'copyright') && value.note.length < 5)
      ctx.addIssue({ code: 'custom', path: ['note'], message: value.reason === 'other' ? 'Tell the moderators what is wrong.' : 'Say whose work this is and where the original is.' })
  })

const reason = z
  .string({ required_error: 'Give a reason; the member will see it.' })
  .trim()
  .min(5, 'Give a reason of at least 5 characters; the member will see it.')
  .max(1_000, 'Keep the reason under 1,000 characters.')

export const VersionSchema = z.object({ version: z.coerce.number().int().min(0).max(MAX_ID) })

const days = z.coerce.number({ invalid_type_error: 'Enter a number of days.' }).int('Use whole days.').min(1, 'Suspend for at least 1 day.').max(365, 'Suspend for at most 365 days.').optional()

/** A suspension needs its length; the other decisions ignore the field. */
function requireDays(suspends: boolean, value: { days?: number }, ctx: z.RefinementCtx) {
  if (suspends && !value.days) ctx.addIssue({ code: 'custom', path: ['days'], message: 'Enter how many days to suspend for.' })
}

const ticked = z
  .literal('on', { errorMap: () => ({ message: 'Tick the box or leave it empty.' }) })
  .optional()
  .transform((value) => value === 'on')

export const ReportDecisionSchema = VersionSchema.extend({
  action: z.enum(REPORT_ACTIONS, { errorMap: () => ({ message: 'Choose an action.' }) }),
  reason,
  days,
  // A ban offers to screen the member's address and network addresses (decision 032).
  screenEmail: ticked,
  screenIps: ticked,
}).superRefine((value, ctx) => {
  requireDays(TAKES_DAYS.includes(value.action), value, ctx)
  for (const field of ['screenEmail', 'screenIps'] as const)
    if (value[field] && value.action !== 'ban') ctx.addIssue({ code: 'custom', path: [field], message: 'Screening goes with a ban: choose “Ban the author”, or untick this.' })
})

export const AppealDecisionSchema = VersionSchema.extend({
  outcome: z.enum(APPEAL_ACTIONS, { errorMap: () => ({ message: 'Choose an outcome.' }) }),
  reason,
})

export const ConflictDecisionSchema = VersionSchema.extend({
  outcome: z.enum(CONFLICT_ACTIONS, { errorMap: () => ({ message: 'Choose an outcome.' }) }),
  reason,
  userIds: z.array(z.coerce.number().int().positive().max(MAX_ID)).optional().default([]),
  days,
}).superRefine((value, ctx) => requireDays(value.outcome === 'suspension', value, ctx))

/** A queued post: a reason is needed to reject (the author reads it); an edit only to edit and approve. */
export const QueuedPostDecisionSchema = VersionSchema.extend({
  action: z.enum(QUEUED_POST_ACTIONS, { errorMap: () => ({ message: 'Choose a decision.' }) }),
  reason: z.string().trim().max(1_000, 'Keep the reason under 1,000 characters.').optional().default(''),
  title: z.string().trim().max(150, 'Keep the title under 150 characters.').optional(),
  body: z.string().max(30_000, 'Keep it under 30,000 characters.').optional(),
}).superRefine((value, ctx) => {
  if (value.action === 'reject' && value.reason.length < 5) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Give a reason of at least 5 characters; the author will see it.' })
  if (value.action === 'edit-approve' && !value.body?.trim()) ctx.addIssue({ code: 'custom', path: ['body'], message: 'Write the post as it should be published.' })
  if (value.action === 'edit-approve' && value.title !== undefined && value.title.length < 10) ctx.addIssue({ code: 'custom', path: ['title'], message: 'Make the title at least 10 characters.' })
})

export const ReverseSchema = z.object({ actionId: z.coerce.number().int().positive().max(MAX_ID), reason })
export const NoteSchema = z.object({ note: z.string().trim().max(5_000).optional().default('') })

export const AppealSchema = z.object({
  actionId: z.coerce.number().int().positive().max(MAX_ID),
  statement: z
    .string({ required_error: 'Tell the moderators why the decision should change.' })
    .trim()
    .min(20, 'Explain in at least 20 characters why the decision should change.')
    .max(5_000, 'Keep it under 5,000 characters.'),
})

export const WithdrawSchema = z.object({ reportId: z.coerce.number().int().positive().max(MAX_ID) })

export const ConflictSchema = z.object({
  username: z.string({ required_error: 'Who is this about? Enter their username.' }).trim().min(1, 'Who is this about? Enter their username.').max(40),
  description: z
    .string({ required_error: 'Tell the moderators what happened.' })
    .trim()
    .min(30, 'Tell the moderators what happened, in at least 30 characters.')
    .max(10_000, 'Keep it under 10,000 characters.'),
  links: z.string().trim().max(2_000, 'Keep the links under 2,000 characters.').optional().default(''),
})

export const MessageSchema = z.object({
  body: z.string({ required_error: 'Write a message first.' }).trim().min(2, 'Write a message first.').max(10_000, 'Keep it under 10,000 characters.'),
})

export const UsernameSchema = z.object({ username: z.string({ required_error: 'Enter a username.' }).trim().min(1, 'Enter a username.').max(40) })

/** A form parsed with its schema: the typed value, or the submission to answer with its errors. */
function parsed<I extends string, S extends z.ZodTypeAny>(intent: I, formData: FormData, schema: S) {
  const submission = parseForm(formData, schema)
  return submission.status === 'success' ? { intent, ok: true as const, value: submission.value as z.output<S>, submission } : { intent, ok: false as const, submission }
}

/**
 * The forms of a queue item's page, told apart by their intent and each parsed with its schema;
 * null for an intent the page does not have.
 */
export function parseReviewItemForm(formData: FormData) {
  const intent = String(formData.get('intent') ?? '')
  switch (intent) {
    case 'claim':
      return { intent, ok: true as const }
    case 'release':
      return { intent, ok: true as const }
    case 'decide-report':
      return parsed(intent, formData, ReportDecisionSchema)
    case 'decide-appeal':
      return parsed(intent, formData, AppealDecisionSchema)
    case 'decide-conflict':
      return parsed(intent, formData, ConflictDecisionSchema)
    case 'decide-queued-post':
      return parsed(intent, formData, QueuedPostDecisionSchema)
    case 'message':
      return parsed(intent, formData, MessageSchema)
    case 'open-conflict':
      return parsed(intent, formData, NoteSchema)
    case 'reverse':
      return parsed(intent, formData, ReverseSchema)
    default:
      return null
  }
}
