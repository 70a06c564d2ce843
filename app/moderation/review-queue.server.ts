import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db, type Tx } from '#db/client.server'
import { answers, conflictMessages, conflictParties, moderationActions, postRevisions, questions, reports, reviewItems, userBlocks, users } from '#db/schema/index'
import type { UserRole } from '#db/schema/users'
import { env } from '~/platform/env.server'
import { isStaffRole } from '~/platform/auth/permissions'
import { renderMarkdown } from '~/platform/markdown.server'
import {
  addBlocks,
  loadTarget,
  tellMembers,
  recordAction,
  removeBlock,
  setBan,
  setHidden,
  setLocked,
  setRemoved,
  setSuspension,
  targetLabel,
  targetPath,
  type ActionKind,
  type Target,
  type TargetKind,
} from './effects.server'

export type ReportReason = (typeof reports.$inferInsert)['reason']
/** Reasons a moderator must see first. */
const URGENT_REASONS: readonly ReportReason[] = ['harassment', 'copyright']
const REMOVAL_RESTORABLE_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000
const PAGE_SIZE = 50

export type Moderator = { id: number; role: UserRole; username?: string }

/** Reports weigh more from staff and from members who have been around for three months. */
function reportWeight(reporter: { role: UserRole; createdAt: Date }, now = new Date()) {
  if (isStaffRole(reporter.role)) return 2
  return now.getTime() - reporter.createdAt.getTime() >= 90 * DAY_MS ? 1.5 : 1
}

const AUTO_HIDE_REASON = 'Hidden automatically after several reports from the community, until a moderator reviews it.'

// ---------------------------------------------------------------------------------------------
// Reports

export type FileReportResult = { ok: true; reviewItemId: number; hidden: boolean } | { ok: false; reason: 'not-found' | 'own' | 'duplicate' }

/**
 * A member reports a question, an answer or a profile. Reports on one target merge into one
 * pending queue item whose score is the sum of their weights; past the threshold the content is
 * hidden at once (never a staff member's).
 */
export async function fileReport({
  reporterId,
  targetKind,
  targetId,
  reason,
  note,
}: {
  reporterId: number
  targetKind: TargetKind
  targetId: number
  reason: ReportReason
  note: string
}): Promise<FileReportResult> {
  return db.transaction(async (tx) => {
    const target = await loadTarget(tx, targetKind, targetId)
    if (!target || target.removedAt) return { ok: false, reason: 'not-found' } as const
    if (target.userId === reporterId) return { ok: false, reason: 'own' } as const
    const [reporter] = await tx.select({ role: users.role, createdAt: users.createdAt }).from(users).where(eq(users.id, reporterId))
    const [existing] = await tx
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.reporterId, reporterId), eq(reports.targetKind, targetKind), eq(reports.targetId, targetId), eq(reports.status, 'open')))
    if (existing) return { ok: false, reason: 'duplicate' } as const

    const weight = reportWeight(reporter)
    const urgency = URGENT_REASONS.includes(reason) ? 0 : 1
    const [item] = await tx
      .insert(reviewItems)
      .values({ kind: 'report', targetKind, targetId, targetUserId: target.userId, score: weight, urgency, reasons: [reason] })
      .onConflictDoUpdate({
        target: [reviewItems.targetKind, reviewItems.targetId],
        targetWhere: sql`${reviewItems.kind} = 'report' and ${reviewItems.status} = 'pending'`,
        set: {
          score: sql`${reviewItems.score} + ${weight}`,
          urgency: sql`least(${reviewItems.urgency}, ${urgency})`,
          // A scalar parameter: PGlite cannot bind a JavaScript array to an untyped parameter.
          reasons: sql`(select array_agg(distinct r) from unnest(${reviewItems.reasons} || array[${reason}::report_reason]) r)`,
          version: sql`${reviewItems.version} + 1`,
          updatedAt: new Date(),
        },
      })
      .returning({ id: reviewItems.id, score: reviewItems.score })
    await tx.insert(reports).values({ reviewItemId: item.id, reporterId, targetKind, targetId, reason, note: note.trim(), weight })

    let hidden = false
    if (item.score >= env.reportHideThreshold && targetKind !== 'user' && !target.hiddenAt && !isStaffRole(target.userRole)) {
      await setHidden(tx, target, AUTO_HIDE_REASON)
      await recordAction(tx, { moderatorId: null, action: 'auto-hide', target, reason: AUTO_HIDE_REASON, reviewItemId: item.id })
      hidden = true
    }
    return { ok: true, reviewItemId: item.id, hidden } as const
  })
}

