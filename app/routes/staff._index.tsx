import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { countTicketQueue } from '~/tickets/queue.server'
import { countUnansweredQuestions } from '~/forum/unanswered.server'
import { countPendingReviewItems } from '~/moderation/queue.server'
import { requireUser } from '~/platform/auth/auth.server'
import { can } from '~/platform/auth/permissions'
import { forbidden } from '~/platform/auth/permissions.server'

/** What needs staff attention now, in a few counts: unanswered questions, tickets, the moderation queue. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const support = can(user, 'watch:unanswered:any')
  const moderation = can(user, 'moderate:content:any')
  if (!support && !moderation) throw forbidden('The staff dashboard is for support agents, moderators and admins.')
  const [unanswered, tickets, pendingReviews] = await Promise.all([
    support ? countUnansweredQuestions() : null,
    support ? countTicketQueue({ tier: user.supportTier }) : null,
    moderation ? countPendingReviewItems() : null,
  ])
  return json({ unanswered, tickets, pendingReviews, tier: user.supportTier })
}

export default function StaffDashboard() {
  const { unanswered, tickets, pendingReviews, tier } = useLoaderData<typeof loader>()
  return (
    <section>
      <h1>Staff dashboard</h1>
      <div className="dashboard">
        {unanswered ? (
          <section aria-labelledby="unanswered-heading" className="dashboard-card">
            <h2 id="unanswered-heading">Unanswered questions</h2>
            <p className="big-number">{unanswered.count}</p>
            <p>{unanswered.unclaimed} not taken by anyone</p>
            <Link to="/staff/unanswered">See unanswered questions</Link>
          </section>
        ) : null}
        {tickets ? (
          <section aria-labelledby="tickets-heading" className="dashboard-card">
            <h2 id="tickets-heading">Tickets{tier ? ` (tier ${tier})` : ''}</h2>
            <p className="big-number">{tickets.open}</p>
            <p>
              open · {tickets.atRisk} at risk · {tickets.breached} breached · {tickets.pending} pending
            </p>
            <Link to="/tickets">Work the queue</Link> · <Link to="/staff/sla">SLA report</Link>
          </section>
        ) : null}
        {pendingReviews !== null ? (
          <section aria-labelledby="moderation-heading" className="dashboard-card">
            <h2 id="moderation-heading">Moderation</h2>
            <p className="big-number">{pendingReviews}</p>
            <p>items waiting in the queue</p>
            <Link to="/mod/queue">Open the moderation queue</Link>
          </section>
        ) : null}
      </div>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Staff dashboard · Parley' }]
