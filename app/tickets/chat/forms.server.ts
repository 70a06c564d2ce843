import { z } from 'zod'
import { TICKET_PRIORITIES } from '~/tickets/sla/engine'
import { MAX_ID } from '~/platform/misc'
import { MAX_CAPACITY, MAX_CHAT_MESSAGE, MIN_CAPACITY } from './constants'

const message = z
  .string({ required_error: 'Write a message first.' })
  .trim()
  .min(1, 'Write a message first.')
  .max(MAX_CHAT_MESSAGE, `Keep a message under ${MAX_CHAT_MESSAGE.toLocaleString('en-US')} characters.`)

export const StartChatSchema = z.object({ body: message })
export const ChatMessageSchema = z.object({ body: message })
export const AvailabilitySchema = z.object({
  available: z.enum(['available', 'away'], { errorMap: () => ({ message: 'Choose available or away.' }) }),
  capacity: z.coerce
    .number({ required_error: `Give a capacity from ${MIN_CAPACITY} to ${MAX_CAPACITY}.`, invalid_type_error: `Give a capacity from ${MIN_CAPACITY} to ${MAX_CAPACITY}.` })
    .int(`Give a whole number from ${MIN_CAPACITY} to ${MAX_CAPACITY}.`)
    .min(MIN_CAPACITY, `Give a capacity from ${MIN_CAPACITY} to ${MAX_CAPACITY}.`)
    .max(MAX_CAPACITY, `Give a capacity from ${MIN_CAPACITY} to ${MAX_CAPACITY}.`),
})
export const TransferSchema = z.object({
  to: z
    .string({ required_error: 'Choose who takes the chat.' })
    .regex(/^(tier:[123]|agent:[1-9]\d{0,9})$/, 'Choose who takes the chat.')
    .refine((value) => !value.startsWith('agent:') || Number(value.slice(6)) <= MAX_ID, 'Choose who takes the chat.'),
  note: z.string({ required_error: 'Write a note for whoever takes it.' }).trim().min(3, 'Write a note of at least 3 characters.').max(1_000, 'Keep the note under 1,000 characters.'),
})
export const ConvertChatSchema = z.object({ priority: z.enum(TICKET_PRIORITIES, { errorMap: () => ({ message: 'Choose a priority.' }) }) })
export const ChatRatingSchema = z.object({
  score: z.coerce.number({ required_error: 'Choose a rating from 1 to 5.', invalid_type_error: 'Choose a rating from 1 to 5.' }).int().min(1, 'Choose a rating from 1 to 5.').max(5, 'Choose a rating from 1 to 5.'),
  comment: z.string().trim().max(2_000, 'Keep the comment under 2,000 characters.').optional().default(''),
})
export const CannedReplySchema = z.object({
  title: z.string({ required_error: 'Give the reply a title.' }).trim().min(2, 'Give the reply a title.').max(80, 'Keep the title under 80 characters.'),
  body: z.string({ required_error: 'Write the reply.' }).trim().min(2, 'Write the reply.').max(2_000, 'Keep the reply under 2,000 characters.'),
})