/** A member takes back their own open report; an item left with no reports leaves the queue. */
export async function withdrawReport({ reporterId, reportId }: { reporterId: number; reportId: number }) {
  return db.transaction(async (tx) => {
    const [report] = await tx
      .update(reports)
      .set({ status: 'withdrawn' })
      .where(and(eq(reports.id, reportId), eq(reports.reporterId, reporterId), eq(reports.status, 'open')))
      .returning({ reviewItemId: reports.reviewItemId, weight: reports.weight, targetKind: reports.targetKind, targetId: reports.targetId })
    if (!report) return false
    const [item] = await tx
      .update(reviewItems)
      .set({ score: sql`greatest(${reviewItems.score} - ${report.weight}, 0)`, version: sql`${reviewItems.version} + 1`, updatedAt: new Date() })
      .where(eq(reviewItems.id, report.reviewItemId))
      .returning({ id: reviewItems.id, status: reviewItems.status })
    const [left] = await tx.select({ count: sql<number>`count(*)::int` }).from(reports).where(and(eq(reports.reviewItemId, item.id), eq(reports.status, 'open')))
    if (item.status === 'pending' && left.count === 0) {
      await tx.update(reviewItems).set({ status: 'resolved', resolution: 'withdrawn', resolvedAt: new Date() }).where(eq(reviewItems.id, item.id))
      const target = await loadTarget(tx, report.targetKind, report.targetId)
      if (target?.hiddenAt && (await wasAutoHidden(tx, target))) {
        await setHidden(tx, target, null)
        await recordAction(tx, { moderatorId: null, action: 'unhide', target, reason: 'Every report was withdrawn.', reviewItemId: item.id })
      }
    }
    return true
  })
}

async function wasAutoHidden(tx: Tx, target: Target) {
  const [last] = await tx
    .select({ action: moderationActions.action })
    .from(moderationActions)
    .where(and(eq(moderationActions.targetKind, target.kind), eq(moderationActions.targetId, target.id), inArray(moderationActions.action, ['auto-hide', 'hide', 'unhide'])))
    .orderBy(desc(moderationActions.id))
    .limit(1)
  return last?.action === 'auto-hide'
}

/**
 * The author of hidden content edited it: once, that puts it back in the queue for another look.
 * Returns false when the author already used their one edit.
 */
export async function requestReviewAfterEdit(tx: Tx, targetKind: 'question' | 'answer', targetId: number) {
  const table = targetKind === 'question' ? questions : answers
  const [post] = await tx
    .update(table)
    .set({ reviewEditUsed: true })
    .where(and(eq(table.id, targetId), sql`${table.hiddenAt} is not null`, eq(table.reviewEditUsed, false)))
    .returning({ authorId: table.authorId })
  if (!post) return false
  await tx
    .insert(reviewItems)
    .values({ kind: 'report', targetKind, targetId, targetUserId: post.authorId, statement: 'The author edited the hidden content and asks for another review.' })
    .onConflictDoUpdate({
      target: [reviewItems.targetKind, reviewItems.targetId],
      targetWhere: sql`${reviewItems.kind} = 'report' and ${reviewItems.status} = 'pending'`,
      set: { statement: 'The author edited the hidden content and asks for another review.', version: sql`${reviewItems.version} + 1`, updatedAt: new Date() },
    })
  return true
}

// ---------------------------------------------------------------------------------------------
// The queue

export type QueueFilters = {
  kind?: 'report' | 'appeal' | 'conflict' | null
  reason?: ReportReason | null
  status?: 'pending' | 'resolved'
  claimed?: 'me' | 'unclaimed' | 'others' | null
}

const targetUser = alias(users, 'target_user')
const claimer = alias(users, 'claimer')
const opener = alias(users, 'opener')

/** The thing an item is about, as a title, in the same query. */
const itemTitleSql = sql<string | null>`case
  when ${reviewItems.targetKind} = 'question' then (select q.title from questions q where q.id = ${reviewItems.targetId})
  when ${reviewItems.targetKind} = 'answer' then (select q.title from answers a join questions q on q.id = a.question_id where a.id = ${reviewItems.targetId})
  else null end`

