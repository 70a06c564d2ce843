import { z } from 'zod'
import { listCategories } from '~/models/category.server'
import { parseTagNames, tagProblem, type QuestionInput } from '~/models/question.server'
import { parseForm } from './forms.server'

export const QuestionSchema = z.object({
  title: z.string({ required_error: 'Give your question a title.' }).trim().min(10, 'Make the title at least 10 characters: say what you need help with.').max(150, 'Keep the title under 150 characters.'),
  body: z.string({ required_error: 'Describe your question.' }).min(20, 'Add some detail: at least 20 characters.').max(30_000, 'Keep it under 30,000 characters.'),
  categoryId: z.number({ required_error: 'Choose a category.', invalid_type_error: 'Choose a category.' }).int(),
  tags: z.string().max(200).optional(),
})

export const AnswerSchema = z.object({
  body: z.string({ required_error: 'Write your answer first.' }).min(10, 'Add some detail: at least 10 characters.').max(30_000, 'Keep it under 30,000 characters.'),
})

export const AnswerTargetSchema = z.object({ answerId: z.number().int().positive() })
export const VoteSchema = AnswerTargetSchema.extend({ value: z.enum(['up', 'down', 'clear']) })

/** Parses the ask/edit form, including the checks that need the database (category, tags). */
export async function parseQuestionForm(formData: FormData) {
  const submission = parseForm(formData, QuestionSchema)
  const categories = await listCategories()
  if (submission.status !== 'success') return { submission, categories, input: null, fieldErrors: null }
  const fieldErrors: Record<string, string[]> = {}
  if (!categories.some((c) => c.id === submission.value.categoryId)) fieldErrors.categoryId = ['Choose one of the listed categories.']
  const tagNames = parseTagNames(submission.value.tags ?? '')
  const problem = tagProblem(tagNames)
  if (problem) fieldErrors.tags = [problem]
  if (Object.keys(fieldErrors).length > 0) return { submission, categories, input: null, fieldErrors }
  const input: QuestionInput = { title: submission.value.title, bodySource: submission.value.body, categoryId: submission.value.categoryId, tagNames }
  return { submission, categories, input, fieldErrors: null }
}
