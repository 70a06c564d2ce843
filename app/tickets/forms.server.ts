import { z } from 'zod'
import { isValidTimeZone } from '~/tickets/sla/calendar'
import { TICKET_PRIORITIES, type TicketPriority } from '~/tickets/sla/engine'
import { MAX_ID } from '~/platform/misc'

const priority = z.enum(TICKET_PRIORITIES, { errorMap: () => ({ message: 'Choose a priority.' }) })
const optionalText = (max: number, label: string) => z.string().max(max, `Keep ${label} under ${max.toLocaleString('en-US')} characters.`).optional().default('')

export const NewTicketSchema = z.object({
  subject: z.string({ required_error: 'Give your request a subject.' }).trim().min(5, 'Make the subject at least 5 characters.').max(150, 'Keep the subject under 150 characters.'),
  priority,
  whatHappened: z
    .string({ required_error: 'Tell us what happened.' })
    .min(20, 'Tell us a little more about what happened: at least 20 characters.')
    .max(20_000, 'Keep it under 20,000 characters.'),
  stepsTried: optionalText(10_000, 'the steps'),
  environment: optionalText(500, 'the device details'),
  accountDetails: optionalText(2_000, 'the account details'),
})

export const TicketReplySchema = z.object({
  body: z.string({ required_error: 'Write a message first.' }).min(2, 'Write a message first.').max(30_000, 'Keep it under 30,000 characters.'),
  statusAfter: z.enum(['keep', 'open', 'pending', 'solved']).optional().default('keep'),
})

export const TicketStatusSchema = z.object({ status: z.enum(['open', 'pending', 'solved', 'closed'], { errorMap: () => ({ message: 'Choose a status.' }) }) })
export const TicketPrioritySchema = z.object({ priority })
export const ReasonSchema = z.object({
  reason: z.string({ required_error: 'Give a reason.' }).trim().min(5, 'Give a reason of at least 5 characters.').max(1_000, 'Keep the reason under 1,000 characters.'),
})
export const AssignSchema = z.object({ assigneeId: z.union([z.literal('none'), z.coerce.number().int().positive().max(MAX_ID)], { errorMap: () => ({ message: 'Choose an agent.' }) }) })
export const RatingSchema = z.object({
  score: z.coerce.number({ required_error: 'Choose a rating from 1 to 5.', invalid_type_error: 'Choose a rating from 1 to 5.' }).int().min(1, 'Choose a rating from 1 to 5.').max(5, 'Choose a rating from 1 to 5.'),
  comment: optionalText(2_000, 'the comment'),
})
export const ConvertSchema = z.object({ priority })

/**
 * The largest inbound-mail request read: the provider's JSON, attachments included (they are sent
 * inline, base64, and Parley stores none of them, so they only need to fit). The schema's own
 * fields come to well under 2 MB even with every character escaped.
 */
export const MAX_INBOUND_EMAIL_BYTES = 10 * 1024 * 1024

export const InboundEmailSchema = z.object({
  from: z.string().min(3).max(320),
  subject: z.string().max(500).default(''),
  text: z.string().max(200_000).default(''),
  'message-id': z.string().min(3).max(500),
  'in-reply-to': z.string().max(500).nullish(),
  /** The To and Cc as the provider gives them: tells mail to the escalation address apart. */
  to: z.string().max(5_000).nullish(),
  cc: z.string().max(5_000).nullish(),
  /**
   * The mail's other headers, as a map or as [name, value] pairs (providers differ): how auto-replies,
   * bounces and loops are told from mail a person wrote.
   */
  headers: z
    .union([z.record(z.string().max(10_000)), z.array(z.tuple([z.string().max(200), z.string().max(10_000)])).max(500)])
    .optional()
    .default({}),
})

const minutes = (label: string) =>
  z.coerce
    .number({ required_error: `Enter the ${label} in minutes.`, invalid_type_error: `Enter the ${label} in minutes.` })
    .int('Use whole minutes.')
    .min(1, `The ${label} must be at least 1 minute.`)
    .max(60 * 24 * 90, `The ${label} must be under 90 days.`)

const policySchema = z.object({
  firstResponseMinutes: minutes('first response target'),
  resolutionMinutes: minutes('resolution target'),
  updateMinutes: minutes('update interval').optional(),
  afterHoursFirstResponseMinutes: minutes('first response target outside business hours').optional(),
  businessHours: z.literal('on').optional(),
})
/** Field names are `critical.firstResponseMinutes` and so on; conform reads the dots as nesting. */
export const SlaPoliciesSchema = z.object(Object.fromEntries(TICKET_PRIORITIES.map((p) => [p, policySchema])) as Record<TicketPriority, typeof policySchema>)

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time such as 09:00.')
export const BusinessWeekSchema = z
  .object({
    timeZone: z.string({ required_error: 'Enter a time zone.' }).refine(isValidTimeZone, 'Use a time zone name such as America/Los_Angeles.'),
    opensAt: clock,
    closesAt: clock,
    weekdays: z.array(z.coerce.number().int().min(1).max(7), { required_error: 'Choose at least one working day.' }).min(1, 'Choose at least one working day.'),
  })
  .refine((w) => w.opensAt < w.closesAt, { path: ['closesAt'], message: 'Closing time must be after opening time.' })

export const HolidaySchema = z.object({
  day: z.string({ required_error: 'Choose a date.' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose a date.'),
  name: z.string({ required_error: 'Name the holiday.' }).trim().min(2, 'Name the holiday.').max(100, 'Keep the name under 100 characters.'),
})
export const RemoveHolidaySchema = z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })
