import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { FormErrors } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { StatusNotice } from '~/ui/status-notice'
import { endOtherSession, endOtherSessions, listSessions } from '~/platform/auth/sessions.server'
import { requireUser } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse, oneOf } from '~/platform/misc'
import { SessionsSchema } from '~/accounts/settings-forms.server'
import { describeUserAgent } from '~/platform/user-agent.server'
import { readFormData } from '~/platform/request-input.server'
import { DataTable, RowActionForm } from '~/ui/data-table'
import { DateTime, useDates } from '~/ui/time'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  invariantResponse(context.session, 'Not found')
  const sessions = await listSessions({ userId: user.id, currentSessionId: context.session.id })
  return json({
    sessions: sessions.map((s) => ({
      handle: s.handle,
      device: describeUserAgent(s.userAgent) || 'Unknown device',
      ipAddress: s.ipAddress,
      createdAt: s.createdAt,
      isCurrent: s.isCurrent,
    })),
    ended: oneOf(new URL(request.url).searchParams.get('ended'), ['others', 'one']),
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  invariantResponse(context.session, 'Not found')
  const submission = parseForm(await readFormData(request), SessionsSchema)
  if (submission.status !== 'success') return badRequest(submission)
  if (submission.value.intent === 'end-others') {
    await endOtherSessions({ userId: user.id, keepSessionId: context.session.id })
    return redirect('/settings/sessions?ended=others')
  }
  const ended = await endOtherSession({ userId: user.id, handle: submission.value.session, currentSessionId: context.session.id })
  invariantResponse(ended, 'You have no such session: it may have ended already.')
  return redirect('/settings/sessions?ended=one')
}

export default function SessionSettings() {
  const dates = useDates()
  const { sessions, ended } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  const others = sessions.filter((s) => !s.isCurrent).length
  return (
    <>
      <h2>Sessions</h2>
      <p className="lede">Where you are logged in. If you do not recognise a device, log it out and change your password.</p>
      <StatusNotice hidden={!!actionData}>
        {ended ? (ended === 'others' ? 'You have been logged out everywhere else.' : 'That session has been logged out.') : null}
      </StatusNotice>
      <FormErrors errors={[...(form.formErrors ?? []), ...(form.errorsFor('session') ?? [])]} />
      <DataTable
        className="sessions-table"
        rows={sessions}
        rowKey={(s) => s.handle}
        rowProps={(s) => ({ 'aria-current': s.isCurrent ? 'true' : undefined })}
        columns={[
          {
            label: 'Device',
            rowHeader: true,
            cell: (s) => (
              <>
                {s.device}
                {s.isCurrent ? <span className="badge this-device">This device</span> : null}
              </>
            ),
          },
          { label: 'IP address', cell: (s) => s.ipAddress ?? 'Unknown' },
          { label: 'Started', cell: (s) => <DateTime value={s.createdAt} /> },
          {
            label: 'Actions',
            hidden: true,
            cell: (s) =>
              s.isCurrent ? null : (
                <RowActionForm field="session" value={s.handle} intent="end-session" label="Log out this session" accessibleName={`Log out this session: ${s.device}, started ${dates.dateTime(s.createdAt)}`} />
              ),
          },
        ]}
      />
      {others > 0 ? (
        <Form method="post" className="sessions-end-others">
          <button type="submit" name="intent" value="end-others">
            Log out everywhere else
          </button>
        </Form>
      ) : (
        <p className="muted">You are not logged in anywhere else.</p>
      )}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Sessions · Settings · Parley' }]
