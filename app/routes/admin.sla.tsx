import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FieldErrors, FormErrors } from '~/ui/field'
import { formStateFor } from '~/platform/form-state'
import { PRIORITY_OPTIONS } from '~/tickets/constants'
import { addHoliday, getSlaSettingsWithHolidays, removeHoliday, updateBusinessWeek, updateSlaPolicies } from '~/tickets/sla-settings.server'
import { TICKET_PRIORITIES } from '~/tickets/sla/engine'
import { formatDay } from '~/platform/dates'
import { badRequest, parseForm } from '~/platform/forms.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { BusinessWeekSchema, HolidaySchema, RemoveHolidaySchema, SlaPoliciesSchema } from '~/tickets/forms.server'
import { readFormData } from '~/platform/request-input.server'
import { EmptyState } from '~/ui/empty-state'

const POLICY_FIELD_LABELS = {
  firstResponseMinutes: 'first response',
  afterHoursFirstResponseMinutes: 'first response outside business hours',
  resolutionMinutes: 'resolution',
  updateMinutes: 'update interval',
} as const

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:sla:any')
  return json(await getSlaSettingsWithHolidays())
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:sla:any')
  const formData = await readFormData(request)
  const intent = String(formData.get('intent') ?? '')
  const fail = (submission: Parameters<typeof badRequest>[0], errors?: Parameters<typeof badRequest>[1]) => badRequest(submission, errors, { intent })

  // Every change is followed by recomputing the due times of tickets still running.
  if (intent === 'policies') {
    const submission = parseForm(formData, SlaPoliciesSchema)
    if (submission.status !== 'success') return fail(submission)
    const policies = Object.fromEntries(
      TICKET_PRIORITIES.map((p) => {
        const v = submission.value[p]
        return [p, { firstResponseMinutes: v.firstResponseMinutes, resolutionMinutes: v.resolutionMinutes, updateMinutes: v.updateMinutes ?? null, afterHoursFirstResponseMinutes: v.afterHoursFirstResponseMinutes ?? null, businessHours: v.businessHours === 'on' }]
      }),
    ) as Parameters<typeof updateSlaPolicies>[0]
    await updateSlaPolicies(policies)
  } else if (intent === 'week') {
    const submission = parseForm(formData, BusinessWeekSchema)
    if (submission.status !== 'success') return fail(submission)
    await updateBusinessWeek(submission.value)
  } else if (intent === 'add-holiday') {
    const submission = parseForm(formData, HolidaySchema)
    if (submission.status !== 'success') return fail(submission)
    if (!(await addHoliday(submission.value))) return fail(submission, { fieldErrors: { day: [`${submission.value.day} is already a holiday.`] } })
  } else if (intent === 'remove-holiday') {
    const submission = parseForm(formData, RemoveHolidaySchema)
    if (submission.status !== 'success') return fail(submission)
    await removeHoliday(submission.value)
  } else {
    throw json({ message: 'Unknown action.' }, { status: 400 })
  }
  return redirect('/admin/sla?saved=1')
}

