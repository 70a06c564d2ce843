/**
 * The one way Parley tells a member about something: an in-app notification (the bell, the
 * /notifications list) and, per the member's preference for its kind, a mail now, a line in the
 * daily digest, or nothing. Every feature calls `notify` inside the transaction of the change it
 * reports, so a rolled-back change notifies nobody and a committed one always does.
 */
import { and, eq, inArray, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '#db/client.server'
import { notificationPreferences, notifications, tickets, users } from '#db/schema/index'
import { answerIdVisibleSql, questionIdVisibleSql, roleModeratesSql } from '~/forum/visibility.server'
import { blockedBetweenSql } from '~/moderation/blocks.server'
import { env } from '~/platform/env.server'
import { queueMail } from '~/platform/mail.server'
import { publish } from '~/platform/realtime/publish.server'
import { rolesWith } from '~/platform/auth/permissions'
import { mayContact } from '~/accounts/privacy'
import { defaultDelivery, type NotificationKind } from './kinds'

/** The realtime event that sets a member's bell to their unread count. */
export const unreadCountEvent = ({ id, unread }: { id: number; unread: number }) => ({ topic: `user:${id}`, payload: { unread } })

export type NotificationTarget = { questionId?: number; answerId?: number; ticketId?: number }

export type Notice = {
  kind: NotificationKind
  userIds: number[]
  /** Who caused it: never notified of their own act, and blocks between them and a recipient hold. */
  actorId?: number | null
  text: string
  /** A path inside Parley (e.g. /questions/12#answer-40). */
  link: string
  /** What it points at, re-checked against each recipient now and whenever it is shown or mailed. */
  target?: NotificationTarget
  /** The mail, when it must say more than the text (a ticket reply's body) or thread with other mail. */
  mail?: { subject: string; text: string; ticketId?: number; inReplyTo?: string | null; automatic?: boolean }
}

/** Kinds that come from another member's act, where a block between the two silences them. */
const FROM_ANOTHER_MEMBER = new Set<NotificationKind>(['new-answer', 'answer-accepted', 'watched-thread', 'watched-category', 'mention'])

const ticketStaffRoles = rolesWith('work:ticket:any')
const roleIn = (role: SQL, roles: string[]) => sql`${role} in (${sql.join(roles.map((r) => sql`${r}`), sql`, `)})`

/**
 * True when the recipient may still see what a notification points at, by the same rules as the
 * pages (forum/visibility for questions and answers), and a ticket its requester and support
 * staff. `userId` and `role` are the recipient's, as SQL.
 */
export function targetVisibleTo({ questionId, answerId, ticketId, userId, role }: { questionId: SQL | AnyColumn; answerId: SQL | AnyColumn; ticketId: SQL | AnyColumn; userId: SQL | AnyColumn | number; role: SQL }) {
  const viewer = { id: userId, moderates: roleModeratesSql(role) }
  return sql`(
    (${questionId} is null or ${questionIdVisibleSql(viewer, questionId)})
    and (${answerId} is null or ${answerIdVisibleSql(viewer, answerId)})
    and (${ticketId} is null or exists (select 1 from ${tickets} t where t.id = ${ticketId}
      and (t.requester_id = ${userId} or ${roleIn(role, ticketStaffRoles)})))
  )`
}

function mailFooter() {
  return `You get this mail because of your notification settings. Change them at ${env.publicUrl}/settings/notifications`
}

/**
 * Notifies each of `userIds` who may hear of it: not the actor, not a deleted or deactivated
 * account, nobody blocked from or blocking the actor (for what members do to each other), nobody
 * whose privacy setting refuses the actor's mentions, and nobody who may not see the target.
 * Returns the members notified.
 */
export async function notify(tx: DbOrTx, notice: Notice): Promise<number[]> {
  const actorId = notice.actorId ?? null
  const ids = [...new Set(notice.userIds)].filter((id) => id !== actorId)
  if (ids.length === 0) return []
  const target = notice.target ?? {}
  const blockable = actorId !== null && FROM_ANOTHER_MEMBER.has(notice.kind)
  const [actor] = actorId !== null && notice.kind === 'mention' ? await tx.select({ role: users.role }).from(users).where(eq(users.id, actorId)) : []

  const recipients = await tx
    .select({
      id: users.id,
      email: users.email,
      messagePolicy: users.messagePolicy,
      delivery: notificationPreferences.delivery,
      blocked: blockable
        ? blockedBetweenSql(users.id, actorId!)
        : sql<boolean>`false`,
      maySee: targetVisibleTo({
        questionId: sql`${target.questionId ?? null}::integer`,
        answerId: sql`${target.answerId ?? null}::integer`,
        ticketId: sql`${target.ticketId ?? null}::integer`,
        userId: users.id,
        role: sql`${users.role}`,
      }).mapWith(Boolean),
    })
    .from(users)
    .leftJoin(notificationPreferences, and(eq(notificationPreferences.userId, users.id), eq(notificationPreferences.kind, notice.kind)))
    .where(and(inArray(users.id, ids), isNull(users.deletedAt), isNull(users.deactivatedAt)))

  const chosen = recipients.filter(
    (r) => r.maySee && !r.blocked && (notice.kind !== 'mention' || !actor || mayContact({ policy: r.messagePolicy, senderRole: actor.role })),
  )
  if (chosen.length === 0) return []

  const now = new Date()
  const rows = chosen.map((r) => {
    const delivery = r.delivery ?? defaultDelivery(notice.kind)
    return {
      userId: r.id,
      kind: notice.kind,
      text: notice.text,
      link: notice.link,
      actorId,
      questionId: target.questionId ?? null,
      answerId: target.answerId ?? null,
      ticketId: target.ticketId ?? null,
      delivery,
      // Mailed in this transaction (queueMail below), so marked at once; a digest line is marked when the digest goes.
      mailedAt: delivery === 'immediate' ? now : null,
      createdAt: now,
    }
  })
  // The notifications and each recipient's unread count in one statement (one round trip).
  const inserted = tx.$with('inserted').as(tx.insert(notifications).values(rows).returning({ userId: notifications.userId }))
  const counted = await tx
    .with(inserted)
    .update(users)
    .set({ unreadNotificationCount: sql`${users.unreadNotificationCount} + 1` })
    .where(inArray(users.id, tx.select({ userId: inserted.userId }).from(inserted)))
    .returning({ id: users.id, unread: users.unreadNotificationCount })
  // Each recipient's bell, on every page they have open, at commit.
  await publish(tx, counted.map(unreadCountEvent))

  const emailOf = new Map(chosen.map((r) => [r.id, r.email]))
  const mail = notice.mail ?? { subject: notice.text, text: `${notice.text}\n\n${env.publicUrl}${notice.link}` }
  for (const row of rows) {
    if (row.delivery !== 'immediate') continue
    await queueMail(tx, { to: emailOf.get(row.userId)!, subject: mail.subject, text: `${mail.text}\n\n--\n${mailFooter()}`, ticketId: notice.mail?.ticketId, inReplyTo: notice.mail?.inReplyTo, automatic: notice.mail?.automatic })
  }
  return chosen.map((r) => r.id)
}
