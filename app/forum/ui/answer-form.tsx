import { Form, Link } from '@remix-run/react'
import type { formState } from '~/platform/form-state'
import { questionPath } from '~/platform/misc'
import { Field, FormErrors } from '~/ui/field'
import { AttachField } from '~/uploads/ui/attach-field'

type FormState = ReturnType<typeof formState>

/**
 * "Your answer": the form for a member, a note when the thread is locked, a way in for a visitor.
 * A suspended or banned member reads why they cannot answer, unless an answer of theirs was just
 * refused: then the form comes back with it, so nothing typed is lost.
 */
export function AnswerForm({
  question,
  signedIn,
  restriction,
  form,
}: {
  question: { id: number; title: string; lockedAt: string | null }
  signedIn: boolean
  restriction: string | null
  form: FormState
}) {
  return (
    <section aria-labelledby="your-answer-heading" className="your-answer">
      <h2 id="your-answer-heading">Your answer</h2>
      {question.lockedAt ? (
        <p className="muted">This thread is locked and takes no new answers.</p>
      ) : restriction && !form.formErrors ? (
        <p className="notice notice-moderation" role="status">
          {restriction}
        </p>
      ) : signedIn ? (
        <Form method="post" encType="multipart/form-data" noValidate>
          <FormErrors errors={form.formErrors} />
          <Field as="textarea" label="Answer" name="body" rows={8} defaultValue={form.value('body')} errors={form.errorsFor('body')} hint="Markdown is supported." required data-uploads="post" />
          <AttachField errors={form.errorsFor('attachments')} />
          <button type="submit" name="intent" value="answer">
            Post your answer
          </button>
        </Form>
      ) : (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(questionPath(question))}`}>Log in</Link> or <Link to="/register">create an account</Link> to answer.
        </p>
      )}
    </section>
  )
}
