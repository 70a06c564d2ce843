/**
 * Who else is on a ticket (collision detection): the ticket page says every ~20 s that its reader
 * is viewing or replying; the browsers on the same ticket hear it on `ticket:<number>` and forget a
 * person whose word has expired. Nothing is stored but the realtime event itself.
 */
import { and, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { tickets } from '#db/schema/index'
import { publish } from '~/platform/realtime/publish.server'
import { visibleTo, type TicketViewer } from './internals.server'
import { PRESENCE_TTL_SECONDS, type PresenceState } from './presence'

/** May this viewer see this ticket? (The ticket page answers 404 otherwise.) */
export async function ticketVisibleTo({ number, viewer }: { number: number; viewer: TicketViewer }) {
  const [row] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.number, number), visibleTo(viewer)))
  return !!row
}

/** Tells the ticket's other readers that `viewer` is viewing or replying; false when they may not see it. */
export async function announcePresence({ number, viewer, state }: { number: number; viewer: TicketViewer & { username: string }; state: PresenceState }) {
  if (!(await ticketVisibleTo({ number, viewer }))) return false
  await publish(db, { topic: `ticket:${number}`, payload: { kind: 'presence', userId: viewer.id, username: viewer.username, state, ttlSeconds: PRESENCE_TTL_SECONDS } })
  return true
}
