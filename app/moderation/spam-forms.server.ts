import { z } from 'zod'
import { MAX_ID } from '~/platform/misc'
import { SPAM_SETTINGS, type SpamSettingName } from './spam-rules'
import { MAX_WORD_LENGTH, foldWord } from './watched-words'
import { WATCHED_WORD_ACTIONS } from '#db/enums'

/** One whole number per setting, each within its bounds; the thresholds must leave room to queue before blocking. */
export const SpamSettingsSchema = z
  .object(
    Object.fromEntries(
      SPAM_SETTINGS.map((s) => [
        s.name,
        z
          .number({ required_error: 'Enter a number.', invalid_type_error: 'Enter a whole number.' })
          .int('Use a whole number.')
          .min(s.name === 'queue-at' || s.name === 'block-at' || s.name === 'early-posts' || s.name === 'signup-link-minutes' || s.name === 'duplicate-hours' || s.name === 'velocity-posts' ? 1 : 0, 'Too small.')
          .max(s.max, `At most ${s.max}.`),
      ]),
    ) as Record<SpamSettingName, z.ZodNumber>,
  )
  .superRefine((value, ctx) => {
    if (value['block-at'] <= value['queue-at']) ctx.addIssue({ code: 'custom', path: ['block-at'], message: 'Refuse at a higher score than the one that queues, or nothing would ever wait for approval.' })
  })

export const WatchedWordSchema = z.object({
  word: z
    .string({ required_error: 'Enter a word or phrase.' })
    .trim()
    .min(1, 'Enter a word or phrase.')
    .max(MAX_WORD_LENGTH, `Keep it under ${MAX_WORD_LENGTH} characters.`)
    .refine((w) => /[\p{L}\p{N}]/u.test(foldWord(w)), 'A watched word needs at least one letter or digit.'),
  action: z.enum(WATCHED_WORD_ACTIONS, { errorMap: () => ({ message: 'Choose what the word does.' }) }),
})

export const DeleteWatchedWordSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) })
