import { z } from 'zod'
import { MAX_BIO_LENGTH, MAX_DISPLAY_NAME_LENGTH } from '~/accounts/rules'
import { THEMES } from '~/platform/theme'
import { canonicalTimeZone } from '~/platform/time-zone.server'

export const ProfileSchema = z.object({
  intent: z.literal('profile'),
  displayName: z
    .string()
    .trim()
    .max(MAX_DISPLAY_NAME_LENGTH, `Use at most ${MAX_DISPLAY_NAME_LENGTH} characters.`)
    // A name is one line of visible text: no line breaks or other control characters.
    .regex(/^[^\p{Cc}]*$/u, 'Use letters, digits, spaces and punctuation only.')
    .optional(),
  // Browsers send a textarea's line breaks as CRLF but count each as one character against maxlength.
  bio: z
    .preprocess((v) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n') : v), z.string().max(MAX_BIO_LENGTH, `Use at most ${MAX_BIO_LENGTH.toLocaleString('en')} characters.`))
    .optional(),
})

export const PrivacySchema = z.object({
  hideActivity: z.boolean().optional(),
  messagePolicy: z.enum(['everyone', 'staff', 'nobody'], { errorMap: () => ({ message: 'Choose who may message you.' }) }),
})

export const SessionsSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('end-others') }),
  z.object({ intent: z.literal('end-session'), session: z.string().regex(/^[a-f0-9]{64}$/, 'There is no such session.') }),
])

export const ThemeSchema = z.object({
  theme: z.enum(THEMES, { errorMap: () => ({ message: 'Choose System, Light or Dark.' }) }),
  redirectTo: z.string().optional(),
})

/** A zone Intl knows (stored in its canonical spelling), or empty for "follow the browser". */
export const TimeZoneSchema = z.object({
  intent: z.literal('time-zone'),
  timeZone: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null
      const zone = canonicalTimeZone(value)
      if (!zone) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Choose a time zone from the list.' })
        return z.NEVER
      }
      return zone
    }),
})
