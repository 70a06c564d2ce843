import { parseWithZod } from '@conform-to/zod'
import { json } from '@remix-run/node'
import { z } from 'zod'
import type { SubmissionReply } from '~/platform/form-state'
import { hasNul, NOT_ALLOWED_CHARACTER } from '~/platform/request-input.server'

/**
 * A NUL in any field (PostgreSQL refuses it in text) is that field's error, before the schema is
 * asked: the submission fails with the values the user typed, like any other invalid form.
 */
export function parseForm<Schema extends z.ZodTypeAny>(formData: FormData, schema: Schema) {
  const refused = [...new Set([...formData].filter(([name, value]) => typeof value === 'string' && (hasNul(value) || hasNul(name))).map(([name]) => name.replace(/\u0000/g, '')))]
  const submission = parseWithZod(formData, { schema })
  if (refused.length === 0) return submission
  const nulErrors = z.any().superRefine((_value, context) => {
    for (const name of refused) context.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: `This field ${NOT_ALLOWED_CHARACTER}.` })
  })
  return parseWithZod(formData, { schema: nulErrors }) as unknown as typeof submission
}

/** 400 with the errors beside their fields and the values the user typed, so nothing is lost. */
type Replyable = { reply(options?: { fieldErrors?: Record<string, string[]>; formErrors?: string[] }): unknown }

export function badRequest(
  submission: Replyable,
  errors?: { fieldErrors?: Record<string, string[]>; formErrors?: string[] },
  extra?: Record<string, unknown>,
) {
  return json({ result: submission.reply(errors ?? {}) as SubmissionReply, ...extra }, { status: 400 })
}
