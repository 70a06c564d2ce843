import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getSlaReport } from '~/tickets/sla-report.server'
import { chatFigures } from '~/tickets/chat/chats.server'
import { PRIORITY_OPTIONS } from '~/tickets/constants'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { EmptyState } from '~/ui/empty-state'
import { DataTable } from '~/ui/data-table'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'read:sla-report:any')
  const [report, chats] = await Promise.all([getSlaReport(), chatFigures({ from: new Date(Date.now() - 30 * 86_400_000) })])
  return json({ ...report, chats })
}

type Report = ReturnType<typeof useLoaderData<typeof loader>>
type WindowRow = Report['last7'][number]

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`)

function duration(minutes: number | null) {
  if (minutes === null) return '—'
  if (minutes < 60) return `${Math.round(minutes)} min`
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`
  return `${(minutes / 1440).toFixed(1)} days`
}

function WindowTable({ title, rows }: { title: string; rows: WindowRow[] }) {
  const byPriority = new Map(rows.map((r) => [r.priority, r]))
  const id = title.toLowerCase().replace(/\W+/g, '-')
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <DataTable
        rows={[...PRIORITY_OPTIONS].reverse()}
        rowKey={(option) => option.value}
        columns={[
          { label: 'Priority', rowHeader: true, cell: (option) => option.label },
          { label: 'Solved', cell: ({ value }) => byPriority.get(value)?.solved ?? 0 },
          { label: 'All targets met', cell: ({ value }) => percent(byPriority.get(value)?.met ?? 0, byPriority.get(value)?.solved ?? 0) },
          { label: 'First response met', cell: ({ value }) => percent(byPriority.get(value)?.firstResponseMet ?? 0, byPriority.get(value)?.solved ?? 0) },
          { label: 'Median first response', cell: ({ value }) => duration(byPriority.get(value)?.medianFirstResponseMinutes ?? null) },
          { label: 'Median resolution', cell: ({ value }) => duration(byPriority.get(value)?.medianResolutionMinutes ?? null) },
        ]}
      />
    </section>
  )
}

/** Daily compliance as server-rendered SVG bars: no charting script reaches the browser. */
function ComplianceChart({ days }: { days: Report['days'] }) {
  if (!days.some((d) => d.solved > 0))
    return (
      <EmptyState title="No tickets solved in the last 30 days." icon="chart">
        <p>The chart fills in as tickets are solved.</p>
      </EmptyState>
    )
  const width = 720
  const height = 200
  const pad = { left: 36, bottom: 24, top: 10 }
  const barWidth = (width - pad.left) / days.length
  const plotHeight = height - pad.bottom - pad.top
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="chart-title chart-desc">
      <title id="chart-title">Daily SLA compliance, last 30 days</title>
      <desc id="chart-desc">
        {days
          .filter((d) => d.solved > 0)
          .map((d) => `${d.day}: ${d.met} of ${d.solved} met`)
          .join('; ') || 'No tickets solved in the last 30 days.'}
      </desc>
      {[0, 50, 100].map((tick) => {
        const y = pad.top + plotHeight * (1 - tick / 100)
        return (
          <g key={tick}>
            <line x1={pad.left} x2={width} y1={y} y2={y} stroke="var(--border)" />
            <text x={pad.left - 4} y={y + 4} fontSize="10" textAnchor="end" fill="var(--text-muted)">
              {tick}%
            </text>
          </g>
        )
      })}
      {days.map((d, i) => {
        const share = d.solved ? d.met / d.solved : 0
        const barHeight = plotHeight * share
        const x = pad.left + i * barWidth + 2
        return (
          <g key={d.day}>
            {d.solved ? (
              <rect x={x} y={pad.top + plotHeight - barHeight} width={barWidth - 4} height={barHeight} fill={share >= 0.9 ? 'var(--success)' : share >= 0.7 ? 'var(--warning)' : 'var(--danger)'}>
                <title>{`${d.day}: ${d.met} of ${d.solved} met`}</title>
              </rect>
            ) : null}
            {i % 5 === 0 ? (
              <text x={x} y={height - 6} fontSize="10" fill="var(--text-muted)">
                {d.day.slice(5)}
              </text>
            ) : null}
          </g>
        )
      })}
    </svg>
  )
}

export default function SlaReport() {
  const { last7, last30, atRisk, breached, days, ratings, chats } = useLoaderData<typeof loader>()
  return (
    <section>
      <h1>SLA compliance</h1>
      <p className="meta">
        <span>
          <strong>{atRisk}</strong> at risk now
        </span>
        <span>
          <strong>{breached}</strong> breached now
        </span>
        <Link to="/tickets?tier=all&sla=breached">See breached tickets</Link>
        <Link to="/tickets?tier=all&sla=at-risk">See tickets at risk</Link>
      </p>
      <WindowTable title="Last 7 days" rows={last7} />
      <WindowTable title="Last 30 days" rows={last30} />
      <section aria-labelledby="daily-heading">
        <h2 id="daily-heading">Daily compliance</h2>
        <ComplianceChart days={days} />
      </section>
      <section aria-labelledby="chat-figures-heading">
        <h2 id="chat-figures-heading">Live chat, last 30 days</h2>
        <dl className="meta chat-figures">
          <div>
            <dt>Chats</dt>
            <dd>{chats.chats}</dd>
          </div>
          <div>
            <dt>Median time to first agent reply</dt>
            <dd>{chats.medianFirstReplySeconds === null ? '—' : duration(chats.medianFirstReplySeconds / 60)}</dd>
          </div>
          <div>
            <dt>Abandoned before an agent joined</dt>
            <dd>{chats.abandoned}</dd>
          </div>
          <div>
            <dt>Average rating</dt>
            <dd>{chats.averageRating === null ? '—' : `${chats.averageRating.toFixed(1)} of 5 (${chats.ratings} ratings)`}</dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="satisfaction-heading">
        <h2 id="satisfaction-heading">Satisfaction</h2>
        <p>
          Last 7 days: {ratings?.count7 ? `${ratings.average7?.toFixed(1)} out of 5 from ${ratings.count7} ratings` : 'no ratings'}. Last 30 days:{' '}
          {ratings?.count30 ? `${ratings.average30?.toFixed(1)} out of 5 from ${ratings.count30} ratings` : 'no ratings'}.
        </p>
        {ratings?.recent.length ? (
          <ul>
            {ratings.recent.map((r) => (
              <li key={r.number}>
                <Link to={`/tickets/${r.number}`}>#{r.number}</Link>: {r.score}/5 “{r.comment}”
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'SLA compliance · Parley' }]
