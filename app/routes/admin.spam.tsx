import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { formStateFor } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { SpamSettingsSchema } from '~/moderation/spam-forms.server'
import { listSpamSettings, updateSpamSettings } from '~/moderation/watched-words.server'
import { readFormData } from '~/platform/request-input.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:spam:any')
  return json({ settings: await listSpamSettings() })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireUserWithPermission(request, context, 'manage:spam:any')
  const formData = await readFormData(request)
  const intent = String(formData.get('intent') ?? '')
  if (intent !== 'save') throw json({ message: 'Unknown action.' }, { status: 400 })
  const submission = parseForm(formData, SpamSettingsSchema)
  if (submission.status !== 'success') return badRequest(submission, { formErrors: ['Some settings were not saved: see the errors beside them. Nothing was changed.'] }, { intent })
  await updateSpamSettings({ values: submission.value, adminId: admin.id })
  return redirect('/admin/spam?saved=1')
}

export default function AdminSpam() {
  const { settings } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const form = formStateFor(actionData, 'save')
  return (
    <section>
      <h1>Spam rules</h1>
      <p className="lede">
        Every question and answer by a member passes these rules as it is written. Each rule adds points; at the first threshold the post waits for a moderator’s approval in the{' '}
        <Link to="/mod/queue?kind=queued-post">moderation queue</Link>, at the second it is refused. A new member’s first posts always wait. Staff are never held. See also the{' '}
        <Link to="/admin/watched-words">watched words</Link>.
      </p>
      {searchParams.get('saved') && !actionData ? (
        <p role="status" className="notice">
          Spam rules saved.
        </p>
      ) : null}
      <FormErrors errors={form.formErrors} />
      <Form method="post" noValidate>
        {settings.map((s) => (
          <Field
            key={s.name}
            label={s.label}
            name={s.name}
            id={`spam-${s.name}`}
            type="number"
            min={0}
            max={s.max}
            step={1}
            hint={`Default ${s.defaultValue}${s.overridden ? `; now ${s.value}` : ''}.`}
            defaultValue={form.value(s.name) ?? String(s.value)}
            errors={form.errorsFor(s.name)}
          />
        ))}
        <button type="submit" name="intent" value="save">
          Save spam rules
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Spam rules · Parley' }]