/** One page of the queue, urgent reasons first, then by score, then oldest; one query. */
export async function listReviewQueue({ moderator, filters, page = 0 }: { moderator: Moderator; filters: QueueFilters; page?: number }) {
  const conditions: (SQL | undefined)[] = [eq(reviewItems.status, filters.status ?? 'pending')]
  if (filters.kind) conditions.push(eq(reviewItems.kind, filters.kind))
  if (filters.reason) conditions.push(sql`${filters.reason}::report_reason = any(${reviewItems.reasons})`)
  if (filters.claimed === 'me') conditions.push(eq(reviewItems.claimedById, moderator.id))
  if (filters.claimed === 'unclaimed') conditions.push(sql`${reviewItems.claimedById} is null`)
  if (filters.claimed === 'others') conditions.push(and(sql`${reviewItems.claimedById} is not null`, ne(reviewItems.claimedById, moderator.id)))
  const rows = await db
    .select({
      id: reviewItems.id,
      kind: reviewItems.kind,
      status: reviewItems.status,
      targetKind: reviewItems.targetKind,
      title: itemTitleSql,
      targetUsername: targetUser.username,
      openedByUsername: opener.username,
      score: reviewItems.score,
      reasons: reviewItems.reasons,
      reportCount: sql<number>`(select count(*)::int from reports r where r.review_item_id = ${reviewItems.id} and r.status = 'open')`,
      claimedByUsername: claimer.username,
      resolution: reviewItems.resolution,
      createdAt: reviewItems.createdAt,
    })
    .from(reviewItems)
    .leftJoin(targetUser, eq(targetUser.id, reviewItems.targetUserId))
    .leftJoin(opener, eq(opener.id, reviewItems.openedById))
    .leftJoin(claimer, eq(claimer.id, reviewItems.claimedById))
    .where(and(...conditions))
    .orderBy(
      ...(filters.status === 'resolved' ? [desc(reviewItems.resolvedAt), desc(reviewItems.id)] : [asc(reviewItems.urgency), desc(reviewItems.score), asc(reviewItems.createdAt), asc(reviewItems.id)]),
    )
    .limit(PAGE_SIZE + 1)
    .offset(page * PAGE_SIZE)
  return { items: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE }
}

export async function countPendingReviewItems() {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(reviewItems).where(eq(reviewItems.status, 'pending'))
  return row.count
}

/** One queue item with everything a moderator needs to decide it. */
export async function getReviewItem({ id }: { id: number }) {
  const resolver = alias(users, 'resolver')
  const [item] = await db
    .select({
      id: reviewItems.id,
      kind: reviewItems.kind,
      status: reviewItems.status,
      version: reviewItems.version,
      targetKind: reviewItems.targetKind,
      targetId: reviewItems.targetId,
      targetUserId: reviewItems.targetUserId,
      openedById: reviewItems.openedById,
      openedByUsername: opener.username,
      score: reviewItems.score,
      reasons: reviewItems.reasons,
      statement: reviewItems.statement,
      moderationActionId: reviewItems.moderationActionId,
      /** The removal this item decided, for the restore form (the member's history shows only their latest actions). */
      removalActionId: sql<number | null>`(select ma.id from moderation_actions ma where ma.review_item_id = ${reviewItems.id} and ma.action = 'remove' order by ma.id desc limit 1)`,
      claimedById: reviewItems.claimedById,
      claimedByUsername: claimer.username,
      resolution: reviewItems.resolution,
      resolutionReason: reviewItems.resolutionReason,
      resolvedByUsername: resolver.username,
      resolvedAt: reviewItems.resolvedAt,
      createdAt: reviewItems.createdAt,
    })
    .from(reviewItems)
    .leftJoin(opener, eq(opener.id, reviewItems.openedById))
    .leftJoin(claimer, eq(claimer.id, reviewItems.claimedById))
    .leftJoin(resolver, eq(resolver.id, reviewItems.resolvedById))
    .where(eq(reviewItems.id, id))
  if (!item) return null
  const reporter = alias(users, 'reporter')
  const actor = alias(users, 'actor')
  const [target, itemReports, history, appealed, parties, messages] = await Promise.all([
    item.targetKind && item.targetId ? loadTarget(db, item.targetKind, item.targetId) : Promise.resolve(null),
    db
      .select({ id: reports.id, reporterUsername: reporter.username, reason: reports.reason, note: reports.note, weight: reports.weight, status: reports.status, createdAt: reports.createdAt })
      .from(reports)
      .innerJoin(reporter, eq(reporter.id, reports.reporterId))
      .where(eq(reports.reviewItemId, id))
      .orderBy(asc(reports.createdAt)),
    item.targetUserId ? moderationHistory(item.targetUserId) : Promise.resolve([] as Awaited<ReturnType<typeof moderationHistory>>),
    item.moderationActionId
      ? db
          .select({ id: moderationActions.id, action: moderationActions.action, reason: moderationActions.reason, moderatorId: moderationActions.moderatorId, moderatorUsername: actor.username, targetKind: moderationActions.targetKind, targetId: moderationActions.targetId, createdAt: moderationActions.createdAt })
          .from(moderationActions)
          .leftJoin(actor, eq(actor.id, moderationActions.moderatorId))
          .where(eq(moderationActions.id, item.moderationActionId))
          .then((rows) => rows[0] ?? null)
      : Promise.resolve(null),
    item.kind === 'conflict'
      ? db.select({ id: users.id, username: users.username }).from(conflictParties).innerJoin(users, eq(users.id, conflictParties.userId)).where(eq(conflictParties.reviewItemId, id))
      : Promise.resolve([] as { id: number; username: string }[]),
    item.kind === 'conflict' ? conflictThread(id) : Promise.resolve([] as Awaited<ReturnType<typeof conflictThread>>),
  ])
  return { item, target: target ? { ...target, path: targetPath(target) } : null, reports: itemReports, history, appealedAction: appealed, parties, messages }
}

