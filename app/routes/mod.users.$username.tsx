import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors } from '~/ui/field'
import { DateTime } from '~/ui/time'
import { EmptyState } from '~/ui/empty-state'
import { addStaffNote, getMemberModeration } from '~/moderation/members.server'
import { deleteSpammer } from '~/moderation/spammer.server'
import { DeleteSpammerSchema, StaffNoteSchema } from '~/moderation/screening-forms.server'
import { DeleteSpammerForm } from '~/moderation/ui/delete-spammer-form'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { formStateFor } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { idOrNull, invariantResponse } from '~/platform/misc'
import { pathParams, readFormData } from '~/platform/request-input.server'

const NOT_FOUND = 'There is no such member.'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'moderate:content:any')
  const data = await getMemberModeration({ username: pathParams(params).username ?? '' })
  invariantResponse(data, NOT_FOUND)
  const q = new URL(request.url).searchParams
  return json({ ...data, deleted: q.get('deleted') === '1' ? { posts: Number(q.get('posts')) || 0, items: Number(q.get('items')) || 0 } : null, now: new Date().toISOString() })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const moderator = requireUserWithPermission(request, context, 'moderate:content:any')
  const username = pathParams(params).username ?? ''
  const data = await getMemberModeration({ username })
  invariantResponse(data, NOT_FOUND)
  const here = `/mod/users/${encodeURIComponent(data.member.username)}`
  const formData = await readFormData(request)
  if (formData.get('intent') === 'delete-spammer') {
    const submission = parseForm(formData, DeleteSpammerSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent: 'delete-spammer' })
    invariantResponse(submission.value.userId === data.member.id, NOT_FOUND, { status: 400 })
    const result = await deleteSpammer({ userId: data.member.id, moderator, reviewItemId: idOrNull(String(formData.get('reviewItemId') ?? '')) })
    if (!result.ok) return badRequest(submission, { formErrors: [result.reason === 'invalid' ? result.message : NOT_FOUND] }, { intent: 'delete-spammer' })
    return redirect(`${here}?deleted=1&posts=${result.removedPosts}&items=${result.resolvedItems}`)
  }
  const submission = parseForm(formData, StaffNoteSchema)
  if (submission.status !== 'success') return badRequest(submission, undefined, { intent: 'note' })
  await addStaffNote({ userId: data.member.id, authorId: moderator.id, body: submission.value.body })
  return redirect(`${here}#notes-heading`)
}

export default function MemberModeration() {
  const { member, history, notes, linked, deleted, now: renderedAt } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const note = formStateFor(actionData, 'note')
  // The loader's clock, not the browser's: a penalty ending between the two would make hydration differ.
  const now = new Date(renderedAt).getTime()
  const standing = member.bannedAt
    ? 'banned'
    : member.suspendedUntil && new Date(member.suspendedUntil).getTime() > now
      ? 'suspended'
      : member.silencedUntil && new Date(member.silencedUntil).getTime() > now
        ? 'silenced'
        : null
  const counts = [
    ['Questions', member.questionCount],
    ['Answers', member.answerCount],
    ['Removed posts', member.removedCount],
    ['Reports against them', member.reportsAgainst],
    ['Reports upheld', member.upheldAgainst],
    ['Reports they filed', member.reportsFiled],
    ['Open queue items', member.pendingItems],
  ] as const
  return (
    <section aria-labelledby="member-heading">
      <p>
        <Link to="/mod/queue">Back to the queue</Link>
      </p>
      <h1 id="member-heading">Moderation: {member.username}</h1>
      {deleted ? (
        <p className="notice" role="status">
          Deleted {member.username} as a spammer: {deleted.posts} {deleted.posts === 1 ? 'post' : 'posts'} removed, {deleted.items} queue {deleted.items === 1 ? 'item' : 'items'} resolved, the account banned and screened.
        </p>
      ) : null}
      <p className="meta">
        <Link to={`/u/${encodeURIComponent(member.username)}`}>Public profile</Link>
        <span>{member.role}</span>
        <span>
          joined <DateTime value={member.createdAt} day />
        </span>
        <span>{member.email}</span>
      </p>
      {member.bannedAt ? (
        <p className="notice notice-moderation">
          Banned since <DateTime value={member.bannedAt} />: {member.banReason}
        </p>
      ) : member.suspendedUntil && standing === 'suspended' ? (
        <p className="notice notice-moderation">
          Suspended until <DateTime value={member.suspendedUntil} />: {member.suspensionReason}
        </p>
      ) : member.silencedUntil && standing === 'silenced' ? (
        <p className="notice notice-moderation">
          Silenced until <DateTime value={member.silencedUntil} />: {member.silenceReason}
        </p>
      ) : null}
      <h2>Counts</h2>
      <ul>
        {counts.map(([label, value]) => (
          <li key={label}>
            {label}: <strong>{value}</strong>
          </li>
        ))}
      </ul>

      <h2 id="notes-heading">Staff notes</h2>
      {notes.length === 0 ? <p className="muted">No notes yet. Only moderators see them.</p> : null}
      <ul>
        {notes.map((n) => (
          <li key={n.id}>
            <DateTime value={n.createdAt} /> {n.authorUsername}: {n.body}
          </li>
        ))}
      </ul>
      <Form method="post" noValidate aria-label="Add a staff note">
        <FormErrors errors={note.formErrors} />
        <Field as="textarea" label="New staff note (only moderators see it)" name="body" rows={2} defaultValue={note.value('body')} errors={note.errorsFor('body')} />
        <button type="submit" name="intent" value="note" className="secondary">
          Add note
        </button>
      </Form>

      <h2>Moderation history</h2>
      {history.length === 0 ? <EmptyState title="No moderation actions about this member." /> : null}
      <ol className="history">
        {history.map((h) => (
          <li key={h.id}>
            <DateTime value={h.createdAt} />: {h.action}
            {h.durationDays ? ` (${h.durationDays} days)` : ''} by {h.moderatorUsername ?? 'Parley'} — {h.reason}
            {h.reviewItemId ? (
              <>
                {' '}
                <Link to={`/mod/queue/${h.reviewItemId}`}>item #{h.reviewItemId}</Link>
              </>
            ) : null}
          </li>
        ))}
      </ol>

      <h2>Linked accounts</h2>
      <p className="muted">Other accounts that signed up or posted from an address this member used{member.signupIp || member.lastPostIp ? ` (${[member.signupIp, member.lastPostIp].filter(Boolean).join(', ')})` : ''}, or share their email domain (unless a common provider).</p>
      {linked.length === 0 ? (
        <p>None found.</p>
      ) : (
        <ul>
          {linked.map((l) => (
            <li key={l.username}>
              <Link to={`/mod/users/${encodeURIComponent(l.username)}`}>{l.username}</Link> — {[l.sameAddress ? 'same address' : null, l.sameDomain ? 'same email domain' : null, l.bannedAt ? 'banned' : null].filter(Boolean).join(', ')}
            </li>
          ))}
        </ul>
      )}

      {member.role === 'member' && !member.bannedAt ? <DeleteSpammerForm userId={member.id} username={member.username} actionData={actionData} /> : null}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.member.username} · Moderation · Parley` : 'Not found · Parley' }]
