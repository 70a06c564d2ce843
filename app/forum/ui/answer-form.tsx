import { Form, Link, useActionData, useLocation, useNavigation } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import type { formState } from '~/platform/form-state'
import { questionPath } from '~/platform/misc'
import { answerDraftKey } from '~/composer/keys'
import { FormErrors } from '~/ui/field'
import { PostComposer } from '~/uploads/ui/post-composer'

type FormState = ReturnType<typeof formState>

/**
 * After an answer is posted with JavaScript the page stays mounted, so the box would keep the text
 * that was just posted. Once the post has gone through (the action redirected: no action data
 * came back) this says so, gives a new key to empty the composer, and moves focus to the new
 * answer the redirect's #answer-N points at.
 */
function useAnswerPosted() {
  const navigation = useNavigation()
  const actionData = useActionData()
  const location = useLocation()
  const posting = useRef(false)
  const [posted, setPosted] = useState(0)
  useEffect(() => {
    if (navigation.state !== 'idle') {
      if (navigation.formData?.get('intent') === 'answer') posting.current = true
      return
    }
    if (!posting.current) return
    posting.current = false
    if (actionData) return
    setPosted((n) => n + 1)
    const answer = location.hash.startsWith('#answer-') ? document.getElementById(location.hash.slice(1)) : null
    if (answer) {
      answer.setAttribute('tabindex', '-1')
      answer.focus()
    }
  }, [navigation.state, navigation.formData, actionData, location.hash])
  return posted
}

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
  preview = null,
}: {
  question: { id: number; title: string; lockedAt: string | null; viewerDraft?: { body: string; updatedAt: string } | null }
  signedIn: boolean
  restriction: string | null
  form: FormState
  /** The answer's preview, when the Preview button was used without JavaScript. */
  preview?: string | null
}) {
  const posted = useAnswerPosted()
  const draft = question.viewerDraft ?? null
  return (
    <section aria-labelledby="your-answer-heading" className="your-answer">
      <h2 id="your-answer-heading">Your answer</h2>
      {posted > 0 ? (
        <p className="notice" role="status">
          Your answer is posted.
        </p>
      ) : null}
      {question.lockedAt ? (
        <p className="muted">This thread is locked and takes no new answers.</p>
      ) : restriction && !form.formErrors ? (
        <p className="notice notice-moderation" role="status">
          {restriction}
        </p>
      ) : signedIn ? (
        <Form method="post" encType="multipart/form-data" noValidate key={posted}>
          <FormErrors errors={form.formErrors} />
          <PostComposer
            label="Answer"
            name="body"
            rows={8}
            defaultValue={form.value('body', draft?.body ?? '')}
            errors={form.errorsFor('body')}
            hint="Markdown is supported."
            required
            preview={preview}
            draft={{ key: answerDraftKey(question.id), saved: draft }}
            attach="post"
            attachmentErrors={form.errorsFor('attachments')}
          />
          <div className="actions">
            <button type="submit" name="intent" value="answer">
              Post your answer
            </button>
          </div>
        </Form>
      ) : (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(questionPath(question))}`}>Log in</Link> or <Link to="/register">create an account</Link> to answer.
        </p>
      )}
    </section>
  )
}
