import { Form } from '@remix-run/react'
import type { formState } from '~/platform/form-state'
import { ConversationMessage } from '~/ui/conversation-message'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { RATING_OPTIONS } from '~/tickets/constants'
import { PostComposer } from '~/uploads/ui/post-composer'
import { AttachmentList } from '~/uploads/ui/attachment-list'
import { ticketReplyDraftKey } from '~/composer/keys'

type FormState = ReturnType<typeof formState>

type Message = {
  id: number
  authorUsername: string | null
  authorEmail: string | null
  internal: boolean
  byStaff: boolean
  bodyHtml: string
  createdAt: string
  attachments: { url: string; kind: 'image' | 'file'; fileName: string; byteSize: number }[]
}

/** The messages in order; internal notes are marked, and reach this page only for staff. */
export function TicketConversation({ messages }: { messages: Message[] }) {
  return (
    <section aria-labelledby="conversation-heading">
      <h2 id="conversation-heading">Conversation</h2>
      {messages.map((m) => (
        <ConversationMessage
          key={m.id}
          author={m.authorUsername ?? m.authorEmail ?? 'unknown'}
          createdAt={m.createdAt}
          bodyHtml={m.bodyHtml}
          internal={m.internal}
          label={m.internal ? 'Internal note' : 'Message'}
          badges={
            <>
              {m.byStaff ? <span className="badge badge-role">Support</span> : null}
              {m.internal ? <span className="badge badge-flag">Internal note</span> : null}
            </>
          }
        >
          <AttachmentList attachments={m.attachments} />
        </ConversationMessage>
      ))}
    </section>
  )
}

/** The requester's survey while the ticket is solved and unrated; afterwards, the rating for everyone. */
export function TicketRating({ ticket, staff, form }: { ticket: { status: string; ratingScore: number | null; ratingComment: string | null }; staff: boolean; form: FormState }) {
  return (
    <>
      {ticket.status === 'solved' && !staff && ticket.ratingScore === null ? (
        <section aria-labelledby="rate-heading" id="rating">
          <h2 id="rate-heading">How did we do?</h2>
          <Form method="post" noValidate>
            <FormErrors errors={form.formErrors} />
            <SelectField label="Rating" name="score" options={RATING_OPTIONS} defaultValue={form.value('score')} errors={form.errorsFor('score')} />
            <Field as="textarea" label="Comment (optional)" name="comment" rows={2} defaultValue={form.value('comment')} errors={form.errorsFor('comment')} />
            <button type="submit" name="intent" value="rate">
              Send rating
            </button>
          </Form>
        </section>
      ) : null}
      {ticket.ratingScore !== null ? (
        <p id="rating" className="notice">
          Rated {ticket.ratingScore} out of 5{ticket.ratingComment ? `: “${ticket.ratingComment}”` : ''}
        </p>
      ) : null}
    </>
  )
}

/**
 * A public reply: staff choose the status it leaves. `closed`: staff cannot write on a closed
 * ticket; for a requester it means their reply opens a follow-up (closed too long to reopen).
 */
export function TicketReplyForm({
  number,
  closed,
  staff,
  form,
  draft = null,
  preview = null,
}: {
  number: number
  closed: boolean
  staff: boolean
  form: FormState
  /** The viewer's unsent reply, kept on the server as they type. */
  draft?: { body: string; updatedAt: string } | null
  /** The reply's preview, when the Preview button was used without JavaScript. */
  preview?: string | null
}) {
  return (
    <section aria-labelledby="reply-heading">
      <h2 id="reply-heading">{closed && !staff ? 'Reply (opens a follow-up request)' : 'Reply'}</h2>
      {closed && staff ? (
        <p className="muted">This ticket is closed. The requester’s next message reopens it, or opens a follow-up ticket once it has been closed for a while.</p>
      ) : (
        <Form method="post" encType="multipart/form-data" noValidate>
          <FormErrors errors={form.formErrors} />
          <PostComposer
            label={staff ? 'Public reply' : 'Your reply'}
            name="body"
            rows={5}
            defaultValue={form.value('body', draft?.body ?? '')}
            errors={form.errorsFor('body')}
            hint={staff ? 'Mailed to the requester. Markdown is supported.' : 'Markdown is supported.'}
            required
            preview={preview}
            draft={{ key: ticketReplyDraftKey(number), saved: draft }}
            attach="ticket"
            attachmentErrors={form.errorsFor('attachments')}
          />
          {staff ? (
            <SelectField
              label="Status after replying"
              name="statusAfter"
              defaultValue="pending"
              options={[
                { value: 'pending', label: 'Pending (waiting for the customer)' },
                { value: 'open', label: 'Open' },
                { value: 'solved', label: 'Solved' },
                { value: 'keep', label: 'Keep the current status' },
              ]}
            />
          ) : null}
          <button type="submit" name="intent" value="reply">
            {staff ? 'Send reply' : 'Send'}
          </button>
        </Form>
      )}
    </section>
  )
}

export function InternalNoteForm({ form }: { form: FormState }) {
  return (
    <section aria-labelledby="note-heading">
      <h2 id="note-heading">Internal note</h2>
      <Form method="post" noValidate>
        <Field as="textarea" id="note-body" label="Note for the team" name="body" rows={3} defaultValue={form.value('body')} errors={form.errorsFor('body')} hint="Only agents and admins see internal notes; they are never mailed." required />
        <button type="submit" name="intent" value="note" className="secondary">
          Add internal note
        </button>
      </Form>
    </section>
  )
}
