import { z } from 'zod'
import { listCategories } from '~/forum/categories.server'
import { parseTagNames, tagProblem, type QuestionInput } from '~/forum/questions.server'
import { json, type TypedResponse } from '@remix-run/node'
import type { SubmissionReply } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { renderMarkdown } from '~/platform/markdown.server'
import { MAX_ID } from '~/platform/misc'

export const QuestionSchema = z.object({
  title: z.string({ required_error: 'Give your question a title.' }).trim().min(10, 'Make the title at least 10 characters: say what you need help with.').max(150, 'Keep the title under 150 characters.'),
  body: z.string({ required_error: 'Describe your question.' }).min(20, 'Add some detail: at least 20 characters.').max(30_000, 'Keep it under 30,000 characters.'),
  categoryId: z.number({ required_error: 'Choose a category.', invalid_type_error: 'Choose a category.' }).int(),
  tags: z.string().max(200).optional(),
})

export const AnswerSchema = z.object({
  body: z.string({ required_error: 'Write your answer first.' }).min(10, 'Add some detail: at least 10 characters.').max(30_000, 'Keep it under 30,000 characters.'),
})

export const AnswerTargetSchema = z.object({ answerId: z.number().int().positive().max(MAX_ID) })
const VoteValue = z.enum(['up', 'down', 'clear'])
export const VoteSchema = AnswerTargetSchema.extend({ value: VoteValue })
/** A vote on the thread's question: the question is the page's own, so only the value comes. */
export const QuestionVoteSchema = z.object({ value: VoteValue })

export type QuestionFormReply = { result: SubmissionReply; preview: string | null }

/** A refusal of valid input by a later check (the posting gate's watched words), said beside its field. */
export type FieldRefusal = { field: string; message: string }

/**
 * Reads the ask/edit form. Either there is a response to send back at once — the preview
 * (intent=preview), or a 400 with the errors beside their fields — or the input is valid to save.
 * `check` runs on input that is otherwise valid and may refuse it with a field's error.
 */
export async function readQuestionForm(formData: FormData, check?: (input: QuestionInput) => Promise<FieldRefusal | null>): Promise<{ reply: TypedResponse<QuestionFormReply>; input?: never } | { input: QuestionInput; reply?: never }> {
  const submission = parseForm(formData, QuestionSchema)
  const body = formData.get('body')
  const preview = typeof body === 'string' && body.trim() ? renderMarkdown(body) : null
  if (formData.get('intent') === 'preview') return { reply: json({ result: submission.reply() as SubmissionReply, preview }) }
  if (submission.status !== 'success') return { reply: badRequest(submission, undefined, { preview }) as TypedResponse<QuestionFormReply> }

  const fieldErrors: Record<string, string[]> = {}
  const categories = await listCategories()
  if (!categories.some((c) => c.id === submission.value.categoryId)) fieldErrors.categoryId = ['Choose one of the listed categories.']
  const tagNames = parseTagNames(submission.value.tags ?? '')
  const problem = tagProblem(tagNames)
  if (problem) fieldErrors.tags = [problem]
  if (Object.keys(fieldErrors).length > 0) return { reply: badRequest(submission, { fieldErrors }, { preview }) as TypedResponse<QuestionFormReply> }
  const input = { title: submission.value.title, bodySource: submission.value.body, categoryId: submission.value.categoryId, tagNames }
  const refused = await check?.(input)
  if (refused) return { reply: badRequest(submission, { fieldErrors: { [refused.field]: [refused.message] } }, { preview }) as TypedResponse<QuestionFormReply> }
  return { input }
}
