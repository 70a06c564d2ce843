import { and, eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { conflictMessages, conflictParties, reports, reviewItems, users } from '#db/schema/index'
import { isStaffRole } from '~/platform/auth/permissions'
import { renderMarkdown } from '~/platform/markdown.server'
import { addBlocks } from './blocks.server'
import { conflictActionRefusal, type ConflictOutcome } from './conflict-actions'
import { DAY_MS, type DecideResult, type Moderator } from './decision'
import { recordAction, setSuspension, tellMembers } from './effects.server'
import { conflictPartiesOf, conflictThread, lockPendingItem, resolveItem } from './queue.server'
import { reviewQueueChanged } from './queue-events.server'

export type OpenConflictResult = { ok: true; id: number } | { ok: false; reason: 'no-such-member' | 'self' }

export async function openConflict({ openerId, otherUsername, description, links }: { openerId: number; otherUsername: string; description: string; links: string }): Promise<OpenConflictResult> {
  return db.transaction(async (tx) => {
    const [other] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${otherUsername.trim().replace(/^@/, '')})`)
    if (!other) return { ok: false, reason: 'no-such-member' } as const
    if (other.id === openerId) return { ok: false, reason: 'self' } as const
    const body = links.trim() ? `${description.trim()}\n\n**Links**\n\n${links.trim()}` : description.trim()
    await reviewQueueChanged(tx)
    const [item] = await tx
      .insert(reviewItems)
      .values({ kind: 'conflict', targetKind: 'user', targetId: other.id, targetUserId: other.id, openedById: openerId, statement: description.trim() })
      .returning({ id: reviewItems.id })
    await tx.insert(conflictParties).values([
      { reviewItemId: item.id, userId: openerId },
      { reviewItemId: item.id, userId: other.id },
    ])
    await tx.insert(conflictMessages).values({ reviewItemId: item.id, authorId: openerId, bodySource: body, bodyHtml: renderMarkdown(body) })
    return { ok: true, id: item.id } as const
  })
}

/** From a report item: a case between the reported member and everyone who reported them. */
export async function openConflictFromReport({ reportItemId, moderator, note }: { reportItemId: number; moderator: Moderator; note: string }) {
  return db.transaction(async (tx) => {
    const [item] = await tx.select({ targetUserId: reviewItems.targetUserId, kind: reviewItems.kind }).from(reviewItems).where(eq(reviewItems.id, reportItemId))
    if (!item || item.kind !== 'report' || !item.targetUserId) return null
    const reporterRows = await tx.selectDistinct({ id: reports.reporterId }).from(reports).where(eq(reports.reviewItemId, reportItemId))
    const partyIds = [...new Set([item.targetUserId, ...reporterRows.map((r) => r.id)])].filter((id) => id !== moderator.id)
    await reviewQueueChanged(tx)
    const [conflict] = await tx
      .insert(reviewItems)
      .values({ kind: 'conflict', targetKind: 'user', targetId: item.targetUserId, targetUserId: item.targetUserId, openedById: moderator.id, statement: `Opened by a moderator from queue item #${reportItemId}. ${note.trim()}`.trim() })
      .returning({ id: reviewItems.id })
    await tx.insert(conflictParties).values(partyIds.map((userId) => ({ reviewItemId: conflict.id, userId })))
    if (note.trim()) await tx.insert(conflictMessages).values({ reviewItemId: conflict.id, authorId: moderator.id, bodySource: note, bodyHtml: renderMarkdown(note) })
    return conflict.id
  })
}

/** A conflict case for its parties and moderators; null for anyone else. */
export async function getConflictCase({ id, viewer, canModerate }: { id: number; viewer: { id: number }; canModerate: boolean }) {
  const [item] = await db
    .select({ id: reviewItems.id, kind: reviewItems.kind, status: reviewItems.status, version: reviewItems.version, statement: reviewItems.statement, resolution: reviewItems.resolution, resolutionReason: reviewItems.resolutionReason, createdAt: reviewItems.createdAt })
    .from(reviewItems)
    .where(
      and(
        eq(reviewItems.id, id),
        eq(reviewItems.kind, 'conflict'),
        canModerate ? undefined : sql`exists (select 1 from conflict_parties p where p.review_item_id = ${reviewItems.id} and p.user_id = ${viewer.id})`,
      ),
    )
  if (!item) return null
  const [parties, messages] = await Promise.all([
    db.select({ id: users.id, username: users.username }).from(conflictParties).innerJoin(users, eq(users.id, conflictParties.userId)).where(eq(conflictParties.reviewItemId, id)),
    conflictThread(id),
  ])
  return { item, parties, messages }
}

