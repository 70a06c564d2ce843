import { gateProfile } from '~/moderation/posting-gate.server'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { formStateFor, type SubmissionReply } from '~/platform/form-state'
import { StatusNotice } from '~/ui/status-notice'
import { getProfileSettings, profileTexts, removeAvatar, replaceAvatar, updateProfile, updateTimeZone } from '~/accounts/profile.server'
import { requireUser, type AuthUser } from '~/platform/auth/auth.server'
import { avatarUrl, parseAvatarUpload, sniffImageType } from '~/accounts/avatar.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse, oneOf } from '~/platform/misc'
import { forbidden, restrictionMessage } from '~/platform/auth/permissions.server'
import { restrictionOf } from '~/platform/auth/permissions'
import { MAX_AVATAR_BYTES, MAX_BIO_LENGTH, MAX_DISPLAY_NAME_LENGTH } from '~/accounts/rules'
import { ProfileSchema, TimeZoneSchema } from '~/accounts/settings-forms.server'
import { selectableTimeZones } from '~/platform/time-zone.server'
import { useTimeZone } from '~/ui/time'
import { readFormData } from '~/platform/request-input.server'

const SAVED = ['profile', 'avatar', 'avatar-removed', 'time-zone'] as const

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const settings = await getProfileSettings({ userId: user.id })
  invariantResponse(settings, 'Not found')
  const restriction = restrictionOf(user)
  return json({
    displayName: settings.displayName ?? '',
    bio: settings.bioSource,
    avatarUrl: settings.avatarPath ? avatarUrl(settings.avatarPath) : null,
    username: user.username,
    restriction: restriction ? restrictionMessage(restriction) : null,
    saved: oneOf(new URL(request.url).searchParams.get('saved'), SAVED),
    timeZone: user.timeZone ?? '',
    // A zone the browser once named that Intl lists under another name (Asia/Kolkata) stays choosable.
    timeZones: user.timeZone && !selectableTimeZones().includes(user.timeZone) ? [user.timeZone, ...selectableTimeZones()] : selectableTimeZones(),
  })
}

/**
 * A field error without a conform submission: multipart bodies are read by the upload handler.
 * Returned, not thrown, so a form posted without JavaScript shows it beside the field too.
 */
const avatarError = (message: string, status = 400) => json({ intent: 'avatar', result: { error: { avatar: [message] } } satisfies SubmissionReply }, { status })

/**
 * A profile is public content like a post, so a suspended or banned member cannot change it (they
 * can still remove their avatar).
 */
function requireUnrestricted(user: AuthUser) {
  const restriction = restrictionOf(user)
  if (restriction) throw forbidden(restrictionMessage(restriction))
}

