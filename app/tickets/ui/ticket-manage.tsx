import { Form } from '@remix-run/react'
import type { formState } from '~/platform/form-state'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { PRIORITY_OPTIONS, STATUS_LABELS } from '~/tickets/constants'
import type { TicketPriority, TicketStatus } from '~/tickets/sla/engine'

type FormState = ReturnType<typeof formState>

type Agent = { id: number; username: string; supportTier: number | null }

/** The staff's forms: status, priority, assignee and escalation to the next tier. */
export function ManageTicket({
  ticket,
  agents,
  escalateForm,
}: {
  ticket: { status: TicketStatus; priority: TicketPriority; assigneeId: number | null; tier: number | null; managementEscalatedAt?: string | null }
  agents: Agent[]
  escalateForm: FormState
}) {
  return (
    <section aria-labelledby="manage-heading">
      <h2 id="manage-heading">Manage</h2>
      <Form method="post">
        <SelectField label="Status" name="status" id="manage-status" defaultValue={ticket.status} options={(['open', 'pending', 'solved', 'closed'] as const).map((s) => ({ value: s, label: STATUS_LABELS[s] }))} />
        <button type="submit" name="intent" value="status" className="secondary">
          Change status
        </button>
      </Form>
      <Form method="post">
        <SelectField label="Priority" name="priority" id="manage-priority" defaultValue={ticket.priority} options={PRIORITY_OPTIONS} />
        <button type="submit" name="intent" value="priority" className="secondary">
          Change priority
        </button>
      </Form>
      <Form method="post">
        <SelectField
          label="Assignee"
          name="assigneeId"
          defaultValue={ticket.assigneeId ? String(ticket.assigneeId) : 'none'}
          options={[{ value: 'none', label: 'Unassigned' }, ...agents.map((a) => ({ value: String(a.id), label: `${a.username}${a.supportTier ? ` (tier ${a.supportTier})` : ''}` }))]}
        />
        <div className="actions">
          <button type="submit" name="intent" value="assign" className="secondary">
            Assign
          </button>
          <button type="submit" name="intent" value="assign-me" className="secondary">
            Assign to me
          </button>
        </div>
      </Form>
      {ticket.tier && !ticket.managementEscalatedAt ? (
        <Form method="post" noValidate>
          <FormErrors errors={escalateForm.formErrors} />
          <Field
            label={ticket.tier < 3 ? `Reason to escalate to tier ${ticket.tier + 1}` : 'Reason to escalate to support management'}
            name="reason"
            id="escalate-reason"
            defaultValue={escalateForm.value('reason')}
            errors={escalateForm.errorsFor('reason')}
            required
          />
          <button type="submit" name="intent" value="escalate" className="secondary">
            {ticket.tier < 3 ? `Escalate to tier ${ticket.tier + 1}` : 'Escalate to support management'}
          </button>
        </Form>
      ) : ticket.managementEscalatedAt ? (
        <p className="notice">Escalated to support management.</p>
      ) : null}
    </section>
  )
}

/** The requester's way to ask for a senior specialist, once per ticket. */
export function RequestEscalation({ requestedAt, form }: { requestedAt: string | null; form: FormState }) {
  if (requestedAt) return <p className="notice">You asked for escalation; our team has been told.</p>
  return (
    <section aria-labelledby="ask-escalation-heading">
      <h2 id="ask-escalation-heading">Need more help?</h2>
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <Field label="Why should this go to a senior specialist?" name="reason" id="request-escalation-reason" defaultValue={form.value('reason')} errors={form.errorsFor('reason')} required />
        <button type="submit" name="intent" value="request-escalation" className="secondary">
          Ask for escalation
        </button>
      </Form>
    </section>
  )
}