export async function postConflictMessage({ id, author, canModerate, body }: { id: number; author: { id: number }; canModerate: boolean; body: string }) {
  return db.transaction(async (tx) => {
    const [item] = await tx
      .select({ id: reviewItems.id, status: reviewItems.status })
      .from(reviewItems)
      .where(
        and(
          eq(reviewItems.id, id),
          eq(reviewItems.kind, 'conflict'),
          canModerate ? undefined : sql`exists (select 1 from conflict_parties p where p.review_item_id = ${reviewItems.id} and p.user_id = ${author.id})`,
        ),
      )
    if (!item) return 'not-found' as const
    if (item.status !== 'pending') return 'closed' as const
    await tx.insert(conflictMessages).values({ reviewItemId: id, authorId: author.id, bodySource: body, bodyHtml: renderMarkdown(body) })
    await tx.update(reviewItems).set({ updatedAt: new Date() }).where(eq(reviewItems.id, id))
    return 'ok' as const
  })
}

/** Closes a conflict case with one outcome; warnings and suspensions name the parties they apply to. */
export async function resolveConflict({
  id,
  version,
  moderator,
  outcome,
  reason,
  userIds = [],
  days,
}: {
  id: number
  version: number
  moderator: Moderator
  outcome: ConflictOutcome
  reason: string
  userIds?: number[]
  days?: number | null
}): Promise<DecideResult> {
  return db.transaction(async (tx) => {
    const locked = await lockPendingItem(tx, id, version, 'conflict')
    if (locked.error) return locked.error
    const parties = await conflictPartiesOf(tx, id)
    const refused = conflictActionRefusal(outcome, { ...locked.item, parties }, moderator)
    if (refused) return refused
    const chosen = parties.filter((p) => userIds.includes(p.id))
    if ((outcome === 'warning' || outcome === 'suspension') && chosen.length === 0) return { ok: false, reason: 'invalid', message: 'Choose who the outcome applies to.' } as const
    if (outcome === 'suspension' && !(days && days >= 1 && days <= 365)) return { ok: false, reason: 'invalid', message: 'Suspend for 1 to 365 days.' } as const
    if (chosen.some((p) => isStaffRole(p.role)) && outcome !== 'warning') return { ok: false, reason: 'invalid', message: 'Staff accounts are not suspended from the queue.' } as const
    const now = new Date()
    const asUser = (userId: number) => ({ kind: 'user' as const, id: userId, userId })
    if (outcome === 'warning') for (const p of chosen) await recordAction(tx, { moderatorId: moderator.id, action: 'warn', target: asUser(p.id), reason, reviewItemId: id, at: now })
    if (outcome === 'suspension')
      for (const p of chosen) {
        await setSuspension(tx, p.id, new Date(now.getTime() + days! * DAY_MS), reason)
        await recordAction(tx, { moderatorId: moderator.id, action: 'suspend', target: asUser(p.id), reason, reviewItemId: id, durationDays: days!, at: now })
      }
    if (outcome === 'mutual-block') {
      // The case is about one member (the one reported, or the one its opener named): they and each
      // other party are kept apart; the other parties (say, several reporters) are not blocked from
      // each other, and staff are never blocked, as members cannot block them either.
      // (conflictActionRefusal made sure both exist.)
      const reported = parties.find((p) => p.id === locked.item.targetUserId)!
      const others = parties.filter((p) => p.id !== reported.id && !isStaffRole(p.role))
      const pairs: Parameters<typeof addBlocks>[1] = []
      const reportedActionId = await recordAction(tx, { moderatorId: moderator.id, action: 'block', target: asUser(reported.id), reason, reviewItemId: id, at: now })
      for (const other of others) {
        const actionId = await recordAction(tx, { moderatorId: moderator.id, action: 'block', target: asUser(other.id), reason, reviewItemId: id, at: now })
        pairs.push({ blockerId: reported.id, blockedId: other.id, moderationActionId: reportedActionId }, { blockerId: other.id, blockedId: reported.id, moderationActionId: actionId })
      }
      await addBlocks(tx, pairs)
    }
    for (const p of parties) await recordAction(tx, { moderatorId: moderator.id, action: 'conflict-resolved', target: asUser(p.id), reason, reviewItemId: id, at: now })
    await resolveItem(tx, id, moderator.id, outcome, reason)
    await tellMembers(tx, {
      userIds: parties.map((p) => p.id),
      kind: 'moderation-outcome',
      subject: 'Your conflict case was resolved',
      lines: [`A moderator closed the case (${outcome.replace('-', ' ')}).`, `Reason: ${reason}`],
    })
    return { ok: true } as const
  })
}
