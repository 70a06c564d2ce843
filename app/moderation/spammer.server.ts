/**
 * Delete spammer (Discourse's "delete spammer", decision 032): one moderator action that removes
 * every post of the account, bans it, screens its address, domain and addresses, and resolves every
 * open queue item about it, in one transaction, logged as one moderation decision.
 */
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, questions, reports, reviewItems, users } from '#db/schema/index'
import { touchThread } from '~/forum/thread.server'
import { isStaffRole } from '~/platform/auth/permissions'
import { endAllSessions } from '~/platform/auth/sessions.server'
import type { Moderator } from './decision'
import { recordAction, setBan, tellMembers } from './effects.server'
import { reviewQueueChanged } from './queue-events.server'
import { screenMember } from './screening.server'

export type DeleteSpammerResult =
  | { ok: true; actionId: number; removedPosts: number; resolvedItems: number; screened: string[] }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'invalid'; message: string }

export const DELETE_SPAMMER_REASON = 'Spam: the account posted spam, so its posts were removed and it was banned.'

export async function deleteSpammer({ userId, moderator, reason = DELETE_SPAMMER_REASON, reviewItemId = null }: { userId: number; moderator: Moderator; reason?: string; reviewItemId?: number | null }): Promise<DeleteSpammerResult> {
  return db.transaction(async (tx) => {
    const [member] = await tx
      .select({ id: users.id, role: users.role, deletedAt: users.deletedAt })
      .from(users)
      .where(eq(users.id, userId))
      .for('update')
    if (!member || member.deletedAt) return { ok: false, reason: 'not-found' } as const
    if (isStaffRole(member.role)) return { ok: false, reason: 'invalid', message: 'Staff accounts are never deleted as spammers; talk to an admin.' } as const
    if (member.id === moderator.id) return { ok: false, reason: 'invalid', message: 'You cannot delete yourself as a spammer.' } as const

    const target = { kind: 'user' as const, id: member.id, userId: member.id }
    const actionId = await recordAction(tx, { moderatorId: moderator.id, action: 'delete-spammer', target, reason, reviewItemId })

    // Every post goes, as a removal does (restorable for 30 days, then purged by the daily job).
    const now = new Date()
    const removedQuestions = await tx
      .update(questions)
      .set({ removedAt: now, removedReason: reason })
      .where(and(eq(questions.authorId, member.id), isNull(questions.removedAt)))
      .returning({ id: questions.id })
    const removedAnswers = await tx
      .update(answers)
      .set({ removedAt: now, removedReason: reason })
      .where(and(eq(answers.authorId, member.id), isNull(answers.removedAt)))
      .returning({ questionId: answers.questionId })
    await touchThread(tx, [...removedQuestions.map((q) => q.id), ...removedAnswers.map((a) => a.questionId)])

    await setBan(tx, member.id, reason)
    await endAllSessions({ userId: member.id }, tx)

    const screened = await screenMember(tx, { memberId: member.id, email: true, ips: true, reason, moderatorId: moderator.id, actionId })

    // Every open queue item about them or opened by them is decided by this one action.
    const resolved = await tx
      .update(reviewItems)
      .set({ status: 'resolved', resolution: 'delete-spammer', resolutionReason: reason, resolvedById: moderator.id, resolvedAt: now, version: sql`${reviewItems.version} + 1`, updatedAt: now })
      .where(and(eq(reviewItems.status, 'pending'), or(eq(reviewItems.targetUserId, member.id), eq(reviewItems.openedById, member.id))))
      .returning({ id: reviewItems.id })
    const resolvedIds = resolved.map((r) => r.id)
    if (resolvedIds.length > 0) {
      const upheld = await tx
        .update(reports)
        .set({ status: 'upheld' })
        .where(and(inArray(reports.reviewItemId, resolvedIds), eq(reports.status, 'open')))
        .returning({ reporterId: reports.reporterId })
      await reviewQueueChanged(tx)
      const reporterIds = [...new Set(upheld.map((r) => r.reporterId))].filter((id) => id !== member.id)
      if (reporterIds.length > 0)
        await tellMembers(tx, {
          userIds: reporterIds,
          kind: 'report-outcome',
          subject: 'Your report was reviewed',
          lines: ['Thank you for your report. A moderator reviewed it: the account was banned as a spammer and its posts were removed.'],
          footer: 'See your reports at',
        })
    }
    await tellMembers(tx, {
      userIds: [member.id],
      kind: 'moderation-outcome',
      subject: 'Your account was banned',
      lines: ['A moderator banned your account as a spammer and removed its posts.', `Reason: ${reason}`],
    })
    return { ok: true, actionId, removedPosts: removedQuestions.length + removedAnswers.length, resolvedItems: resolvedIds.length, screened } as const
  })
}