/** The last actions taken about a member, newest first, for the moderator deciding about them. */
async function moderationHistory(userId: number) {
  const actor = alias(users, 'actor')
  return db
    .select({ id: moderationActions.id, action: moderationActions.action, reason: moderationActions.reason, reviewItemId: moderationActions.reviewItemId, moderatorUsername: actor.username, createdAt: moderationActions.createdAt })
    .from(moderationActions)
    .leftJoin(actor, eq(actor.id, moderationActions.moderatorId))
    .where(eq(moderationActions.targetUserId, userId))
    .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
    .limit(20)
}

/** A moderator takes an item so others see it is being handled; taking it back frees it. */
export async function claimReviewItem({ id, moderatorId, release = false }: { id: number; moderatorId: number; release?: boolean }) {
  const rows = await db
    .update(reviewItems)
    .set(release ? { claimedById: null, claimedAt: null } : { claimedById: moderatorId, claimedAt: new Date() })
    .where(and(eq(reviewItems.id, id), eq(reviewItems.status, 'pending'), release ? eq(reviewItems.claimedById, moderatorId) : undefined))
    .returning({ id: reviewItems.id })
  return rows.length > 0
}

// ---------------------------------------------------------------------------------------------
// Deciding items

export type ReportAction = 'dismiss' | 'hide' | 'remove' | 'lock' | 'warn' | 'suspend' | 'ban'
export type DecideResult =
  | { ok: true }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'invalid'; message: string }
  | { ok: false; reason: 'conflict'; current: { status: string; resolution: string | null; resolvedByUsername: string | null; version: number } }
  | { ok: false; reason: 'same-moderator' }

/**
 * Locks the item and checks the version the moderator saw: of two moderators acting at once,
 * the first wins and the second is told who acted and what the item's state is now.
 */
async function lockPendingItem(tx: Tx, id: number, version: number, kind: 'report' | 'appeal' | 'conflict') {
  const [item] = await tx
    .select({
      id: reviewItems.id,
      kind: reviewItems.kind,
      status: reviewItems.status,
      version: reviewItems.version,
      resolution: reviewItems.resolution,
      resolvedById: reviewItems.resolvedById,
      targetKind: reviewItems.targetKind,
      targetId: reviewItems.targetId,
      targetUserId: reviewItems.targetUserId,
      openedById: reviewItems.openedById,
      moderationActionId: reviewItems.moderationActionId,
    })
    .from(reviewItems)
    .where(eq(reviewItems.id, id))
    .for('update')
  if (!item || item.kind !== kind) return { error: { ok: false, reason: 'not-found' } as DecideResult }
  if (item.status !== 'pending' || item.version !== version) {
    // Looked up after the lock, not joined in the locking query: PostgreSQL, having waited for the
    // winner to commit, re-reads only the locked row and would keep the resolver it saw before (none).
    const [resolver] = item.resolvedById ? await tx.select({ username: users.username }).from(users).where(eq(users.id, item.resolvedById)) : []
    return { error: { ok: false, reason: 'conflict', current: { status: item.status, resolution: item.resolution, resolvedByUsername: resolver?.username ?? null, version: item.version } } as DecideResult }
  }
  return { item }
}

