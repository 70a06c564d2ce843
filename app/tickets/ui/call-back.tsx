import { Form } from '@remix-run/react'
import type { formState } from '~/platform/form-state'
import { DateTime } from '~/ui/time'
import { Field, FormErrors } from '~/ui/field'

type FormState = ReturnType<typeof formState>

export type CallBackView = {
  id: number
  phone: string
  windowStartsAt: string
  windowEndsAt: string
  timeZone: string
  dueAt: string
  doneAt: string | null
  doneByUsername: string | null
  doneNote: string | null
}

/**
 * The call-back request's fields: phone number, a day and a from/to time in the member's zone.
 * On the new-ticket form they show only while Critical is chosen (call-back.css).
 */
export function CallBackFields({ form, timeZone, hours, idPrefix = 'call-back', whenCritical = false }: { form: FormState; timeZone: string; hours: string; idPrefix?: string; whenCritical?: boolean }) {
  const hasErrors = ['callBackPhone', 'callBackDate', 'callBackFrom', 'callBackTo'].some((name) => form.errorsFor(name)?.length)
  return (
    <fieldset className={whenCritical ? 'call-back-fields call-back-when-critical' : 'call-back-fields'} data-errors={hasErrors ? 'true' : 'false'}>
      <legend>Phone call back (premium, critical requests)</legend>
      <p className="hint">
        Optional. We call within the window you choose, during business hours ({hours}). Times are in your time zone, {timeZone.replace(/_/g, ' ')}.
      </p>
      <Field label="Phone number" name="callBackPhone" id={`${idPrefix}-phone`} type="tel" autoComplete="tel" defaultValue={form.value('callBackPhone')} errors={form.errorsFor('callBackPhone')} hint="With the country code, such as +44 20 7946 0958." maxLength={40} />
      <div className="call-back-window">
        <Field label="Day" name="callBackDate" id={`${idPrefix}-date`} type="date" defaultValue={form.value('callBackDate')} errors={form.errorsFor('callBackDate')} />
        <Field label="From" name="callBackFrom" id={`${idPrefix}-from`} type="time" defaultValue={form.value('callBackFrom')} errors={form.errorsFor('callBackFrom')} />
        <Field label="To" name="callBackTo" id={`${idPrefix}-to`} type="time" defaultValue={form.value('callBackTo')} errors={form.errorsFor('callBackTo')} />
      </div>
    </fieldset>
  )
}

/** "Call back by <time>", or overdue, for the queue and the ticket. */
export function CallBackBadge({ dueAt, overdue }: { dueAt: string; overdue: boolean }) {
  return (
    <span className={`badge ${overdue ? 'badge-call-back-overdue' : 'badge-call-back'}`}>
      {overdue ? 'Call back overdue since ' : 'Call back by '}
      <DateTime value={dueAt} />
    </span>
  )
}

/**
 * The ticket's call backs: for agents a task each with "Mark call back done" and a note; for the
 * requester what they asked for and whether we called, and the form to ask (premium, critical).
 */
export function CallBackPanel({
  callBacks,
  staff,
  canRequest,
  now,
  requestForm,
  doneForm,
  timeZone,
  hours,
}: {
  callBacks: CallBackView[]
  staff: boolean
  canRequest: boolean
  now: string
  requestForm: FormState
  doneForm: FormState
  timeZone: string
  hours: string
}) {
  if (callBacks.length === 0 && !canRequest) return null
  const open = callBacks.some((c) => !c.doneAt)
  return (
    <section aria-labelledby="call-back-heading">
      <h2 id="call-back-heading">Phone call back</h2>
      {callBacks.length > 0 ? (
        <ul className="call-back-list">
          {callBacks.map((c) => (
            <li key={c.id}>
              {c.doneAt ? (
                <p>
                  <span className="badge badge-sla-met">Called</span> <DateTime value={c.doneAt} />
                  {c.doneByUsername ? ` by ${c.doneByUsername}` : ''}
                </p>
              ) : (
                <p>
                  <CallBackBadge dueAt={c.dueAt} overdue={new Date(c.dueAt) < new Date(now)} />
                </p>
              )}
              <p>
                Number: <a href={`tel:${c.phone}`}>{c.phone}</a>
              </p>
              <p>
                Window: <DateTime value={c.windowStartsAt} /> to <DateTime value={c.windowEndsAt} />
                {staff ? ` (the member’s zone: ${c.timeZone.replace(/_/g, ' ')})` : ''}
              </p>
              {c.doneNote ? <p>Note: {c.doneNote}</p> : null}
              {staff && !c.doneAt ? (
                <Form method="post" noValidate>
                  <FormErrors errors={doneForm.formErrors} />
                  <input type="hidden" name="callBackId" value={c.id} />
                  <Field as="textarea" label="How did the call go?" name="note" id={`call-back-note-${c.id}`} rows={2} defaultValue={doneForm.value('note')} errors={doneForm.errorsFor('note')} required maxLength={2000} />
                  <button type="submit" name="intent" value="call-back-done" className="secondary">
                    Mark call back done
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canRequest && !open && !staff ? (
        <Form method="post" noValidate>
          <FormErrors errors={requestForm.formErrors} />
          <CallBackFields form={requestForm} timeZone={timeZone} hours={hours} idPrefix="ticket-call-back" />
          <button type="submit" name="intent" value="call-back-request" className="secondary">
            Ask for a call back
          </button>
        </Form>
      ) : null}
    </section>
  )
}
