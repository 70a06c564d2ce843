import { and, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { chatMessages, chats, ticketMessages, tickets } from '#db/schema/index'
import { isStaff, visibleTo, type TicketViewer } from './internals.server'

/**
 * Whether the viewer may see this ticket message: the ticket page's own rule (the requester or
 * staff, internal notes for staff only), for things that belong to a message, such as its
 * attachments.
 */
export async function ticketMessageVisibleTo({ messageId, viewer }: { messageId: number; viewer: TicketViewer }) {
  const [row] = await db
    .select({ id: ticketMessages.id })
    .from(ticketMessages)
    .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
    .where(and(eq(ticketMessages.id, messageId), visibleTo(viewer), isStaff(viewer) ? undefined : eq(ticketMessages.internal, false)))
  return !!row
}

/** Whether the viewer may see this live chat message: the chat's member, or staff. */
export async function chatMessageVisibleTo({ messageId, viewer }: { messageId: number; viewer: TicketViewer }) {
  const [row] = await db
    .select({ id: chatMessages.id })
    .from(chatMessages)
    .innerJoin(chats, eq(chats.id, chatMessages.chatId))
    .where(and(eq(chatMessages.id, messageId), isStaff(viewer) ? undefined : eq(chats.memberId, viewer.id)))
  return !!row
}
