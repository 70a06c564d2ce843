import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm'
import { db } from '#db/client.server'
import { slaAlerts, tickets, users } from '#db/schema/index'
import type { SlaTargetName } from '~/tickets/sla/engine'
import { slaAlertMail } from '~/tickets/mail-texts.server'
import { lockTicket, mailStatusChange, recordEvent, setStatus, staffRoles, tellStaff, ticketUrl } from './internals.server'
import { recomputeSla } from './sla-clock.server'
import { getSlaSettings, type SlaSettings } from './sla-settings.server'

const SOLVED_TICKETS_CLOSE_AFTER_MS = 4 * 24 * 60 * 60 * 1000

/**
 * Runs every minute. Closes tickets solved more than four days ago, and for every running target
 * that is at risk or past due sends one alert (to the assignee, or else to the tier's agents) and
 * records it in the history. The sla_alerts unique index makes a repeated sweep a no-op.
 */
export async function sweepTickets(now = new Date()) {
  const settings = await getSlaSettings()
  const closed = await closeSolvedTickets(now, settings)
  const nowSql = sql`${now.toISOString()}::timestamptz`
  const alerted = (dueAt: SQL, { kind, target }: { kind?: SQL; target?: SlaTargetName }) =>
    sql`exists (select 1 from ${slaAlerts} where ${slaAlerts.ticketId} = ${tickets.id} and ${slaAlerts.dueAt} = ${dueAt}${kind ? sql` and ${slaAlerts.kind} = ${kind}` : sql``}${target ? sql` and ${slaAlerts.target} = ${target}` : sql``})`
  const running: [SlaTargetName, SQL, SQL | undefined][] = [
    ['first-response', sql`${tickets.firstResponseDueAt}`, isNull(tickets.firstResponseAt)],
    ['resolution', sql`${tickets.resolutionDueAt}`, undefined],
    ['next-update', sql`${tickets.nextUpdateDueAt}`, undefined],
  ]
  // Owed an alert for sure: the most urgent target's warning or breach, or another target's breach.
  const owed = or(
    sql`not ${alerted(sql`${tickets.nextDueAt}`, { kind: sql`case when ${tickets.nextDueAt} <= ${nowSql} then 'breach' else 'warning' end` })}`,
    ...running.map(([target, dueAt, stillRunning]) => and(stillRunning, sql`${dueAt} <= ${nowSql}`, sql`not ${alerted(dueAt, { kind: sql`'breach'`, target })}`)),
  )!
  // Maybe owed a warning: a running target without any alert yet (only the engine knows when it
  // is at risk). A ticket alerted for every running target is left alone, so alerted and breached
  // tickets never fill the batch, and those surely owed an alert go first.
  const mayBeOwed = or(...running.map(([target, dueAt, stillRunning]) => and(stillRunning, sql`${dueAt} is not null`, sql`not ${alerted(dueAt, { target })}`)))
  const candidates = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(sql`${tickets.nextDueAt} is not null`, sql`${tickets.atRiskAt} <= ${nowSql}`, or(owed, mayBeOwed)))
    .orderBy(sql`(${owed}) is true desc`, asc(tickets.atRiskAt))
    .limit(500)
  let alerts = 0
  for (const { id } of candidates) alerts += await alertTicket(id, now, settings)
  return { closed, alerts }
}

async function closeSolvedTickets(now: Date, settings: SlaSettings) {
  const cutoff = new Date(now.getTime() - SOLVED_TICKETS_CLOSE_AFTER_MS)
  const due = await db
    .select({ number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.status, 'solved'), sql`${tickets.solvedAt} <= ${cutoff.toISOString()}::timestamptz`))
    .limit(500)
  let count = 0
  for (const { number } of due) {
    await db.transaction(async (tx) => {
      const ticket = await lockTicket(tx, number, null)
      if (!ticket || ticket.status !== 'solved') return
      await setStatus(tx, ticket, 'closed', null, now)
      await recomputeSla(tx, ticket.id, now, settings)
      await mailStatusChange(tx, ticket, 'closed')
      count++
    })
  }
  return count
}

async function alertTicket(ticketId: number, now: Date, settings: SlaSettings) {
  return db.transaction(async (tx) => {
    const [ticket] = await tx
      .select({ id: tickets.id, number: tickets.number, subject: tickets.subject, priority: tickets.priority, tier: tickets.tier, assigneeId: tickets.assigneeId })
      .from(tickets)
      .where(eq(tickets.id, ticketId))
      .for('update')
    if (!ticket) return 0
    const result = await recomputeSla(tx, ticketId, now, settings)
    if (!result) return 0
    let sent = 0
    for (const target of result.targets) {
      if (target.achievedAt || !target.dueAt || !target.atRiskAt || target.atRiskAt > now) continue
      const kind = target.dueAt <= now ? 'breach' : 'warning'
      const inserted = await tx
        .insert(slaAlerts)
        .values({ ticketId, target: target.target, kind, dueAt: target.dueAt, createdAt: now })
        .onConflictDoNothing()
        .returning({ ticketId: slaAlerts.ticketId })
      if (inserted.length === 0) continue
      await recordEvent(tx, ticket, { actorId: null, kind: kind === 'breach' ? 'sla-breach' : 'sla-warning', toValue: target.target, at: now })
      const recipients = ticket.assigneeId
        ? [{ id: ticket.assigneeId }]
        : await tx
            .select({ id: users.id })
            .from(users)
            .where(and(staffRoles(), eq(users.supportTier, ticket.tier)))
            .limit(50)
      await tellStaff(
        tx,
        ticket,
        recipients.map((r) => r.id),
        `${kind === 'breach' ? 'SLA breached' : 'SLA at risk'} on ticket #${ticket.number}`,
        slaAlertMail(ticket, { kind, target: target.target, dueAt: target.dueAt }, ticketUrl(ticket.number)),
      )
      sent++
    }
    return sent
  })
}

/** After an admin changes the policies or the calendar: every ticket still running gets new due times. */
export async function recomputeOpenTickets(now = new Date()) {
  const settings = await getSlaSettings()
  let afterId = 0
  let count = 0
  for (;;) {
    const batch = await db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(inArray(tickets.status, ['open', 'pending']), sql`${tickets.id} > ${afterId}`))
      .orderBy(asc(tickets.id))
      .limit(200)
    if (batch.length === 0) return count
    for (const { id } of batch) await db.transaction((tx) => recomputeSla(tx, id, now, settings))
    count += batch.length
    afterId = batch.at(-1)!.id
  }
}
