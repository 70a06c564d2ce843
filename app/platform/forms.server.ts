import { parseWithZod } from '@conform-to/zod'
import { json } from '@remix-run/node'
import type { z } from 'zod'
import type { SubmissionReply } from '~/platform/form-state'

export function parseForm<Schema extends z.ZodTypeAny>(formData: FormData, schema: Schema) {
  return parseWithZod(formData, { schema })
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
