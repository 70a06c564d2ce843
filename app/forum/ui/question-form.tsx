import { Form } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { Field } from '~/ui/field'
import { Composer, type ComposerDraft } from '~/ui/composer'
import { formState } from '~/platform/form-state'
import { PostComposer } from '~/uploads/ui/post-composer'
import { QuestionLinks } from './question-links'

type SimilarQuestion = { questionId: number; title: string; hasAcceptedAnswer: boolean; hasOfficialAnswer: boolean; answerCount: number }

type Props = {
  categories: { id: number; name: string; description: string }[]
  result: Parameters<typeof formState>[0]
  preview?: string | null
  initial?: { title: string; body: string; categoryId: number | null; tags: string }
  submitLabel: string
  /** On the ask page: questions like the title, so the answer may already be there. */
  similar?: SimilarQuestion[] | null
  offerSimilar?: boolean
  /** Offers "Attach images or files" (a new question; edits link existing uploads in the text). */
  withAttachments?: boolean
  /** The asker's draft (the ask page), kept on the server as they type. */
  draft?: ComposerDraft | null
}

/**
 * Similar questions for the title: fetched as the member types when JavaScript runs, or by the
 * "Check for similar questions" button (a server round trip) when it does not. A plain fetch of
 * the resource route, not a Remix fetcher: a fetcher would be revalidated by the form's own
 * submissions, and a revalidation racing the route's lazy discovery ends in a 404 page.
 */
function useSimilarQuestions(enabled: boolean) {
  const [live, setLive] = useState<SimilarQuestion[] | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const inFlight = useRef<AbortController>()
  useEffect(
    () => () => {
      clearTimeout(timer.current)
      inFlight.current?.abort()
    },
    [],
  )
  const onTitleInput = (title: string) => {
    if (!enabled) return
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      if (title.trim().length < 8) return
      inFlight.current?.abort()
      const controller = new AbortController()
      inFlight.current = controller
      fetch(`/search/similar?title=${encodeURIComponent(title)}`, { signal: controller.signal, headers: { Accept: 'application/json' } })
        .then((response) => (response.ok ? (response.json() as Promise<{ similar: SimilarQuestion[] }>) : null))
        .then((data) => {
          if (data) setLive(data.similar)
        })
        // A lookup cut short by the next keystroke, or a failed one, just leaves the list as it was.
        .catch(() => {})
    }, 350)
  }
  return { live, onTitleInput }
}

export function QuestionForm({ categories, result, preview, initial, submitLabel, similar, offerSimilar = false, withAttachments = false, draft = null }: Props) {
  const form = formState(result)
  const { live, onTitleInput } = useSimilarQuestions(offerSimilar)
  const shown = live ?? similar ?? null
  const categoryErrors = form.errorsFor('categoryId')
  const selectedCategory = form.value('categoryId', initial?.categoryId ? String(initial.categoryId) : '')
  const body = {
    label: 'Body',
    name: 'body',
    rows: 12,
    defaultValue: form.value('body', initial?.body),
    errors: form.errorsFor('body'),
    hint: 'Markdown: **bold**, _italic_, `code`, lists, links. Include what you tried and any error messages.',
    required: true,
    preview,
    draft,
  }
  return (
    <Form method="post" encType={withAttachments ? 'multipart/form-data' : undefined} noValidate className="question-form">
      <Field
        label="Title"
        name="title"
        defaultValue={form.value('title', initial?.title)}
        errors={form.errorsFor('title')}
        hint="Say what you need help with, as if asking a colleague."
        maxLength={150}
        required
        onChange={(event) => onTitleInput(event.currentTarget.value)}
      />
      {offerSimilar ? (
        <section className="similar" aria-labelledby="similar-heading" aria-live="polite">
          {shown && shown.length > 0 ? (
            <>
              <h2 id="similar-heading">Similar questions: is yours already answered?</h2>
              <QuestionLinks hits={shown} />
            </>
          ) : shown ? (
            <p id="similar-heading" className="muted">
              No similar questions found.
            </p>
          ) : (
            <h2 id="similar-heading" className="visually-hidden">
              Similar questions
            </h2>
          )}
          <button type="submit" name="intent" value="similar" className="secondary">
            Check for similar questions
          </button>
        </section>
      ) : null}
      {withAttachments ? <PostComposer {...body} attach="post" attachmentErrors={form.errorsFor('attachments')} /> : <Composer {...body} />}
      <div className="field">
        <label htmlFor="field-categoryId">Category</label>
        <select id="field-categoryId" name="categoryId" defaultValue={selectedCategory} aria-invalid={categoryErrors ? true : undefined} aria-describedby={categoryErrors ? 'field-categoryId-error' : undefined} required>
          <option value="">Choose a category…</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {categoryErrors ? (
          <ul className="field-errors" id="field-categoryId-error">
            {categoryErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <Field label="Tags" name="tags" defaultValue={form.value('tags', initial?.tags)} errors={form.errorsFor('tags')} hint="Up to 5, separated by spaces or commas, e.g. billing login" />
      <div className="actions">
        <button type="submit" name="intent" value="save">
          {submitLabel}
        </button>
      </div>
    </Form>
  )
}