async function resolveItem(tx: Tx, id: number, moderatorId: number, resolution: string, reason: string) {
  await tx
    .update(reviewItems)
    .set({ status: 'resolved', resolution, resolutionReason: reason, resolvedById: moderatorId, resolvedAt: new Date(), version: sql`${reviewItems.version} + 1`, updatedAt: new Date() })
    .where(eq(reviewItems.id, id))
}

const outcomeWords: Record<ReportAction, string> = {
  dismiss: 'no action was needed',
  hide: 'the content was hidden',
  remove: 'the content was removed',
  lock: 'the thread was locked',
  warn: 'the author was warned',
  suspend: 'the author was suspended',
  ban: 'the author was banned',
}

/** A moderator decides a report item with one of the actions; each needs a reason, shown to the member it affects. */
export async function decideReport({
  id,
  version,
  moderator,
  action,
  reason,
  days,
}: {
  id: number
  version: number
  moderator: Moderator
  action: ReportAction
  reason: string
  days?: number | null
}): Promise<DecideResult> {
  return db.transaction(async (tx) => {
    const locked = await lockPendingItem(tx, id, version, 'report')
    if (locked.error) return locked.error
    const { item } = locked
    const target = await loadTarget(tx, item.targetKind!, item.targetId!)
    if (!target) return { ok: false, reason: 'not-found' } as const
    const isContent = target.kind !== 'user'
    if ((action === 'hide' || action === 'remove' || action === 'lock') && !isContent) return { ok: false, reason: 'invalid', message: 'A profile cannot be hidden, removed or locked; warn, suspend or ban the member instead.' } as const
    // The thread is the asker's: locking it on an answer's report would tell the answer's author their thread was locked.
    if (action === 'lock' && target.kind === 'answer')
      return { ok: false, reason: 'invalid', message: 'Only a reported question locks its thread; hide or remove the answer, or lock the thread from a report on the question.' } as const
    if ((action === 'warn' || action === 'suspend' || action === 'ban') && isStaffRole(target.userRole))
      return { ok: false, reason: 'invalid', message: 'Staff accounts are not warned, suspended or banned from the queue; talk to an admin.' } as const
    if (action === 'suspend' && !(days && days >= 1 && days <= 365)) return { ok: false, reason: 'invalid', message: 'Suspend for 1 to 365 days.' } as const

    const now = new Date()
    const common = { moderatorId: moderator.id, target, reason, reviewItemId: id, at: now }
    switch (action) {
      case 'dismiss':
        if (target.hiddenAt) await setHidden(tx, target, null)
        await recordAction(tx, { ...common, action: 'dismiss' })
        break
      case 'hide':
        await setHidden(tx, target, reason)
        await recordAction(tx, { ...common, action: 'hide' })
        break
      case 'remove':
        await setRemoved(tx, target, reason)
        await recordAction(tx, { ...common, action: 'remove' })
        break
      case 'lock':
        await setLocked(tx, target.questionId!, reason)
        await recordAction(tx, { ...common, action: 'lock', target: { kind: 'question', id: target.questionId!, userId: target.userId } })
        break
      case 'warn':
        await recordAction(tx, { ...common, action: 'warn', target: { kind: 'user', id: target.userId, userId: target.userId } })
        break
      case 'suspend':
        await setSuspension(tx, target.userId, new Date(now.getTime() + days! * DAY_MS), reason)
        await recordAction(tx, { ...common, action: 'suspend', durationDays: days!, target: { kind: 'user', id: target.userId, userId: target.userId } })
        break
      case 'ban':
        await setBan(tx, target.userId, reason)
        await recordAction(tx, { ...common, action: 'ban', target: { kind: 'user', id: target.userId, userId: target.userId } })
        break
    }
    await tx
      .update(reports)
      .set({ status: action === 'dismiss' ? 'dismissed' : 'upheld' })
      .where(and(eq(reports.reviewItemId, id), eq(reports.status, 'open')))
    await resolveItem(tx, id, moderator.id, action, reason)

    if (action !== 'dismiss') {
      await tellMembers(tx, {
        userIds: [target.userId],
        kind: 'moderation-outcome',
        subject: `A moderator acted on ${targetLabel(target)}`,
        lines: [`A moderator reviewed ${targetLabel(target)}: ${outcomeWords[action]}${action === 'suspend' ? ` for ${days} days` : ''}.`, `Reason: ${reason}`],
      })
    }
    // Reporters hear the outcome, never who decided.
    const reporterRows = await tx
      .select({ reporterId: reports.reporterId })
      .from(reports)
      .where(and(eq(reports.reviewItemId, id), inArray(reports.status, ['upheld', 'dismissed'])))
    await tellMembers(tx, {
      userIds: reporterRows.map((r) => r.reporterId),
      kind: 'report-outcome',
      subject: 'Your report was reviewed',
      lines: [`Thank you for your report about ${target.kind === 'user' ? `the profile of ${target.username}` : `a post on “${target.title}”`}. A moderator reviewed it: ${outcomeWords[action]}.`],
      footer: 'See your reports at',
    })
    return { ok: true } as const
  })
}

