import { json } from '@remix-run/node'
import { z } from 'zod'
import { SCREENED_KINDS, SCREENING_ACTIONS, PENALTY_KINDS } from '#db/enums'
import type { SubmissionReply } from '~/platform/form-state'
import { MAX_ID } from '~/platform/misc'
import { POSTING_BLOCKED_MESSAGE } from './screening.server'
import { QUICK_ACTION_NAMES } from './quick-actions'
import { REPORT_ACTIONS, TAKES_DAYS } from './report-actions'

/**
 * A post refused by screening: a 403 with the reason above the form and everything typed still in
 * it, like a rate-limited or restricted form.
 */
export function screenedForm<Extra extends Record<string, unknown> = Record<never, never>>(formData: FormData, extra?: Extra) {
  const initialValue = Object.fromEntries([...formData].filter(([name, value]) => typeof value === 'string' && !/password/i.test(name)))
  const result: SubmissionReply = { initialValue, error: { '': [POSTING_BLOCKED_MESSAGE] } }
  return json({ result, ...(extra as Extra) }, { status: 403 })
}

export const ScreenedEntrySchema = z.object({
  kind: z.enum(SCREENED_KINDS, { errorMap: () => ({ message: 'Choose what to screen: an email address, a domain or an IP range.' }) }),
  value: z.string({ required_error: 'Enter what to screen.' }).trim().min(1, 'Enter what to screen.').max(254, 'Keep it under 254 characters.'),
  action: z.enum(SCREENING_ACTIONS, { errorMap: () => ({ message: 'Choose what happens: block, or require approval.' }) }),
  reason: z.string().trim().max(500, 'Keep the note under 500 characters.').optional().default(''),
})

export const IdSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) })

export const PenaltyTemplateSchema = z
  .object({
    name: z.string({ required_error: 'Name the template.' }).trim().min(2, 'Name the template (at least 2 characters).').max(80, 'Keep the name under 80 characters.'),
    reason: z.string({ required_error: 'Write the reason the member is told.' }).trim().min(5, 'Write the reason the member is told (at least 5 characters).').max(1_000, 'Keep the reason under 1,000 characters.'),
    penalty: z.enum(PENALTY_KINDS, { errorMap: () => ({ message: 'Choose a penalty.' }) }),
    days: z.coerce.number({ invalid_type_error: 'Enter a number of days.' }).int('Use whole days.').min(1, 'At least 1 day.').max(365, 'At most 365 days.').optional(),
  })
  .superRefine((value, ctx) => {
    if (value.penalty !== 'none' && !value.days) ctx.addIssue({ code: 'custom', path: ['days'], message: 'Enter how many days the silence or suspension lasts.' })
  })

/** One checked row of the queue: its id and the version the moderator saw, as `id:version`. */
const itemRef = z
  .string()
  .regex(/^\d{1,10}:\d{1,10}$/)
  .transform((value) => {
    const [id, version] = value.split(':').map(Number)
    return { id, version }
  })
  .refine((item) => item.id > 0 && item.id <= MAX_ID && item.version <= MAX_ID)

export const BulkDecisionSchema = z
  .object({
    items: z.array(itemRef, { required_error: 'Select at least one item.' }).min(1, 'Select at least one item.').max(100, 'Decide at most 100 items at once.'),
    action: z.enum(REPORT_ACTIONS, { errorMap: () => ({ message: 'Choose an action.' }) }),
    reason: z.string({ required_error: 'Give a reason, or choose a canned reason; the members will see it.' }).trim().min(5, 'Give a reason of at least 5 characters, or choose a canned reason; the members will see it.').max(1_000, 'Keep the reason under 1,000 characters.'),
    days: z.coerce.number({ invalid_type_error: 'Enter a number of days.' }).int('Use whole days.').min(1, 'At least 1 day.').max(365, 'At most 365 days.').optional(),
  })
  .superRefine((value, ctx) => {
    if (TAKES_DAYS.includes(value.action) && !value.days) ctx.addIssue({ code: 'custom', path: ['days'], message: 'Enter how many days to silence or suspend for.' })
  })

/** A row's quick-action button sends `agree:12:3` (the action, the item, the version it showed). */
export const QuickDecisionSchema = z.object({
  quick: z
    .string()
    .regex(/^[a-z]{1,10}:\d{1,10}:\d{1,10}$/)
    .transform((value) => {
      const [quick, id, version] = value.split(':')
      return { quick, item: { id: Number(id), version: Number(version) } }
    })
    .pipe(z.object({ quick: z.enum(QUICK_ACTION_NAMES), item: z.object({ id: z.number().int().positive().max(MAX_ID), version: z.number().int().min(0).max(MAX_ID) }) })),
})

export const DeleteSpammerSchema = z.object({
  userId: z.coerce.number().int().positive().max(MAX_ID),
  confirm: z.literal('on', { errorMap: () => ({ message: 'Tick the box to confirm: this removes every post of the account and bans it.' }) }),
})

export const StaffNoteSchema = z.object({
  body: z.string({ required_error: 'Write the note first.' }).trim().min(2, 'Write the note first.').max(5_000, 'Keep the note under 5,000 characters.'),
})
