import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { EmptyState } from '~/ui/empty-state'
import { DataTable, RowActionForm } from '~/ui/data-table'
import { formStateFor } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { readFormData } from '~/platform/request-input.server'
import { createPenaltyTemplate, deletePenaltyTemplate, listPenaltyTemplates } from '~/moderation/penalty-templates.server'
import { IdSchema, PenaltyTemplateSchema } from '~/moderation/screening-forms.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:moderation-settings:any')
  return json({ templates: await listPenaltyTemplates(), saved: new URL(request.url).searchParams.get('saved') })
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:moderation-settings:any')
  const formData = await readFormData(request)
  if (formData.get('intent') === 'delete') {
    const submission = parseForm(formData, IdSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent: 'delete' })
    await deletePenaltyTemplate({ id: submission.value.id })
    return redirect('/admin/penalty-templates')
  }
  const submission = parseForm(formData, PenaltyTemplateSchema)
  if (submission.status !== 'success') return badRequest(submission, undefined, { intent: 'create' })
  const { name, reason, penalty, days } = submission.value
  const created = await createPenaltyTemplate({ name, reason, penalty, days: days ?? null })
  if (!created.ok) return badRequest(submission, { fieldErrors: { name: [created.message] } }, { intent: 'create' })
  return redirect(`/admin/penalty-templates?saved=${encodeURIComponent(name)}`)
}

const PENALTY_LABELS = { none: 'None (the reason only)', silence: 'Silence', suspend: 'Suspend' } as const

export default function PenaltyTemplates() {
  const { templates, saved } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formStateFor(actionData, 'create')
  return (
    <section>
      <h1>Penalty templates</h1>
      <p>Canned reasons moderators choose in decision forms instead of typing: the reason is what the member is told; the days are the default length of a silence or suspension.</p>
      {saved && !actionData ? (
        <p className="notice" role="status">
          Saved the template “{saved}”.
        </p>
      ) : null}
      {templates.length === 0 ? (
        <EmptyState title="No templates yet." />
      ) : (
        <DataTable
          rows={templates}
          rowKey={(t) => t.id}
          columns={[
            { label: 'Name', cell: (t) => t.name },
            { label: 'Reason', cell: (t) => t.reason },
            { label: 'Penalty', cell: (t) => (t.penalty === 'none' ? 'None' : `${PENALTY_LABELS[t.penalty]}, ${t.days} days`) },
            { label: 'Delete', hidden: true, cell: (t) => <RowActionForm value={t.id} intent="delete" label="Delete" accessibleName={`Delete ${t.name}`} className="secondary button-small" /> },
          ]}
        />
      )}
      <Form method="post" noValidate aria-labelledby="new-template-heading">
        <h2 id="new-template-heading">New template</h2>
        <FormErrors errors={form.formErrors} />
        <Field label="Name" name="name" defaultValue={form.value('name')} errors={form.errorsFor('name')} required />
        <Field as="textarea" label="Reason (shown to the member)" name="reason" rows={3} defaultValue={form.value('reason')} errors={form.errorsFor('reason')} required />
        <SelectField label="Penalty" name="penalty" defaultValue={form.value('penalty', 'none')} errors={form.errorsFor('penalty')} options={Object.entries(PENALTY_LABELS).map(([value, label]) => ({ value, label }))} />
        <Field label="Days (for a silence or suspension)" name="days" type="number" min={1} max={365} defaultValue={form.value('days')} errors={form.errorsFor('days')} />
        <button type="submit" name="intent" value="create">
          Save template
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Penalty templates · Admin · Parley' }]