const REVERSAL: Partial<Record<ActionKind, ActionKind>> = {
  'auto-hide': 'unhide',
  hide: 'unhide',
  remove: 'restore',
  lock: 'unlock',
  warn: 'withdraw-warning',
  suspend: 'lift-suspension',
  ban: 'lift-ban',
  block: 'unblock',
}
const APPEALABLE_ACTIONS: readonly ActionKind[] = ['hide', 'remove', 'warn', 'suspend', 'ban', 'block']

/** Undoes an action's effect and records the reversal against it. */
async function reverseAction(tx: Tx, actionId: number, moderatorId: number, reason: string, reviewItemId: number | null): Promise<{ ok: true } | { ok: false; message: string }> {
  const [action] = await tx.select().from(moderationActions).where(eq(moderationActions.id, actionId))
  if (!action) return { ok: false, message: 'There is no such action.' }
  const reversal = REVERSAL[action.action]
  if (!reversal) return { ok: false, message: 'That action cannot be reversed.' }
  const [already] = await tx.select({ id: moderationActions.id }).from(moderationActions).where(eq(moderationActions.reversesActionId, actionId))
  if (already) return { ok: false, message: 'That action was already reversed.' }
  const target = await loadTarget(tx, action.targetKind, action.targetId)
  if (!target) return { ok: false, message: 'The content no longer exists.' }
  switch (action.action) {
    case 'auto-hide':
    case 'hide':
      await setHidden(tx, target, null)
      break
    case 'remove':
      if (target.purgedAt) return { ok: false, message: `The content was purged ${REMOVAL_RESTORABLE_DAYS} days after removal and cannot be restored.` }
      await setRemoved(tx, target, null)
      break
    case 'lock':
      await setLocked(tx, action.targetId, null)
      break
    case 'suspend':
      await setSuspension(tx, action.targetUserId!, null, null)
      break
    case 'ban':
      await setBan(tx, action.targetUserId!, null)
      break
    case 'block': {
      // A mutual block is one 'block' action per party; reversing any of them lifts the whole block.
      const siblings = action.reviewItemId
        ? sql`(select id from moderation_actions where review_item_id = ${action.reviewItemId} and action = 'block')`
        : sql`(${actionId})`
      const pairs = await tx
        .select({ blockerId: userBlocks.blockerId, blockedId: userBlocks.blockedId })
        .from(userBlocks)
        .where(sql`${userBlocks.moderationActionId} in ${siblings}`)
      for (const p of pairs) await removeBlock(tx, p.blockerId, p.blockedId, { includeModerated: true })
      break
    }
  }
  await recordAction(tx, { moderatorId, action: reversal, target: { kind: action.targetKind, id: action.targetId, userId: action.targetUserId ?? target.userId }, reason, reviewItemId, reversesActionId: actionId })
  return { ok: true }
}

/** A moderator restores removed content (before it is purged) or lifts an action outside an appeal. */
export async function reverseModerationAction({ actionId, moderator, reason }: { actionId: number; moderator: Moderator; reason: string }) {
  return db.transaction(async (tx) => reverseAction(tx, actionId, moderator.id, reason, null))
}

// ---------------------------------------------------------------------------------------------
// Appeals

export type AppealResult = { ok: true; reviewItemId: number } | { ok: false; reason: 'not-found' | 'not-appealable' | 'duplicate' }