export default function AdminSla() {
  const { policies, calendar, holidays } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const policyForm = formStateFor(actionData, 'policies')
  const weekForm = formStateFor(actionData, 'week')
  const holidayForm = formStateFor(actionData, 'add-holiday')
  return (
    <section>
      <h1>SLA policies</h1>
      <p className="lede">Targets per priority. Premium requesters get every target 50% shorter. Changes apply at once to every ticket still running.</p>

      <Form method="post" noValidate aria-labelledby="policies-heading">
        <h2 id="policies-heading">Targets</h2>
        <FormErrors errors={policyForm.formErrors} />
        <table className="data-table sla-policy-table">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">First response (minutes)</th>
              <th scope="col">First response outside business hours (minutes, optional)</th>
              <th scope="col">Resolution (minutes)</th>
              <th scope="col">Update every (minutes, optional)</th>
              <th scope="col">Business hours only</th>
            </tr>
          </thead>
          <tbody>
            {PRIORITY_OPTIONS.map(({ value: p, label }) => {
              const policy = policies[p]
              const field = (name: string) => `${p}.${name}`
              return (
                <tr key={p}>
                  <th scope="row" data-label="Priority">{label}</th>
                  {(['firstResponseMinutes', 'afterHoursFirstResponseMinutes', 'resolutionMinutes', 'updateMinutes'] as const).map((name) => (
                    <td key={name} data-label={name === 'firstResponseMinutes' ? 'First response (minutes)' : name === 'afterHoursFirstResponseMinutes' ? 'First response outside business hours (minutes)' : name === 'resolutionMinutes' ? 'Resolution (minutes)' : 'Update every (minutes)'}>
                      <label className="visually-hidden" htmlFor={`sla-${p}-${name}`}>
                        {p} {POLICY_FIELD_LABELS[name]} in minutes
                      </label>
                      <input
                        id={`sla-${p}-${name}`}
                        name={field(name)}
                        type="number"
                        min={1}
                        defaultValue={policyForm.value(field(name), policy[name] === null ? '' : String(policy[name]))}
                        aria-invalid={policyForm.errorsFor(field(name)) ? true : undefined}
                        aria-describedby={policyForm.errorsFor(field(name)) ? `sla-${p}-${name}-error` : undefined}
                      />
                      <FieldErrors id={`sla-${p}-${name}-error`} errors={policyForm.errorsFor(field(name))} />
                    </td>
                  ))}
                  <td data-label="Business hours only">
                    <label>
                      <input type="checkbox" name={field('businessHours')} defaultChecked={policy.businessHours} /> {p} uses business hours
                    </label>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
        <p className="hint">One business day is one working day of the business hours below (09:00–18:00 is 540 minutes).</p>
        <p className="hint">
          First response outside business hours counts real minutes, around the clock: the first response is due when either target runs out, whichever comes first (a High ticket opened at 04:11 with 60 business minutes or 240 real minutes is due at 08:11). Leave it empty to use only the business-hours target.
        </p>
        <button type="submit" name="intent" value="policies">
          Save targets
        </button>
      </Form>

      <Form method="post" noValidate aria-labelledby="week-heading">
        <h2 id="week-heading">Business hours</h2>
        <Field label="Time zone" name="timeZone" defaultValue={weekForm.value('timeZone', calendar.timeZone)} errors={weekForm.errorsFor('timeZone')} hint="An IANA name, such as America/Los_Angeles or Europe/Berlin." />
        <div className="inline-form">
          <Field label="Opens at" name="opensAt" type="time" defaultValue={weekForm.value('opensAt', calendar.opensAt)} errors={weekForm.errorsFor('opensAt')} />
          <Field label="Closes at" name="closesAt" type="time" defaultValue={weekForm.value('closesAt', calendar.closesAt)} errors={weekForm.errorsFor('closesAt')} />
        </div>
        <fieldset>
          <legend>Working days</legend>
          {WEEKDAYS.map((day, i) => (
            <label key={day} className="checkbox">
              <input type="checkbox" name="weekdays" value={i + 1} defaultChecked={calendar.weekdays.includes(i + 1)} /> {day}
            </label>
          ))}
          <FieldErrors errors={weekForm.errorsFor('weekdays')} />
        </fieldset>
        <button type="submit" name="intent" value="week">
          Save business hours
        </button>
      </Form>

      <section aria-labelledby="holidays-heading">
        <h2 id="holidays-heading">Holidays</h2>
        <p className="hint">Closed all day; business-hours clocks skip them.</p>
        {holidays.length === 0 ? <EmptyState title="No holidays yet." /> : null}
        <ul>
          {holidays.map((h) => (
            <li key={h.day}>
              <Form method="post" className="inline-form">
                <span>
                  {formatDay(`${h.day}T12:00:00Z`)}: {h.name}
                </span>
                <input type="hidden" name="day" value={h.day} />
                <button type="submit" name="intent" value="remove-holiday" className="secondary" aria-label={`Remove ${h.name} (${h.day})`}>
                  Remove
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" noValidate className="inline-form">
          <Field label="Date" name="day" type="date" defaultValue={holidayForm.value('day')} errors={holidayForm.errorsFor('day')} />
          <Field label="Name" name="name" defaultValue={holidayForm.value('name')} errors={holidayForm.errorsFor('name')} />
          <button type="submit" name="intent" value="add-holiday">
            Add holiday
          </button>
        </Form>
      </section>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'SLA policies · Parley' }]
