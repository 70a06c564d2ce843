import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { db, type Tx } from '#db/client.server'
import { moderationActions, reports, reviewItems, users } from '#db/schema/index'
import type { UserRole } from '#db/schema/users'
import { env } from '~/platform/env.server'
import { isStaffRole } from '~/platform/auth/permissions'
import { DAY_MS, type DecideResult, type Moderator } from './decision'
import { loadTarget, recordAction, setBan, setHidden, setLocked, setRemoved, setSilence, setSuspension, tellMembers, targetLabel, type Target, type TargetKind } from './effects.server'
import { lockPendingItem, resolveItem, type ReportReason } from './queue.server'
import { reportActionRefusal, TAKES_DAYS, type ReportAction } from './report-actions'
import { reviewQueueChanged } from './queue-events.server'
import { screenMember } from './screening.server'

/** Reasons a moderator must see first. */
const URGENT_REASONS: readonly ReportReason[] = ['harassment', 'copyright']

/** Reports weigh more from staff and from members who have been around for three months. */
function reportWeight(reporter: { role: UserRole; createdAt: Date }, now = new Date()) {
  if (isStaffRole(reporter.role)) return 2
  return now.getTime() - reporter.createdAt.getTime() >= 90 * DAY_MS ? 1.5 : 1
}

const AUTO_HIDE_REASON = 'Hidden automatically after several reports from the community, until a moderator reviews it.'

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
    await reviewQueueChanged(tx)
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

const outcomeWords: Record<ReportAction, string> = {
  dismiss: 'no action was needed',
  ignore: 'no action was taken',
  hide: 'the content was hidden',
  remove: 'the content was removed',
  lock: 'the thread was locked',
  warn: 'the author was warned',
  silence: 'the author was silenced',
  suspend: 'the author was suspended',
  'hide-silence': 'the content was hidden and the author silenced',
  'hide-suspend': 'the content was hidden and the author suspended',
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
  screenEmail = false,
  screenIps = false,
}: {
  id: number
  version: number
  moderator: Moderator
  action: ReportAction
  reason: string
  days?: number | null
  /** With a ban: screen the member's email address and domain, and the addresses they signed up and posted from. */
  screenEmail?: boolean
  screenIps?: boolean
}): Promise<DecideResult> {
  return db.transaction(async (tx) => {
    const locked = await lockPendingItem(tx, id, version, 'report')
    if (locked.error) return locked.error
    const { item } = locked
    const target = await loadTarget(tx, item.targetKind!, item.targetId!)
    if (!target) return { ok: false, reason: 'not-found' } as const
    const refused = reportActionRefusal(action, { ...item, target }, moderator)
    if (refused) return refused
    if (TAKES_DAYS.includes(action) && !(days && days >= 1 && days <= 365)) return { ok: false, reason: 'invalid', message: 'Silence or suspend for 1 to 365 days.' } as const

    const now = new Date()
    const common = { moderatorId: moderator.id, target, reason, reviewItemId: id, at: now }
    const author = { kind: 'user' as const, id: target.userId, userId: target.userId }
    const until = days ? new Date(now.getTime() + days * DAY_MS) : null
    switch (action) {
      case 'ignore':
        // Closed without a verdict: hidden content stays hidden, nobody is told, the audit log says so.
        await recordAction(tx, { ...common, action: 'ignore' })
        break
      case 'silence':
        await setSilence(tx, target.userId, until, reason)
        await recordAction(tx, { ...common, action: 'silence', durationDays: days!, target: author })
        break
      case 'hide-silence':
      case 'hide-suspend':
        // One decision, two effects, two rows in the audit log, each appealable and reversible.
        await setHidden(tx, target, reason)
        await recordAction(tx, { ...common, action: 'hide' })
        if (action === 'hide-silence') await setSilence(tx, target.userId, until, reason)
        else await setSuspension(tx, target.userId, until, reason)
        await recordAction(tx, { ...common, action: action === 'hide-silence' ? 'silence' : 'suspend', durationDays: days!, target: author })
        break
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
      case 'ban': {
        await setBan(tx, target.userId, reason)
        const actionId = await recordAction(tx, { ...common, action: 'ban', target: { kind: 'user', id: target.userId, userId: target.userId } })
        if (screenEmail || screenIps) await screenMember(tx, { memberId: target.userId, email: screenEmail, ips: screenIps, reason, moderatorId: moderator.id, actionId })
        break
      }
    }
    await tx
      .update(reports)
      .set({ status: action === 'dismiss' || action === 'ignore' ? 'dismissed' : 'upheld' })
      .where(and(eq(reports.reviewItemId, id), eq(reports.status, 'open')))
    await resolveItem(tx, id, moderator.id, action, reason)

    if (action === 'ignore') return { ok: true } as const
    if (action !== 'dismiss') {
      await tellMembers(tx, {
        userIds: [target.userId],
        kind: 'moderation-outcome',
        subject: `A moderator acted on ${targetLabel(target)}`,
        lines: [`A moderator reviewed ${targetLabel(target)}: ${outcomeWords[action]}${TAKES_DAYS.includes(action) ? ` for ${days} days` : ''}.`, `Reason: ${reason}`],
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
