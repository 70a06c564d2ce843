import { json } from '@remix-run/node'
import { z } from 'zod'
import type { SubmissionReply } from '~/platform/form-state'
import type { RateLimitRefusal } from './counter.server'
import { RATE_LIMIT_BOUNDS, RATE_LIMIT_RULES, type RateLimitRuleName } from './rules.server'

/**
 * A refused form comes back as a 429 with the reason above the form and everything typed still in
 * it, so a long answer is not lost (the same form without JavaScript as with it). Passwords are
 * never sent back.
 */
export function rateLimitedForm<Extra extends Record<string, unknown> = Record<never, never>>(formData: FormData, refusal: RateLimitRefusal, extra?: Extra) {
  const initialValue = Object.fromEntries([...formData].filter(([name, value]) => typeof value === 'string' && !/password/i.test(name)))
  const result: SubmissionReply = { initialValue, error: { '': [refusal.message] } }
  return json({ result, ...(extra as Extra) }, { status: 429, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } })
}

const settingSchema = z.object({
  maxHits: z.coerce
    .number({ required_error: 'Enter how many times.', invalid_type_error: 'Enter how many times, as a whole number.' })
    .int('Use a whole number.')
    .min(1, 'Allow at least 1.')
    .max(RATE_LIMIT_BOUNDS.maxHits, `Allow at most ${RATE_LIMIT_BOUNDS.maxHits.toLocaleString('en')}.`),
  windowSeconds: z.coerce
    .number({ required_error: 'Enter the window in seconds.', invalid_type_error: 'Enter the window in whole seconds.' })
    .int('Use whole seconds.')
    .min(1, 'The window must be at least 1 second.')
    .max(RATE_LIMIT_BOUNDS.windowSeconds, `The window can be at most ${RATE_LIMIT_BOUNDS.windowSeconds.toLocaleString('en')} seconds (a day).`),
})

/** Field names are `post-member.maxHits`, `post-member.windowSeconds` and so on, one pair per rule. */
export const RateLimitsSchema = z.object(
  Object.fromEntries(RATE_LIMIT_RULES.map((rule) => [rule.name, settingSchema])) as Record<RateLimitRuleName, typeof settingSchema>,
)

export const ResetRateLimitSchema = z.object({
  rule: z.enum(RATE_LIMIT_RULES.map((r) => r.name) as [RateLimitRuleName, ...RateLimitRuleName[]], { errorMap: () => ({ message: 'Choose one of the listed limits.' }) }),
})
