import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db } from '#db/client.server'
import { conflictParties, moderationActionKind, moderationActions, reports, reviewItems, userBlocks, users } from '#db/schema/index'
import { oneOf } from '~/platform/misc'
import { APPEALABLE_ACTIONS } from './appeal-actions'
import type { ActionKind } from './effects.server'

const PAGE_SIZE = 50

export type AuditFilters = { moderator?: string | null; member?: string | null; action?: ActionKind | null }

/** Every kind of action the audit log records, for its filter. */
export const AUDIT_ACTIONS: readonly ActionKind[] = moderationActionKind.enumValues

/** The audit log's filters from its page's query string; an unknown action is ignored. */
export function auditFiltersFrom(params: URLSearchParams): AuditFilters {
  return {
    moderator: params.get('moderator')?.trim() || null,
    member: params.get('member')?.trim() || null,
    action: oneOf(params.get('action'), moderationActionKind.enumValues),
  }
}

/** The audit log, newest first, filterable by moderator, member and action; one query per page. */
export async function listAuditLog({ filters, before }: { filters: AuditFilters; before?: number | null }) {
  const actor = alias(users, 'actor')
  const member = alias(users, 'member')
  const conditions: (SQL | undefined)[] = []
  if (filters.moderator) conditions.push(sql`lower(${actor.username}) = lower(${filters.moderator})`)
  if (filters.member) conditions.push(sql`lower(${member.username}) = lower(${filters.member})`)
  if (filters.action) conditions.push(eq(moderationActions.action, filters.action))
  if (before) conditions.push(sql`${moderationActions.id} < ${before}`)
  const rows = await db
    .select({
      id: moderationActions.id,
      action: moderationActions.action,
      moderatorUsername: actor.username,
      memberUsername: member.username,
      targetKind: moderationActions.targetKind,
      targetId: moderationActions.targetId,
      reason: moderationActions.reason,
      reviewItemId: moderationActions.reviewItemId,
      reversesActionId: moderationActions.reversesActionId,
      durationDays: moderationActions.durationDays,
      createdAt: moderationActions.createdAt,
    })
    .from(moderationActions)
    .leftJoin(actor, eq(actor.id, moderationActions.moderatorId))
    .leftJoin(member, eq(member.id, moderationActions.targetUserId))
    .where(and(...conditions))
    .orderBy(desc(moderationActions.id))
    .limit(PAGE_SIZE + 1)
  const page = rows.slice(0, PAGE_SIZE)
  return { entries: page, nextBefore: rows.length > PAGE_SIZE ? page.at(-1)!.id : null }
}

/** What /me/moderation shows a member: actions about them, their reports, their cases, their blocks. */
export async function getMemberModeration({ userId }: { userId: number }) {
  const reversal = alias(moderationActions, 'reversal')
  const appeal = alias(reviewItems, 'appeal')
  const blocked = alias(users, 'blocked')
  const [actions, filed, cases, blocks, [restriction]] = await Promise.all([
    db
      .select({
        id: moderationActions.id,
        action: moderationActions.action,
        targetKind: moderationActions.targetKind,
        targetId: moderationActions.targetId,
        reason: moderationActions.reason,
        durationDays: moderationActions.durationDays,
        createdAt: moderationActions.createdAt,
        reversedAt: reversal.createdAt,
        appealId: appeal.id,
        appealStatus: appeal.status,
        appealResolution: appeal.resolution,
        appealReason: appeal.resolutionReason,
      })
      .from(moderationActions)
      .leftJoin(reversal, eq(reversal.reversesActionId, moderationActions.id))
      .leftJoin(appeal, eq(appeal.moderationActionId, moderationActions.id))
      .where(and(eq(moderationActions.targetUserId, userId), inArray(moderationActions.action, ['auto-hide', 'hide', 'remove', 'lock', 'warn', 'suspend', 'ban', 'block', 'reject'])))
      .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
      .limit(100),
    db
      .select({
        id: reports.id,
        targetKind: reports.targetKind,
        targetId: reports.targetId,
        reason: reports.reason,
        status: reports.status,
        createdAt: reports.createdAt,
        outcome: reviewItems.resolution,
        // The decision may since have been overturned on appeal: the reporter reads what holds now.
        overturnedAt: sql<Date | null>`(select appeal.resolved_at from moderation_actions ma join review_items appeal on appeal.moderation_action_id = ma.id where ma.review_item_id = ${reports.reviewItemId} and appeal.kind = 'appeal' and appeal.resolution = 'overturned' order by appeal.resolved_at limit 1)`.mapWith(reviewItems.resolvedAt),
        title: sql<string | null>`case when ${reports.targetKind} = 'question' then (select q.title from questions q where q.id = ${reports.targetId}) when ${reports.targetKind} = 'answer' then (select q.title from answers a join questions q on q.id = a.question_id where a.id = ${reports.targetId}) else (select u.username from users u where u.id = ${reports.targetId}) end`,
      })
      .from(reports)
      .innerJoin(reviewItems, eq(reviewItems.id, reports.reviewItemId))
      .where(eq(reports.reporterId, userId))
      .orderBy(desc(reports.createdAt))
      .limit(100),
    db
      .select({ id: reviewItems.id, status: reviewItems.status, resolution: reviewItems.resolution, createdAt: reviewItems.createdAt })
      .from(conflictParties)
      .innerJoin(reviewItems, eq(reviewItems.id, conflictParties.reviewItemId))
      .where(eq(conflictParties.userId, userId))
      .orderBy(desc(reviewItems.createdAt))
      .limit(50),
    db
      .select({ username: blocked.username, byModerator: sql<boolean>`${userBlocks.moderationActionId} is not null`, createdAt: userBlocks.createdAt })
      .from(userBlocks)
      .innerJoin(blocked, eq(blocked.id, userBlocks.blockedId))
      .where(eq(userBlocks.blockerId, userId))
      .orderBy(asc(blocked.username)),
    db.select({ suspendedUntil: users.suspendedUntil, suspensionReason: users.suspensionReason, silencedUntil: users.silencedUntil, silenceReason: users.silenceReason, bannedAt: users.bannedAt, banReason: users.banReason }).from(users).where(eq(users.id, userId)),
  ])
  return { actions: actions.map((a) => ({ ...a, appealable: APPEALABLE_ACTIONS.includes(a.action) && !a.reversedAt && !a.appealId })), reports: filed, cases, blocks, restriction }
}
