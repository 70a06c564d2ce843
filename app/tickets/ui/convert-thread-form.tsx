import { Form, Link } from '@remix-run/react'
import type { formState } from '~/platform/form-state'
import { PRIORITY_OPTIONS } from '~/tickets/constants'
import { FormErrors, SelectField } from '~/ui/field'

type FormState = ReturnType<typeof formState>

/** Staff take a forum thread to a private ticket; a thread converted meanwhile links to its ticket. */
export function ConvertThreadForm({ form, existingTicket }: { form: FormState; existingTicket: number | null }) {
  return (
    <Form method="post" className="inline-form convert-form" noValidate>
      <FormErrors errors={form.formErrors} />
      {existingTicket ? (
        <p>
          <Link to={`/tickets/${existingTicket}`}>Open ticket #{existingTicket}</Link>
        </p>
      ) : null}
      <SelectField label="Ticket priority" name="priority" id="convert-priority" defaultValue="medium" options={PRIORITY_OPTIONS} errors={form.errorsFor('priority')} />
      <button type="submit" name="intent" value="convert-to-ticket" className="secondary">
        Convert to ticket
      </button>
    </Form>
  )
}
