import { Form } from '@remix-run/react'
import type { formState } from '~/platform/form-state'
import { Field, FormErrors } from '~/ui/field'

/**
 * The reply box of the ticket page opened from a mail link (no account). The link's token goes
 * back with the form: it is the only credential this page has.
 */
export function TicketLinkReplyForm({ token, opensFollowUp, form }: { token: string; opensFollowUp: boolean; form: ReturnType<typeof formState> }) {
  return (
    <section aria-labelledby="reply-heading">
      <h2 id="reply-heading">{opensFollowUp ? 'Reply (opens a follow-up request)' : 'Reply'}</h2>
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <input type="hidden" name="token" value={token} />
        <Field as="textarea" label="Your reply" name="body" rows={5} defaultValue={form.value('body')} errors={form.errorsFor('body')} hint="Markdown is supported. We mail you when support answers." required />
        <button type="submit">Send reply</button>
      </Form>
    </section>
  )
}
