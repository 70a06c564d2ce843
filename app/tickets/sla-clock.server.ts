import { and, asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '#db/client.server'
import { ticketEvents, ticketMessages, tickets } from '#db/schema/index'
import { computeSla, type SlaEvent, type SlaTargetName, type TicketStatus } from '~/tickets/sla/engine'
import { getSlaSettings, type SlaSettings } from './sla-settings.server'

/**
 * Replays the ticket's history through the SLA engine and stores the due times (Zammad's
 * approach): called inside every transaction that changes a ticket, so the stored deadlines
 * always match the history. Batch callers load the settings once and pass them in.
 */
export async function recomputeSla(tx: DbOrTx, ticketId: number, now = new Date(), slaSettings?: SlaSettings) {
  const [[ticket], settings, statusRows, replyRows] = await Promise.all([
    tx
      .select({ priority: tickets.priority, premium: tickets.premium, slaStartedAt: tickets.slaStartedAt })
      .from(tickets)
      .where(eq(tickets.id, ticketId)),
    slaSettings ?? getSlaSettings(tx),
    tx
      .select({ at: ticketEvents.createdAt, status: ticketEvents.toValue })
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.kind, 'status')))
      .orderBy(asc(ticketEvents.createdAt), asc(ticketEvents.id)),
    tx
      .select({ at: ticketMessages.createdAt })
      .from(ticketMessages)
      .where(and(eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.byStaff, true), eq(ticketMessages.internal, false)))
      .orderBy(asc(ticketMessages.createdAt)),
  ])
  if (!ticket) return null
  const events: SlaEvent[] = [
    ...statusRows.map((row) => ({ at: row.at, kind: 'status' as const, status: row.status as TicketStatus })),
    ...replyRows.map((row) => ({ at: row.at, kind: 'agent-reply' as const })),
  ]
  const result = computeSla({ ...settings, startedAt: ticket.slaStartedAt, priority: ticket.priority, premium: ticket.premium, events, now })
  const dueOf = (name: SlaTargetName) => result.targets.find((t) => t.target === name)?.dueAt ?? null
  await tx
    .update(tickets)
    .set({
      firstResponseDueAt: dueOf('first-response'),
      resolutionDueAt: dueOf('resolution'),
      nextUpdateDueAt: dueOf('next-update'),
      nextDueAt: result.nextDueAt,
      atRiskAt: result.atRiskAt,
      firstResponseBreached: result.firstResponseBreached,
      resolutionBreached: result.resolutionBreached,
      updateBreached: result.updateBreached,
    })
    .where(eq(tickets.id, ticketId))
  return result
}
