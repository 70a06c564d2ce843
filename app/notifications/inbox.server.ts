/** A member's notifications: the list behind the bell, and marking them read. */
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { notifications, questions, tickets, users, type UserRole } from '#db/schema/index'
import { publish } from '~/platform/realtime/publish.server'
import { targetVisibleTo, unreadCountEvent } from './notify.server'

const NOTIFICATIONS_PAGE_SIZE = 30

/**
 * One page, newest first, keyset-paginated on the id (`before` is the last id of the previous
 * page). Notifications whose target the member may no longer see (hidden since) are left out.
 */
export async function listNotifications({ userId, role, before, limit = NOTIFICATIONS_PAGE_SIZE }: { userId: number; role: UserRole; before?: number | null; limit?: number }) {
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      text: notifications.text,
      link: notifications.link,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
      // What it is about, so the list can group a thread's notifications under its title.
      questionId: notifications.questionId,
      questionTitle: questions.title,
      ticketNumber: tickets.number,
      ticketSubject: tickets.subject,
    })
    .from(notifications)
    .leftJoin(questions, eq(questions.id, notifications.questionId))
    .leftJoin(tickets, eq(tickets.id, notifications.ticketId))
    .where(
      and(
        eq(notifications.userId, userId),
        before ? lt(notifications.id, before) : undefined,
        targetVisibleTo({ questionId: notifications.questionId, answerId: notifications.answerId, ticketId: notifications.ticketId, userId, role: sql`${role}::user_role` }),
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  return { notifications: page, nextBefore: rows.length > limit ? page[page.length - 1].id : null }
}

/**
 * Marks one of the member's notifications read and returns where it points, or null when it is
 * not theirs. The unread count on the member's row follows in the same transaction.
 */
export async function openNotification({ userId, notificationId }: { userId: number; notificationId: number }) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ link: notifications.link, readAt: notifications.readAt })
      .from(notifications)
      .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
      .for('update')
    if (!row) return null
    if (!row.readAt) {
      await tx.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, notificationId))
      const [counted] = await tx
        .update(users)
        .set({ unreadNotificationCount: sql`greatest(${users.unreadNotificationCount} - 1, 0)` })
        .where(eq(users.id, userId))
        .returning({ id: users.id, unread: users.unreadNotificationCount })
      if (counted) await publish(tx, unreadCountEvent(counted))
    }
    return { link: row.link }
  })
}

export async function markAllNotificationsRead({ userId }: { userId: number }) {
  return db.transaction(async (tx) => {
    const marked = await tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id })
    // Subtracting what was marked (not setting zero) keeps a notification that arrived meanwhile unread.
    const [counted] = await tx
      .update(users)
      .set({ unreadNotificationCount: sql`greatest(${users.unreadNotificationCount} - ${marked.length}, 0)` })
      .where(eq(users.id, userId))
      .returning({ id: users.id, unread: users.unreadNotificationCount })
    if (counted && marked.length > 0) await publish(tx, unreadCountEvent(counted))
    return marked.length
  })
}
