import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { StatusBadges } from '~/components/question-list'
import { RoleBadge } from '~/components/role-badge'
import { listUserActivity } from '~/models/question.server'
import { getProfile } from '~/models/user.server'
import { formatDay } from '~/utils/dates'
import { invariantResponse, questionPath } from '~/utils/misc'

export async function loader({ params }: LoaderFunctionArgs) {
  const profile = await getProfile({ username: params.username ?? '' })
  invariantResponse(profile, 'There is no member with that username.')
  const activity = await listUserActivity({ userId: profile.id })
  return json({ profile, ...activity })
}

export default function Profile() {
  const { profile, questions, answers } = useLoaderData<typeof loader>()
  return (
    <section className="profile">
      <h1>
        {profile.username} <RoleBadge role={profile.role} />
      </h1>
      <p className="meta">
        Member since <time dateTime={profile.createdAt}>{formatDay(profile.createdAt)}</time>
        {profile.role === 'agent' && profile.supportTier ? ` · Tier ${profile.supportTier} support` : null}
      </p>
      <section aria-labelledby="profile-questions">
        <h2 id="profile-questions">Questions</h2>
        {questions.length === 0 ? (
          <p className="empty">No questions yet.</p>
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
          <p className="empty">No answers yet.</p>
        ) : (
          <ul className="activity">
            {answers.map((a) => (
              <li key={a.id}>
                <Link to={`${questionPath({ id: a.questionId, title: a.questionTitle })}#answer-${a.id}`}>{a.questionTitle}</Link>{' '}
                <StatusBadges accepted={a.isAccepted} official={a.isOfficial} /> <span className="muted">score {a.score}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.profile.username ?? 'Member'} · Parley` }]
