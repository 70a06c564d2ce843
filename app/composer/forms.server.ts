import { z } from 'zod'
import { hasNul } from '~/platform/request-input.server'
import { COMPOSER_MAX_LENGTH, DRAFT_TITLE_MAX_LENGTH, isDraftKey } from './keys'

const text = (max: number, tooLong: string) =>
  z
    .string()
    .max(max, tooLong)
    .refine((value) => !hasNul(value), 'This text contains a character that is not allowed.')

/**
 * What the drafts route reads. The composer names its own fields (`draftBodyField`,
 * `draftTitleField`), so the no-JavaScript "Save draft" button can post the page's form as it is.
 */
export const DraftSchema = z.object({
  intent: z.enum(['save-draft', 'discard-draft'], { errorMap: () => ({ message: 'Save or discard the draft.' }) }),
  draftKey: z.string().refine(isDraftKey, 'That is not a draft this page keeps.'),
  body: text(COMPOSER_MAX_LENGTH, `A draft can be at most ${COMPOSER_MAX_LENGTH.toLocaleString('en')} characters.`).default(''),
  title: text(DRAFT_TITLE_MAX_LENGTH, `A draft’s title can be at most ${DRAFT_TITLE_MAX_LENGTH} characters.`).nullable().default(null),
})

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]{0,40}$/

/** The draft's fields out of a posted page form (no JavaScript) or the composer's own fetch. */
export function readDraftFields(formData: FormData) {
  const field = (name: string) => {
    const value = formData.get(name)
    return typeof value === 'string' && FIELD_NAME.test(value) ? value : null
  }
  const bodyField = field('draftBodyField') ?? 'body'
  const titleField = field('draftTitleField')
  const value = (name: string | null) => {
    const v = name ? formData.get(name) : null
    return typeof v === 'string' ? v : undefined
  }
  return DraftSchema.safeParse({
    intent: formData.get('intent'),
    draftKey: formData.get('draftKey'),
    body: value(bodyField),
    title: titleField ? (value(titleField) ?? null) : null,
  })
}
