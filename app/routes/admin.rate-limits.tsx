import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { FieldErrors, FormErrors } from '~/ui/field'
import { formStateFor } from '~/platform/form-state'
import { DateTime } from '~/ui/time'
import { badRequest, parseForm } from '~/platform/forms.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { RateLimitsSchema, ResetRateLimitSchema } from '~/rate-limits/forms.server'
import { listRateLimits, RATE_LIMIT_BOUNDS, resetRateLimit, updateRateLimits } from '~/rate-limits/rules.server'
import { readFormData } from '~/platform/request-input.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:rate-limits:any')
  return json({ rules: await listRateLimits(), bounds: RATE_LIMIT_BOUNDS })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireUserWithPermission(request, context, 'manage:rate-limits:any')
  const formData = await readFormData(request)
  const intent = String(formData.get('intent') ?? '')

  if (intent === 'save') {
    const submission = parseForm(formData, RateLimitsSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    await updateRateLimits({ settings: submission.value, adminId: admin.id })
    return redirect('/admin/rate-limits?saved=1')
  }
  if (intent === 'reset') {
    const submission = parseForm(formData, ResetRateLimitSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    await resetRateLimit({ name: submission.value.rule })
    return redirect(`/admin/rate-limits?reset=${encodeURIComponent(submission.value.rule)}`)
  }
  throw json({ message: 'Unknown action.' }, { status: 400 })
}

export default function AdminRateLimits() {
  const { rules, bounds } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const form = formStateFor(actionData, 'save')
  // conform gives typed values back nested by rule (`{ 'post-member': { maxHits } }`).
  const typed = (actionData && 'intent' in actionData && actionData.intent === 'save' ? (actionData.result?.initialValue ?? {}) : {}) as Record<string, Record<string, string> | undefined>
  const resetName = searchParams.get('reset')
  const resetRule = rules.find((r) => r.name === resetName)
  const hasErrors = !!actionData && 'result' in actionData && !!actionData.result?.error && Object.keys(actionData.result.error).length > 0

  return (
    <section>
      <h1>Rate limits</h1>
      <p className="lede">
        How often members and visitors may sign up, log in, post, report and make Parley send mail. A limit allows so many times per window; the window opens at the first time and lasts
        the number of seconds given. Staff (moderators, agents and admins) are exempt from the per-member limits. A member counts as new for their first 24 hours. Changes hold at once in
        every server process.
      </p>
      {searchParams.get('saved') && !actionData ? <p role="status" className="notice">Rate limits saved.</p> : null}
      {resetRule && !actionData ? (
        <p role="status" className="notice">
          “{resetRule.label}” is back to its default.
        </p>
      ) : null}
      {hasErrors ? <FormErrors errors={['Some limits were not saved: see the errors beside them. Nothing was changed.']} /> : null}

      <Form method="post" id="rate-limits-form" noValidate>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Limit</th>
              <th scope="col">Default</th>
              <th scope="col">Now</th>
              <th scope="col">Times allowed</th>
              <th scope="col">Window (seconds)</th>
              <th scope="col">
                <span className="visually-hidden">Reset</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => {
              const field = (name: 'maxHits' | 'windowSeconds') => `${rule.name}.${name}`
              const value = (name: 'maxHits' | 'windowSeconds') => typed[rule.name]?.[name] ?? String(rule.current[name])
              return (
                <tr key={rule.name}>
                  <th scope="row" data-label="Limit">
                    {rule.label}
                    <br />
                    <code className="muted">{rule.name}</code>
                  </th>
                  <td data-label="Default">
                    {rule.defaults.maxHits} per {rule.defaults.windowSeconds} s
                    <br />
                    <span className="muted">({rule.defaultRate})</span>
                  </td>
                  <td data-label="Now">
                    {rule.overridden ? (
                      <>
                        {rule.current.maxHits} per {rule.current.windowSeconds} s
                        <br />
                        <span className="muted">
                          ({rule.currentRate}; changed{rule.updatedBy ? ` by ${rule.updatedBy}` : ''}
                          {rule.updatedAt ? <> <DateTime value={rule.updatedAt} /></> : ''})
                        </span>
                      </>
                    ) : (
                      'Default'
                    )}
                  </td>
                  {(['maxHits', 'windowSeconds'] as const).map((name) => {
                    const id = `rate-limit-${rule.name}-${name}`
                    const errors = form.errorsFor(field(name))
                    return (
                      <td key={name} data-label={name === 'maxHits' ? 'Times allowed' : 'Window (seconds)'}>
                        <label className="visually-hidden" htmlFor={id}>
                          {name === 'maxHits' ? `Times allowed: ${rule.label}` : `Window in seconds: ${rule.label}`}
                        </label>
                        <input
                          id={id}
                          name={field(name)}
                          type="number"
                          min={1}
                          max={bounds[name]}
                          step={1}
                          required
                          defaultValue={value(name)}
                          aria-invalid={errors ? true : undefined}
                          aria-describedby={errors ? `${id}-error` : undefined}
                        />
                        <FieldErrors id={`${id}-error`} errors={errors} />
                      </td>
                    )
                  })}
                  <td>
                    {rule.overridden ? (
                      <button type="submit" form="reset-rate-limit-form" name="rule" value={rule.name} className="secondary" aria-label={`Reset “${rule.label}” to default`}>
                        Reset to default
                      </button>
                    ) : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
        <p className="hint">
          Times allowed: 1 to {bounds.maxHits.toLocaleString('en')}. Window: 1 to {bounds.windowSeconds.toLocaleString('en')} seconds (60 is a minute, 3,600 an hour,
          86,400 a day). A limit set back to its default follows the default again.
        </p>
        <button type="submit" name="intent" value="save">
          Save rate limits
        </button>
      </Form>
      {/* The reset buttons in the table submit this form (their form attribute), so Enter in a field still saves. */}
      <Form method="post" id="reset-rate-limit-form">
        <input type="hidden" name="intent" value="reset" />
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Rate limits · Parley' }]
