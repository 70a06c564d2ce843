import { eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { notificationPreferences } from '#db/schema/index'
import { NOTIFICATION_KINDS, type NotificationDelivery, type NotificationKind } from './kinds'

/** The member's delivery for every kind, their choice or the default. */
export async function getNotificationPreferences({ userId }: { userId: number }) {
  const rows = await db
    .select({ kind: notificationPreferences.kind, delivery: notificationPreferences.delivery })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId))
  return NOTIFICATION_KINDS.map((k) => ({ ...k, delivery: rows.find((r) => r.kind === k.kind)?.delivery ?? k.defaultDelivery }))
}

/** Saves every kind's delivery at once (one upsert). */
export async function setNotificationPreferences({ userId, deliveries }: { userId: number; deliveries: Record<NotificationKind, NotificationDelivery> }) {
  const values = NOTIFICATION_KINDS.map(({ kind }) => ({ userId, kind, delivery: deliveries[kind] }))
  await db
    .insert(notificationPreferences)
    .values(values)
    .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { delivery: sql`excluded.delivery` } })
}
