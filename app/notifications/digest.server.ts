/**
 * The daily digest: one mail per member gathering the notifications they chose to hear of that
 * way. What they already read in the app, or may no longer see, is left out.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { notifications, users } from '#db/schema/index'
import { env } from '~/platform/env.server'
import { queueMail } from '~/platform/mail.server'
import { targetVisibleTo } from './notify.server'

const BATCH = 2000

export async function sendNotificationDigests() {
  let mailed = 0
  for (;;) {
    const rows = await db
      .select({
        id: notifications.id,
        userId: notifications.userId,
        text: notifications.text,
        link: notifications.link,
        unread: sql<boolean>`${notifications.readAt} is null`,
        email: users.email,
        visible: targetVisibleTo({ questionId: notifications.questionId, answerId: notifications.answerId, ticketId: notifications.ticketId, userId: users.id, role: sql`${users.role}` }).mapWith(Boolean),
      })
      .from(notifications)
      .innerJoin(users, eq(users.id, notifications.userId))
      .where(and(eq(notifications.delivery, 'digest'), isNull(notifications.mailedAt), isNull(users.deletedAt), isNull(users.deactivatedAt)))
      .orderBy(asc(notifications.userId), asc(notifications.id))
      .limit(BATCH)
    if (rows.length === 0) return mailed
    // A batch may end inside one member's rows; the rest of them go in the next round, as their own mail.
    const byUser = new Map<number, typeof rows>()
    for (const row of rows) {
      const items = byUser.get(row.userId)
      if (items) items.push(row)
      else byUser.set(row.userId, [row])
    }
    for (const items of byUser.values()) {
      const shown = items.filter((i) => i.unread && i.visible)
      await db.transaction(async (tx) => {
        if (shown.length > 0) {
          await queueMail(tx, {
            to: items[0].email,
            subject: `Your Parley digest: ${shown.length} ${shown.length === 1 ? 'update' : 'updates'}`,
            text: [
              'Here is what happened since your last digest:',
              shown.map((i) => `- ${i.text}\n  ${env.publicUrl}${i.link}`).join('\n'),
              `See them all at ${env.publicUrl}/notifications`,
              `--\nYou get this digest because of your notification settings. Change them at ${env.publicUrl}/settings/notifications`,
            ].join('\n\n'),
          })
          mailed++
        }
        await tx
          .update(notifications)
          .set({ mailedAt: new Date() })
          .where(inArray(notifications.id, items.map((i) => i.id)))
      })
    }
    if (rows.length < BATCH) return mailed
  }
}
