import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { FieldErrors, FormErrors, SelectField } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { StatusNotice } from '~/ui/status-notice'
import { getProfileSettings, updatePrivacy } from '~/accounts/profile.server'
import { requireUser } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse } from '~/platform/misc'
import { MESSAGE_POLICIES } from '~/accounts/privacy'
import { PrivacySchema } from '~/accounts/settings-forms.server'
import { readFormData } from '~/platform/request-input.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const settings = await getProfileSettings({ userId: user.id })
  invariantResponse(settings, 'Not found')
  return json({
    hideActivity: settings.hideActivity,
    messagePolicy: settings.messagePolicy,
    username: user.username,
    saved: new URL(request.url).searchParams.has('saved'),
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const submission = parseForm(await readFormData(request), PrivacySchema)
  if (submission.status !== 'success') return badRequest(submission)
  const { hideActivity = false, messagePolicy } = submission.value
  invariantResponse(await updatePrivacy({ userId: user.id, hideActivity, messagePolicy }), 'Not found')
  return redirect('/settings/privacy?saved')
}

export default function PrivacySettings() {
  const { hideActivity, messagePolicy, username, saved } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  return (
    <>
      <h2>Privacy</h2>
      <StatusNotice hidden={!!actionData}>{saved ? 'Your privacy settings have been saved.' : null}</StatusNotice>
      <Form method="post" noValidate>
        <FormErrors errors={form.formErrors} />
        <div className="field">
          <div className="checkbox-field">
            <input id="field-hideActivity" type="checkbox" name="hideActivity" value="on" defaultChecked={hideActivity} aria-describedby="field-hideActivity-hint" />
            <label htmlFor="field-hideActivity">Hide my activity list from other members</label>
          </div>
          <p className="hint" id="field-hideActivity-hint">
            The questions and answers listed on /u/{username}. Your posts stay visible in their threads, and moderators can still see the list.
          </p>
          <FieldErrors errors={form.errorsFor('hideActivity')} />
        </div>
        <SelectField
          label="Who may message me"
          name="messagePolicy"
          options={MESSAGE_POLICIES}
          defaultValue={messagePolicy}
          errors={form.errorsFor('messagePolicy')}
          hint="Also decides who notifies you by @mentioning you. Staff can always reach you about moderation and your support requests."
        />
        <button type="submit">Save privacy settings</button>
      </Form>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Privacy · Settings · Parley' }]