async function uploadAvatar(request: Request, user: AuthUser) {
  requireUnrestricted(user)
  const upload = await parseAvatarUpload(request)
  if (upload.status === 'too-large') return avatarError(`The image is too large: choose one of at most ${MAX_AVATAR_BYTES / 1024 / 1024} MB.`, 413)
  if (upload.status === 'malformed') return avatarError('The upload could not be read; choose the image and try again.')
  const file = upload.formData.get('avatar')
  if (!(file instanceof File) || file.size === 0) return avatarError('Choose an image to upload.')
  const bytes = new Uint8Array(await file.arrayBuffer())
  const type = sniffImageType(bytes)
  if (!type) return avatarError('Upload a PNG, JPEG, GIF or WebP image.')
  await replaceAvatar({ userId: user.id, bytes, type })
  return redirect('/settings?saved=avatar')
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  if (request.headers.get('Content-Type')?.toLowerCase().startsWith('multipart/form-data')) return uploadAvatar(request, user)

  const formData = await readFormData(request)
  const intent = formData.get('intent')
  if (intent === 'remove-avatar') {
    await removeAvatar({ userId: user.id })
    return redirect('/settings?saved=avatar-removed')
  }
  // Not public content: a restricted member may still choose how times are shown to them.
  if (intent === 'time-zone') {
    const submission = parseForm(formData, TimeZoneSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    invariantResponse(await updateTimeZone({ userId: user.id, timeZone: submission.value.timeZone }), 'Not found')
    return redirect('/settings?saved=time-zone')
  }
  if (intent === 'profile') {
    requireUnrestricted(user)
    const submission = parseForm(formData, ProfileSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    const texts = { displayName: submission.value.displayName ?? null, bio: submission.value.bio ?? '' }
    const verdict = await gateProfile({ author: user, texts, previous: await profileTexts(user.id) })
    if (verdict.action === 'block') return badRequest(submission, { fieldErrors: { [verdict.field]: [verdict.message] } }, { intent })
    invariantResponse(await updateProfile({ userId: user.id, displayName: texts.displayName, bioSource: texts.bio, flags: verdict.flags }), 'Not found')
    return redirect('/settings?saved=profile')
  }
  throw json({ message: 'Unknown action.' }, { status: 400 })
}

const SAVED_MESSAGES: Record<(typeof SAVED)[number], string> = {
  profile: 'Your profile has been saved.',
  avatar: 'Your new avatar has been saved.',
  'avatar-removed': 'Your avatar has been removed.',
  'time-zone': 'Your time zone has been saved.',
}

export default function ProfileSettings() {
  const { displayName, bio, avatarUrl, username, restriction, saved, timeZone, timeZones } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const zoneForm = formStateFor(actionData, 'time-zone')
  const shownZone = useTimeZone()
  const profile = formStateFor(actionData, 'profile')
  const avatar = formStateFor(actionData, 'avatar')
  return (
    <>
      <h2>Profile</h2>
      <p className="lede">
        Shown on <Link to={`/u/${username}`}>your public profile</Link>.
      </p>
      <StatusNotice hidden={!!actionData}>{saved ? SAVED_MESSAGES[saved] : null}</StatusNotice>
      {restriction ? (
        <p className="notice notice-moderation" role="status">
          {restriction} That includes changing your display name, bio and avatar.
        </p>
      ) : null}
      <Form method="post" noValidate aria-labelledby="profile-form-heading">
        <h3 id="profile-form-heading" className="visually-hidden">
          Name and bio
        </h3>
        <FormErrors errors={profile.formErrors} />
        <Field
          label="Display name"
          name="displayName"
          autoComplete="nickname"
          maxLength={MAX_DISPLAY_NAME_LENGTH}
          hint={`Optional; shown beside your username. At most ${MAX_DISPLAY_NAME_LENGTH} characters.`}
          defaultValue={profile.value('displayName', displayName)}
          errors={profile.errorsFor('displayName')}
        />
        <Field
          as="textarea"
          label="Bio"
          name="bio"
          rows={6}
          maxLength={MAX_BIO_LENGTH}
          hint={`A few words about you, in Markdown. At most ${MAX_BIO_LENGTH.toLocaleString('en')} characters.`}
          defaultValue={profile.value('bio', bio)}
          errors={profile.errorsFor('bio')}
        />
        <button type="submit" name="intent" value="profile">
          Save profile
        </button>
      </Form>

      <h3 id="avatar-heading">Avatar</h3>
      <div className="avatar-settings">
        {avatarUrl ? <img className="avatar avatar-large" src={avatarUrl} alt="Your current avatar" width={96} height={96} /> : <p className="muted">You have no avatar yet.</p>}
        <div>
          <Form method="post" encType="multipart/form-data" aria-labelledby="avatar-heading">
            <Field
              label="Avatar"
              name="avatar"
              type="file"
              accept="image/png,image/jpeg,image/gif,image/webp"
              hint={`A PNG, JPEG, GIF or WebP image of at most ${MAX_AVATAR_BYTES / 1024 / 1024} MB.`}
              errors={avatar.errorsFor('avatar')}
            />
            <button type="submit" name="intent" value="avatar">
              Upload avatar
            </button>
          </Form>
          {avatarUrl ? (
            <Form method="post" className="avatar-remove">
              <button type="submit" name="intent" value="remove-avatar" className="secondary">
                Remove avatar
              </button>
            </Form>
          ) : null}
        </div>
      </div>

      <Form method="post" noValidate aria-labelledby="time-zone-heading">
        <h3 id="time-zone-heading">Time zone</h3>
        <FormErrors errors={zoneForm.formErrors} />
        <SelectField
          label="Show times in"
          name="timeZone"
          hint={`Times on questions, tickets and notifications are shown in this zone; now ${shownZone.replace(/_/g, ' ')}.`}
          options={[{ value: '', label: 'My browser’s time zone (automatic)' }, ...timeZones.map((zone) => ({ value: zone, label: zone.replace(/_/g, ' ') }))]}
          defaultValue={zoneForm.value('timeZone', timeZone)}
          errors={zoneForm.errorsFor('timeZone')}
        />
        <button type="submit" name="intent" value="time-zone">
          Save time zone
        </button>
      </Form>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Profile · Settings · Parley' }]
