import { Form } from '@remix-run/react'
import { Field } from './field'
import { formState } from './form-state'

type Props = {
  categories: { id: number; name: string; description: string }[]
  result: Parameters<typeof formState>[0]
  preview?: string | null
  initial?: { title: string; body: string; categoryId: number | null; tags: string }
  submitLabel: string
}

/** The ask and edit forms: the same fields, a server-rendered preview that works without JavaScript. */
export function QuestionForm({ categories, result, preview, initial, submitLabel }: Props) {
  const form = formState(result)
  const categoryErrors = form.errorsFor('categoryId')
  const selectedCategory = form.value('categoryId', initial?.categoryId ? String(initial.categoryId) : '')
  return (
    <Form method="post" noValidate className="question-form">
      <Field label="Title" name="title" defaultValue={form.value('title', initial?.title)} errors={form.errorsFor('title')} hint="Say what you need help with, as if asking a colleague." maxLength={150} required />
      <Field
        as="textarea"
        label="Body"
        name="body"
        rows={12}
        defaultValue={form.value('body', initial?.body)}
        errors={form.errorsFor('body')}
        hint="Markdown: **bold**, _italic_, `code`, lists, links. Include what you tried and any error messages."
        required
      />
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
      {preview ? (
        <section className="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <div className="post-body" dangerouslySetInnerHTML={{ __html: preview }} />
        </section>
      ) : null}
      <div className="actions">
        <button type="submit" name="intent" value="preview" className="secondary">
          Preview
        </button>
        <button type="submit" name="intent" value="save">
          {submitLabel}
        </button>
      </div>
    </Form>
  )
}
