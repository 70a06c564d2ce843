import { Form } from '@remix-run/react'
import { FormErrors } from '~/ui/field'
import { formStateFor } from '~/platform/form-state'

/**
 * Delete spammer: posts to the member's moderation page, whichever page shows it, so one action
 * handles it. A box to tick stands in for a confirmation dialog, and works without JavaScript.
 */
export function DeleteSpammerForm({ userId, username, reviewItemId, actionData }: { userId: number; username: string; reviewItemId?: number; actionData?: unknown }) {
  const form = formStateFor(actionData, 'delete-spammer')
  return (
    <Form method="post" action={`/mod/users/${encodeURIComponent(username)}`} noValidate aria-labelledby="delete-spammer-heading">
      <h2 id="delete-spammer-heading">Delete spammer</h2>
      <p>Removes every post by {username}, bans the account, screens its email address, its domain (unless a common provider) and the addresses it used, and resolves every open queue item about it: one decision in the audit log.</p>
      <FormErrors errors={form.formErrors ?? form.errorsFor('confirm')} />
      <input type="hidden" name="userId" value={userId} />
      {reviewItemId ? <input type="hidden" name="reviewItemId" value={reviewItemId} /> : null}
      <p>
        <input type="checkbox" name="confirm" value="on" id="delete-spammer-confirm" /> <label htmlFor="delete-spammer-confirm">Yes, {username} is a spammer</label>
      </p>
      <button type="submit" name="intent" value="delete-spammer" className="button-danger">
        Delete spammer
      </button>
    </Form>
  )
}