/** One appeal per action, by the member it affected, with their statement. */
export async function fileAppeal({ memberId, actionId, statement }: { memberId: number; actionId: number; statement: string }): Promise<AppealResult> {
  return db.transaction(async (tx) => {
    const [action] = await tx
      .select({ id: moderationActions.id, action: moderationActions.action, targetKind: moderationActions.targetKind, targetId: moderationActions.targetId })
      .from(moderationActions)
      .where(and(eq(moderationActions.id, actionId), eq(moderationActions.targetUserId, memberId)))
    if (!action) return { ok: false, reason: 'not-found' } as const
    const [reversed] = await tx.select({ id: moderationActions.id }).from(moderationActions).where(eq(moderationActions.reversesActionId, actionId))
    if (!APPEALABLE_ACTIONS.includes(action.action) || reversed) return { ok: false, reason: 'not-appealable' } as const
    const [item] = await tx
      .insert(reviewItems)
      .values({ kind: 'appeal', targetKind: action.targetKind, targetId: action.targetId, targetUserId: memberId, openedById: memberId, moderationActionId: actionId, statement: statement.trim() })
      .onConflictDoNothing({ target: reviewItems.moderationActionId })
      .returning({ id: reviewItems.id })
    if (!item) return { ok: false, reason: 'duplicate' } as const
    return { ok: true, reviewItemId: item.id } as const
  })
}

/**
 * An appeal is decided by a moderator other than the one who acted (an admin may decide any).
 * Overturning reverses the action's effects; the audit log records the decision and the reversal.
 */
export async function decideAppeal({
  id,
  version,
  moderator,
  outcome,
  reason,
}: {
  id: number
  version: number
  moderator: Moderator
  outcome: 'upheld' | 'overturned'
  reason: string
}): Promise<DecideResult> {
  return db.transaction(async (tx) => {
    const locked = await lockPendingItem(tx, id, version, 'appeal')
    if (locked.error) return locked.error
    const { item } = locked
    const [action] = await tx.select().from(moderationActions).where(eq(moderationActions.id, item.moderationActionId!))
    if (action.moderatorId === moderator.id && moderator.role !== 'admin') return { ok: false, reason: 'same-moderator' } as const
    const target = { kind: action.targetKind, id: action.targetId, userId: action.targetUserId! }
    if (outcome === 'overturned') {
      const reversed = await reverseAction(tx, action.id, moderator.id, reason, id)
      if (!reversed.ok) return { ok: false, reason: 'invalid', message: reversed.message } as const
    }
    await recordAction(tx, { moderatorId: moderator.id, action: outcome === 'overturned' ? 'appeal-overturned' : 'appeal-upheld', target, reason, reviewItemId: id })
    await resolveItem(tx, id, moderator.id, outcome, reason)
    await tellMembers(tx, {
      userIds: [action.targetUserId!],
      kind: 'appeal-decision',
      subject: outcome === 'overturned' ? 'Your appeal was successful' : 'Your appeal was reviewed',
      lines: [outcome === 'overturned' ? 'A moderator reviewed your appeal and reversed the decision.' : 'A moderator reviewed your appeal and upheld the decision.', `Explanation: ${reason}`],
      footer: 'See your moderation history at',
    })
    return { ok: true } as const
  })
}

// ---------------------------------------------------------------------------------------------
// Conflicts between members

export type OpenConflictResult = { ok: true; id: number } | { ok: false; reason: 'no-such-member' | 'self' }

export async function openConflict({ openerId, otherUsername, description, links }: { openerId: number; otherUsername: string; description: string; links: string }): Promise<OpenConflictResult> {
  return db.transaction(async (tx) => {
    const [other] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${otherUsername.trim().replace(/^@/, '')})`)
    if (!other) return { ok: false, reason: 'no-such-member' } as const
    if (other.id === openerId) return { ok: false, reason: 'self' } as const
    const body = links.trim() ? `${description.trim()}\n\n**Links**\n\n${links.trim()}` : description.trim()
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
    const [conflict] = await tx
      .insert(reviewItems)
      .values({ kind: 'conflict', targetKind: 'user', targetId: item.targetUserId, targetUserId: item.targetUserId, openedById: moderator.id, statement: `Opened by a moderator from queue item #${reportItemId}. ${note.trim()}`.trim() })
      .returning({ id: reviewItems.id })
    await tx.insert(conflictParties).values(partyIds.map((userId) => ({ reviewItemId: conflict.id, userId })))
    if (note.trim()) await tx.insert(conflictMessages).values({ reviewItemId: conflict.id, authorId: moderator.id, bodySource: note, bodyHtml: renderMarkdown(note) })
    return conflict.id
  })
}

