import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { StatusBadges } from '~/forum/ui/question-list'
import { RoleBadge } from '~/accounts/ui/role-badge'
import { listUserActivity } from '~/forum/questions.server'
import { getProfile } from '~/accounts/users.server'
import { useOptionalUser } from '~/root'
import { answerPath, invariantResponse, questionPath } from '~/platform/misc'
import { blockMember, hasBlocked, unblockMember } from '~/moderation/blocks.server'
import { getUser, requireUser } from '~/platform/auth/auth.server'
import { avatarUrl } from '~/accounts/avatar.server'
import { can } from '~/platform/auth/permissions'
import { readFields, pathParams } from '~/platform/request-input.server'
import { EmptyState } from '~/ui/empty-state'
import { DateTime } from '~/ui/time'
import { pageMeta } from '~/platform/seo'
import { markdownToPlainExcerpt } from '~/platform/markdown.server'

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = getUser(context)
  const profile = await getProfile({ username: pathParams(params).username ?? '' })
  invariantResponse(profile, 'There is no member with that username.')
  const isSelf = viewer?.id === profile.id
  // A hidden activity list is not even loaded for other members; moderators still need it.
  const showActivity = !profile.hideActivity || isSelf || can(viewer, 'moderate:content:any')
  const [activity, block] = await Promise.all([
    showActivity ? listUserActivity({ userId: profile.id }) : Promise.resolve(null),
    viewer && viewer.id !== profile.id ? hasBlocked({ blockerId: viewer.id, blockedId: profile.id }) : Promise.resolve(null),
  ])
  const { avatarPath, hideActivity, ...shown } = profile
  return json({
    profile: { ...shown, avatarUrl: avatarPath ? avatarUrl(avatarPath) : null },
    activity,
    activityHiddenFromOthers: hideActivity,
    isSelf,
    block,
    description: markdownToPlainExcerpt(profile.bioHtml, 160),
  })
}

/** Blocking is a member's own tool: it needs no permission beyond being signed in, even when suspended. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const username = pathParams(params).username ?? ''
  const intent = (await readFields(request)).get('intent')
  if (intent === 'block') {
    const result = await blockMember({ blockerId: user.id, username })
    invariantResponse(result !== 'no-such-member', 'There is no member with that username.')
    if (result !== 'ok') throw json({ message: result === 'self' ? 'You cannot block yourself.' : 'Staff cannot be blocked: they must be able to help everyone.' }, { status: 400 })
  } else if (intent === 'unblock') {
    invariantResponse(await unblockMember({ blockerId: user.id, username }), 'You have not blocked this member, or a moderator set the block.', { status: 400 })
  } else {
    throw json({ message: 'Unknown action.' }, { status: 400 })
  }
  return redirect(`/u/${username}`)
}

export default function Profile() {
  const { profile, activity, activityHiddenFromOthers, isSelf, block } = useLoaderData<typeof loader>()
  const user = useOptionalUser()
  const name = profile.displayName ?? profile.username
  return (
    <section className="profile">
      <div className="profile-header">
        {profile.avatarUrl ? <img className="avatar avatar-large" src={profile.avatarUrl} alt={`Avatar of ${name}`} width={96} height={96} /> : null}
        <div>
          <h1>
            {name} <RoleBadge role={profile.role} />
          </h1>
          {profile.displayName ? <p className="meta profile-username">{profile.username}</p> : null}
          <p className="meta">
            Member since <DateTime value={profile.createdAt} day />
            {profile.role === 'agent' && profile.supportTier ? ` · Tier ${profile.supportTier} support` : null}
          </p>
        </div>
      </div>
      {profile.bioHtml ? <div className="post-body profile-bio" dangerouslySetInnerHTML={{ __html: profile.bioHtml }} /> : null}
      {user && !isSelf ? (
        <div className="answer-actions">
          <Link to={`/report?target=user:${profile.id}`} className="report-link">
            Report profile
          </Link>
          {block?.byModerator ? (
            <span className="muted">A moderator set a block between you.</span>
          ) : profile.role === 'member' ? (
            <Form method="post">
              <button type="submit" name="intent" value={block ? 'unblock' : 'block'} className="secondary">
                {block ? `Unblock ${profile.username}` : `Block ${profile.username}`}
              </button>
            </Form>
          ) : null}
          <Link to={`/conflicts/new?with=${encodeURIComponent(profile.username)}`} className="report-link">
            Ask moderators for help with {profile.username}
          </Link>
        </div>
      ) : null}
      {!activity ? (
        <p className="muted profile-activity-hidden">{name} keeps their list of questions and answers private.</p>
      ) : (
        <ProfileActivity {...activity} note={activityHiddenFromOthers ? (isSelf ? 'Your activity list is hidden from other members.' : 'This activity list is hidden from members; you see it as staff.') : null} />
      )}
    </section>
  )
}

type Activity = NonNullable<SerializeFrom<typeof loader>['activity']>

function ProfileActivity({ questions, answers, note }: Activity & { note: string | null }) {
  return (
    <>
      {note ? (
        <p className="notice" role="status">
          {note}
        </p>
      ) : null}
      <section aria-labelledby="profile-questions">
        <h2 id="profile-questions">Questions</h2>
        {questions.length === 0 ? (
          <EmptyState title="No questions yet." />
        ) : (
          <ul className="activity">
            {questions.map((q) => (
              <li key={q.id}>
                <Link to={questionPath(q)}>{q.title}</Link> <StatusBadges accepted={q.hasAcceptedAnswer} official={q.hasOfficialAnswer} />{' '}
                <span className="muted">
                  {q.answerCount} {q.answerCount === 1 ? 'answer' : 'answers'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="profile-answers">
        <h2 id="profile-answers">Answers</h2>
        {answers.length === 0 ? (
          <EmptyState title="No answers yet." />
        ) : (
          <ul className="activity">
            {answers.map((a) => (
              <li key={a.id}>
                <Link to={answerPath(a.id)}>{a.questionTitle}</Link>{' '}
                <StatusBadges accepted={a.isAccepted} official={a.isOfficial} /> <span className="muted">score {a.score}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? pageMeta({
        matches,
        title: `${data.profile.displayName ?? data.profile.username} · Parley`,
        description: data.description || `${data.profile.displayName ?? data.profile.username} is a member of the Parley community.`,
        path: `/u/${encodeURIComponent(data.profile.username)}`,
        type: 'profile',
        card: true,
        extra: [{ property: 'profile:username', content: data.profile.username }],
      })
    : [{ title: 'Member not found · Parley' }]
