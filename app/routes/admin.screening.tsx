import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { EmptyState } from '~/ui/empty-state'
import { DataTable, RowActionForm } from '~/ui/data-table'
import { DateTime } from '~/ui/time'
import { formStateFor } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { idOrNull } from '~/platform/misc'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { readFormData } from '~/platform/request-input.server'
import { addScreenedEntry, listScreenedEntries, parseScreenedValue, removeScreenedEntry } from '~/moderation/screening.server'
import { IdSchema, ScreenedEntrySchema } from '~/moderation/screening-forms.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:moderation-settings:any')
  const url = new URL(request.url)
  const page = await listScreenedEntries({ beforeId: idOrNull(url.searchParams.get('before')) })
  return json({ ...page, saved: url.searchParams.get('saved'), removed: url.searchParams.get('removed') === '1' })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireUserWithPermission(request, context, 'manage:moderation-settings:any')
  const formData = await readFormData(request)
  const intent = String(formData.get('intent') ?? '')
  if (intent === 'remove') {
    const submission = parseForm(formData, IdSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    await removeScreenedEntry({ id: submission.value.id })
    return redirect('/admin/screening?removed=1')
  }
  const submission = parseForm(formData, ScreenedEntrySchema)
  if (submission.status !== 'success') return badRequest(submission, undefined, { intent: 'add' })
  const { kind, value, action, reason } = submission.value
  const parsed = parseScreenedValue(kind, value)
  if (!parsed.ok) return badRequest(submission, { fieldErrors: { value: [parsed.message] } }, { intent: 'add' })
  const row = await addScreenedEntry({ kind, value: parsed.value, action, reason, createdById: admin.id })
  return redirect(`/admin/screening?saved=${encodeURIComponent(row.value)}`)
}

const KIND_LABELS = { email: 'Email address', domain: 'Email domain', ip: 'IP address or range' } as const
const ACTION_LABELS = { block: 'Block', approve: 'Require approval' } as const

export default function AdminScreening() {
  const { entries, nextBeforeId, saved, removed } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formStateFor(actionData, 'add')
  return (
    <section>
      <h1>Screening</h1>
      <p>
        Screened addresses, domains and networks are checked when someone signs up and when a member posts. <strong>Block</strong> refuses the sign-up or the post; <strong>require approval</strong> lets them in,
        but their posts wait for a moderator. People are never told which entry matched.
      </p>
      {saved && !actionData ? (
        <p className="notice" role="status">
          Screened {saved}.
        </p>
      ) : null}
      {removed && !actionData ? (
        <p className="notice" role="status">
          Removed the entry.
        </p>
      ) : null}
      <Form method="post" noValidate aria-labelledby="add-screened-heading">
        <h2 id="add-screened-heading">Add an entry</h2>
        <FormErrors errors={form.formErrors} />
        <SelectField label="What to screen" name="kind" defaultValue={form.value('kind', 'email')} errors={form.errorsFor('kind')} options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))} />
        <Field label="Value" name="value" hint="An address (name@example.com), a domain (example.com, which covers its subdomains), or an IPv4 or IPv6 address or range in CIDR notation (203.0.113.0/24, 2001:db8::/32)." defaultValue={form.value('value')} errors={form.errorsFor('value')} required />
        <SelectField label="Action" name="action" defaultValue={form.value('action', 'block')} errors={form.errorsFor('action')} options={Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }))} />
        <Field label="Note for staff (optional)" name="reason" defaultValue={form.value('reason')} errors={form.errorsFor('reason')} />
        <button type="submit" name="intent" value="add">
          Add to screening
        </button>
      </Form>
      <h2>Screened</h2>
      {entries.length === 0 ? (
        <EmptyState title="Nothing is screened yet." />
      ) : (
        <DataTable
          rows={entries}
          rowKey={(entry) => entry.id}
          columns={[
            { label: 'Kind', cell: (entry) => KIND_LABELS[entry.kind] },
            { label: 'Value', cell: (entry) => entry.value },
            { label: 'Action', cell: (entry) => ACTION_LABELS[entry.action] },
            { label: 'Note', cell: (entry) => entry.reason || '—' },
            { label: 'Added', cell: (entry) => <DateTime value={entry.createdAt} day /> },
            { label: 'Remove', hidden: true, cell: (entry) => <RowActionForm value={entry.id} intent="remove" label="Remove" accessibleName={`Remove ${entry.value}`} className="secondary button-small" /> },
          ]}
        />
      )}
      {nextBeforeId ? (
        <nav aria-label="Pagination" className="pagination">
          <Link to={`?before=${nextBeforeId}`}>Older entries</Link>
        </nav>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Screening · Admin · Parley' }]
