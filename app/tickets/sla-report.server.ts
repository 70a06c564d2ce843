import { and, inArray, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { ticketRatings, tickets } from '#db/schema/index'
import { slaBadgeCounts } from './internals.server'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * /staff/sla in five queries: compliance and medians per priority over 7 and 30 days (tickets
 * solved in the window), tickets at risk and breached now, daily compliance for the chart, and
 * satisfaction ratings.
 */
export async function getSlaReport(now = new Date()) {
  const since30 = new Date(now.getTime() - 30 * DAY_MS)
  const since7 = new Date(now.getTime() - 7 * DAY_MS)
  const met = sql`not (${tickets.firstResponseBreached} or ${tickets.resolutionBreached} or ${tickets.updateBreached})`
  const windowStats = (since: Date) =>
    db
      .select({
        priority: tickets.priority,
        solved: sql<number>`count(*)::int`,
        met: sql<number>`count(*) filter (where ${met})::int`,
        firstResponseMet: sql<number>`count(*) filter (where not ${tickets.firstResponseBreached})::int`,
        medianFirstResponseMinutes: sql<number | null>`(percentile_cont(0.5) within group (order by extract(epoch from ${tickets.firstResponseAt} - ${tickets.slaStartedAt})) / 60)::float8`,
        medianResolutionMinutes: sql<number | null>`(percentile_cont(0.5) within group (order by extract(epoch from ${tickets.solvedAt} - ${tickets.slaStartedAt})) / 60)::float8`,
      })
      .from(tickets)
      .where(and(inArray(tickets.status, ['solved', 'closed']), sql`${tickets.solvedAt} >= ${since.toISOString()}::timestamptz`))
      .groupBy(tickets.priority)
  const [last7, last30, current, daily, ratings] = await Promise.all([
    windowStats(since7),
    windowStats(since30),
    db.select(slaBadgeCounts(now)).from(tickets).where(inArray(tickets.status, ['open', 'pending'])),
    db
      .select({
        day: sql<string>`to_char(date_trunc('day', ${tickets.solvedAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
        solved: sql<number>`count(*)::int`,
        met: sql<number>`count(*) filter (where ${met})::int`,
      })
      .from(tickets)
      .where(and(inArray(tickets.status, ['solved', 'closed']), sql`${tickets.solvedAt} >= ${since30.toISOString()}::timestamptz`))
      .groupBy(sql`1`)
      .orderBy(sql`1`),
    db
      .select({
        count7: sql<number>`count(*) filter (where ${ticketRatings.createdAt} >= ${since7.toISOString()}::timestamptz)::int`,
        average7: sql<number | null>`(avg(${ticketRatings.score}) filter (where ${ticketRatings.createdAt} >= ${since7.toISOString()}::timestamptz))::float8`,
        count30: sql<number>`count(*)::int`,
        average30: sql<number | null>`avg(${ticketRatings.score})::float8`,
        recent: sql<{ number: number; score: number; comment: string }[]>`coalesce((select json_agg(r) from (select t.number, tr.score, tr.comment from ticket_ratings tr join tickets t on t.id = tr.ticket_id where tr.comment <> '' order by tr.created_at desc limit 5) r), '[]'::json)`,
      })
      .from(ticketRatings)
      .where(sql`${ticketRatings.createdAt} >= ${since30.toISOString()}::timestamptz`),
  ])
  const days: { day: string; solved: number; met: number }[] = []
  for (let i = 29; i >= 0; i--) {
    const day = new Date(now.getTime() - i * DAY_MS).toISOString().slice(0, 10)
    days.push(daily.find((d) => d.day === day) ?? { day, solved: 0, met: 0 })
  }
  return { last7, last30, atRisk: current[0]?.atRisk ?? 0, breached: current[0]?.breached ?? 0, days, ratings: ratings[0] }
}