function conflictThread(id: number) {
  const author = alias(users, 'author')
  return db
    .select({ id: conflictMessages.id, authorUsername: author.username, authorRole: author.role, bodyHtml: conflictMessages.bodyHtml, createdAt: conflictMessages.createdAt })
    .from(conflictMessages)
    .innerJoin(author, eq(author.id, conflictMessages.authorId))
    .where(eq(conflictMessages.reviewItemId, id))
    .orderBy(asc(conflictMessages.createdAt), asc(conflictMessages.id))
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

export type ConflictOutcome = 'agreement' | 'warning' | 'mutual-block' | 'suspension'

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
    const parties = await tx
      .select({ id: users.id, role: users.role, email: users.email })
      .from(conflictParties)
      .innerJoin(users, eq(users.id, conflictParties.userId))
      .where(eq(conflictParties.reviewItemId, id))
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
      const reported = parties.find((p) => p.id === locked.item.targetUserId)
      const others = parties.filter((p) => p.id !== reported?.id && !isStaffRole(p.role))
      if (!reported || isStaffRole(reported.role) || others.length === 0)
        return { ok: false, reason: 'invalid', message: 'A mutual block needs the member the case is about and another party, neither of them staff.' } as const
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

// ---------------------------------------------------------------------------------------------
// Members' own view and blocks

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
      .where(and(eq(moderationActions.targetUserId, userId), inArray(moderationActions.action, ['auto-hide', 'hide', 'remove', 'lock', 'warn', 'suspend', 'ban', 'block'])))
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
    db.select({ suspendedUntil: users.suspendedUntil, suspensionReason: users.suspensionReason, bannedAt: users.bannedAt, banReason: users.banReason }).from(users).where(eq(users.id, userId)),
  ])
  return { actions: actions.map((a) => ({ ...a, appealable: APPEALABLE_ACTIONS.includes(a.action) && !a.reversedAt && !a.appealId })), reports: filed, cases, blocks, restriction }
}

export type BlockResult = 'ok' | 'no-such-member' | 'self' | 'staff'

export async function blockMember({ blockerId, username }: { blockerId: number; username: string }): Promise<BlockResult> {
  return db.transaction(async (tx) => {
    const [other] = await tx.select({ id: users.id, role: users.role }).from(users).where(sql`lower(${users.username}) = lower(${username})`)
    if (!other) return 'no-such-member'
    if (other.id === blockerId) return 'self'
    // Staff must stay able to help everyone.
    if (isStaffRole(other.role)) return 'staff'
    await addBlocks(tx, [{ blockerId, blockedId: other.id }])
    return 'ok'
  })
}

export async function unblockMember({ blockerId, username }: { blockerId: number; username: string }) {
  return db.transaction(async (tx) => {
    const [other] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${username})`)
    if (!other) return false
    return removeBlock(tx, blockerId, other.id)
  })
}

export async function hasBlocked({ blockerId, blockedId }: { blockerId: number; blockedId: number }) {
  const [row] = await db
    .select({ byModerator: sql<boolean>`${userBlocks.moderationActionId} is not null` })
    .from(userBlocks)
    .where(and(eq(userBlocks.blockerId, blockerId), eq(userBlocks.blockedId, blockedId)))
  return row ? { byModerator: row.byModerator } : null
}

// ---------------------------------------------------------------------------------------------
// Audit log and purging

export type AuditFilters = { moderator?: string | null; member?: string | null; action?: ActionKind | null }

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

/**
 * Content removed more than 30 days ago loses its text for good (the row stays, so threads and
 * the audit log keep their shape). Runs daily as a job.
 */
export async function purgeRemovedContent(now = new Date()) {
  const cutoff = new Date(now.getTime() - REMOVAL_RESTORABLE_DAYS * DAY_MS).toISOString()
  let purged = 0
  for (const [kind, table] of [
    ['answer', answers],
    ['question', questions],
  ] as const) {
    const rows = await db
      .select({ id: table.id })
      .from(table)
      .where(and(sql`${table.removedAt} <= ${cutoff}::timestamptz`, sql`${table.purgedAt} is null`))
      .limit(500)
    for (const { id } of rows) {
      await db.transaction(async (tx) => {
        const target = await loadTarget(tx, kind, id)
        if (!target || target.purgedAt) return
        await tx.update(table).set({ bodySource: '', bodyHtml: '<p>[removed]</p>', purgedAt: now }).where(eq(table.id, id))
        // Earlier versions hold the same text.
        await tx.update(postRevisions).set({ bodySource: '', bodyHtml: '<p>[removed]</p>' }).where(and(eq(postRevisions.postKind, kind), eq(postRevisions.postId, id)))
        await recordAction(tx, { moderatorId: null, action: 'purge', target, reason: `Removed more than ${REMOVAL_RESTORABLE_DAYS} days ago.`, at: now })
        purged++
      })
    }
  }
  return purged
}
