import { and, asc, desc, eq, ne, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db, type DbOrTx, type Tx } from '#db/client.server'
import { conflictMessages, conflictParties, moderationActions, reportReason, reports, reviewItems, users } from '#db/schema/index'
import { decodeCursor, encodeCursor, MAX_CURSOR_MS } from '~/platform/cursor'
import { MAX_ID, oneOf } from '~/platform/misc'
import { APPEAL_ACTIONS, appealActionRefusal, type AppealAction } from './appeal-actions'
import { CONFLICT_ACTIONS, conflictActionRefusal, type ConflictOutcome } from './conflict-actions'
import { allowedOf, type DecideResult, type Moderator, type Refusal } from './decision'
import { loadTarget, targetPath } from './effects.server'
import { reviewQueueChanged } from './queue-events.server'
import { REPORT_ACTIONS, reportActionRefusal, type ReportAction } from './report-actions'
import { QUEUED_POST_ACTIONS, queuedPostActionRefusal, type QueuedPostAction } from './queued-post-actions'

export type ReportReason = (typeof reports.$inferInsert)['reason']
export const QUEUE_PAGE_SIZE = 50

export type QueueFilters = {
  kind?: 'report' | 'appeal' | 'conflict' | 'queued-post' | null
  reason?: ReportReason | null
  status?: 'pending' | 'resolved'
  claimed?: 'me' | 'unclaimed' | 'others' | null
}

/** The queue's filters from its page's query string; anything unknown is ignored. */
export function queueFiltersFrom(params: URLSearchParams): QueueFilters {
  return {
    kind: oneOf(params.get('kind'), ['report', 'appeal', 'conflict', 'queued-post']),
    reason: oneOf(params.get('reason'), reportReason.enumValues),
    status: oneOf(params.get('status'), ['pending', 'resolved']) ?? 'pending',
    claimed: oneOf(params.get('claimed'), ['me', 'unclaimed', 'others']),
  }
}

const targetUser = alias(users, 'target_user')
const claimer = alias(users, 'claimer')
const opener = alias(users, 'opener')

/** The thing an item is about, as a title, in the same query. */
const itemTitleSql = sql<string | null>`case
  when ${reviewItems.targetKind} = 'question' then (select q.title from questions q where q.id = ${reviewItems.targetId})
  when ${reviewItems.targetKind} = 'answer' then (select q.title from answers a join questions q on q.id = a.question_id where a.id = ${reviewItems.targetId})
  else null end`

/**
 * Where a page of the pending queue starts or ends: the sort key of an item (urgency, score,
 * created_at, id), as `urgency_score_ms_id` in the URL. The score is a `real`: JavaScript prints it
 * exactly as PostgreSQL does, so it compares equal when it comes back. The resolved list sorts on
 * (resolved_at, id) and uses the common `ms_id` cursor.
 */
export type QueueCursor = { urgency: number; score: number; at: Date; id: number }
export const encodeQueueCursor = (c: QueueCursor) => `${c.urgency}_${c.score}_${c.at.getTime()}_${c.id}`
function decodeQueueCursor(value: string | null): QueueCursor | null {
  const match = value?.match(/^(\d{1,4})_(-?[\d.e+-]{1,24})_(\d{1,15})_(\d{1,10})$/)
  if (!match) return null
  const [urgency, score, at, id] = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])]
  return urgency <= 32_767 && Number.isFinite(score) && at <= MAX_CURSOR_MS && id <= MAX_ID ? { urgency, score, at: new Date(at), id } : null
}

/** A page of the queue is asked for after one item (the next page) or before one (the previous page). */
export type QueuePosition = { after?: string | null; before?: string | null }

/**
 * One page of the queue, urgent reasons first, then by score, then oldest; one query. Pages by key,
 * never by OFFSET: the pending order is the expression index review_items_queue_idx (urgency,
 * -score, created_at, id), so page 1,000 costs what page 1 costs. The previous page reads the same
 * index backwards.
 */
export async function listReviewQueue({ moderator, filters, after = null, before = null }: { moderator: Moderator; filters: QueueFilters } & QueuePosition) {
  const resolved = filters.status === 'resolved'
  const conditions: (SQL | undefined)[] = [eq(reviewItems.status, resolved ? 'resolved' : 'pending')]
  if (filters.kind) conditions.push(eq(reviewItems.kind, filters.kind))
  if (filters.reason) conditions.push(sql`${filters.reason}::report_reason = any(${reviewItems.reasons})`)
  if (filters.claimed === 'me') conditions.push(eq(reviewItems.claimedById, moderator.id))
  if (filters.claimed === 'unclaimed') conditions.push(sql`${reviewItems.claimedById} is null`)
  if (filters.claimed === 'others') conditions.push(and(sql`${reviewItems.claimedById} is not null`, ne(reviewItems.claimedById, moderator.id)))
  // The sort key as one row value, ascending in queue order: a keyset bound on it is one index range.
  const key = resolved
    ? sql`(${reviewItems.resolvedAt}, ${reviewItems.id})`
    : sql`(${reviewItems.urgency}, -${reviewItems.score}, ${reviewItems.createdAt}, ${reviewItems.id})`
  const keyOf = (value: string | null) => {
    if (resolved) {
      const c = decodeCursor(value)
      return c && sql`(${c.at.toISOString()}::timestamptz, ${c.id})`
    }
    const c = decodeQueueCursor(value)
    return c && sql`(${c.urgency}::smallint, -${c.score}::real, ${c.at.toISOString()}::timestamptz, ${c.id})`
  }
  // Resolved items read newest first: "after" in that list is an older key.
  const afterKey = keyOf(after)
  const beforeKey = afterKey ? null : keyOf(before)
  const backwards = Boolean(beforeKey)
  if (afterKey) conditions.push(resolved ? sql`${key} < ${afterKey}` : sql`${key} > ${afterKey}`)
  if (beforeKey) conditions.push(resolved ? sql`${key} > ${beforeKey}` : sql`${key} < ${beforeKey}`)
  const ascending = resolved === backwards
  const order = resolved
    ? [reviewItems.resolvedAt, reviewItems.id]
    : [reviewItems.urgency, sql`-${reviewItems.score}`, reviewItems.createdAt, reviewItems.id]
  const rows = await db
    .select({
      id: reviewItems.id,
      kind: reviewItems.kind,
      status: reviewItems.status,
      /** For the list's quick actions and bulk form, which decide against the version shown. */
      version: reviewItems.version,
      targetKind: reviewItems.targetKind,
      title: itemTitleSql,
      targetUsername: targetUser.username,
      openedByUsername: opener.username,
      score: reviewItems.score,
      urgency: reviewItems.urgency,
      reasons: reviewItems.reasons,
      reportCount: sql<number>`(select count(*)::int from reports r where r.review_item_id = ${reviewItems.id} and r.status = 'open')`,
      claimedByUsername: claimer.username,
      resolution: reviewItems.resolution,
      createdAt: reviewItems.createdAt,
      resolvedAt: reviewItems.resolvedAt,
    })
    .from(reviewItems)
    .leftJoin(targetUser, eq(targetUser.id, reviewItems.targetUserId))
    .leftJoin(opener, eq(opener.id, reviewItems.openedById))
    .leftJoin(claimer, eq(claimer.id, reviewItems.claimedById))
    .where(and(...conditions))
    .orderBy(...order.map((column) => (ascending ? asc(column) : desc(column))))
    .limit(QUEUE_PAGE_SIZE + 1)
  const more = rows.length > QUEUE_PAGE_SIZE
  const page = rows.slice(0, QUEUE_PAGE_SIZE)
  if (backwards) page.reverse()
  const cursorOf = (item: (typeof page)[number]) =>
    resolved ? encodeCursor({ at: item.resolvedAt, id: item.id }) : encodeQueueCursor({ urgency: item.urgency, score: item.score, at: item.createdAt, id: item.id })
  const first = page[0]
  const last = page.at(-1)
  return {
    items: page.map(({ urgency: _urgency, resolvedAt: _resolvedAt, ...item }) => item),
    // Going forward there is more when the extra row came back; going back, the page we came from.
    nextCursor: last && (backwards || more) ? cursorOf(last) : null,
    previousCursor: first && (backwards ? more : Boolean(afterKey)) ? cursorOf(first) : null,
  }
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
          .select({
            id: moderationActions.id,
            action: moderationActions.action,
            reason: moderationActions.reason,
            moderatorId: moderationActions.moderatorId,
            moderatorUsername: actor.username,
            targetKind: moderationActions.targetKind,
            targetId: moderationActions.targetId,
            createdAt: moderationActions.createdAt,
            reversed: sql<boolean>`exists (select 1 from moderation_actions r where r.reverses_action_id = ${moderationActions.id})`,
          })
          .from(moderationActions)
          .leftJoin(actor, eq(actor.id, moderationActions.moderatorId))
          .where(eq(moderationActions.id, item.moderationActionId))
          .then((rows) => rows[0] ?? null)
      : Promise.resolve(null),
    item.kind === 'conflict' ? conflictPartiesOf(db, id) : Promise.resolve([] as Awaited<ReturnType<typeof conflictPartiesOf>>),
    item.kind === 'conflict' ? conflictThread(id) : Promise.resolve([] as Awaited<ReturnType<typeof conflictThread>>),
  ])
  return { item, target: target ? { ...target, path: targetPath(target) } : null, reports: itemReports, history, appealedAction: appealed, parties, messages }
}

export type ReviewItemData = NonNullable<Awaited<ReturnType<typeof getReviewItem>>>

/**
 * The decisions the viewer may take on the item, by its type's rules, so the page offers exactly
 * what the server accepts; when there are none, why (for the page to say instead of a form).
 */
export function decisionsFor(data: ReviewItemData, viewer: Moderator): { actions: string[]; notice: string | null } {
  const { item } = data
  const refusal: { all: readonly string[]; check: (action: string) => Refusal | null } =
    item.kind === 'report'
      ? { all: REPORT_ACTIONS, check: (a) => reportActionRefusal(a as ReportAction, { ...item, target: data.target }, viewer) }
      : item.kind === 'queued-post'
        ? { all: QUEUED_POST_ACTIONS, check: (a) => queuedPostActionRefusal(a as QueuedPostAction, { ...item, target: data.target }, viewer) }
        : item.kind === 'appeal'
        ? { all: APPEAL_ACTIONS, check: (a) => appealActionRefusal(a as AppealAction, { ...item, appealedAction: data.appealedAction, targetPurged: Boolean(data.target?.purgedAt) }, viewer) }
        : { all: CONFLICT_ACTIONS, check: (a) => conflictActionRefusal(a as ConflictOutcome, { ...item, parties: data.parties }, viewer) }
  const actions = allowedOf(refusal.all, refusal.check)
  const first = actions.length === 0 ? refusal.check(refusal.all[0]) : null
  return { actions, notice: first ? (first.reason === 'same-moderator' ? 'You took this action, so another moderator must decide the appeal.' : first.message) : null }
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

/** The members a conflict case is between. */
export function conflictPartiesOf(tx: DbOrTx, id: number) {
  return tx
    .select({ id: users.id, username: users.username, role: users.role })
    .from(conflictParties)
    .innerJoin(users, eq(users.id, conflictParties.userId))
    .where(eq(conflictParties.reviewItemId, id))
}

/** A conflict case's private thread, oldest first. */
export function conflictThread(id: number) {
  const author = alias(users, 'author')
  return db
    .select({ id: conflictMessages.id, authorUsername: author.username, authorRole: author.role, bodyHtml: conflictMessages.bodyHtml, createdAt: conflictMessages.createdAt })
    .from(conflictMessages)
    .innerJoin(author, eq(author.id, conflictMessages.authorId))
    .where(eq(conflictMessages.reviewItemId, id))
    .orderBy(asc(conflictMessages.createdAt), asc(conflictMessages.id))
}

/** A moderator takes an item so others see it is being handled; taking it back frees it. */
export async function claimReviewItem({ id, moderatorId, release = false }: { id: number; moderatorId: number; release?: boolean }) {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(reviewItems)
      .set(release ? { claimedById: null, claimedAt: null } : { claimedById: moderatorId, claimedAt: new Date() })
      .where(and(eq(reviewItems.id, id), eq(reviewItems.status, 'pending'), release ? eq(reviewItems.claimedById, moderatorId) : undefined))
      .returning({ id: reviewItems.id })
    if (rows.length > 0) await reviewQueueChanged(tx)
    return rows.length > 0
  })
}

/**
 * Locks the item and checks the version the moderator saw: of two moderators acting at once,
 * the first wins and the second is told who acted and what the item's state is now.
 */
export async function lockPendingItem(tx: Tx, id: number, version: number, kind: 'report' | 'appeal' | 'conflict' | 'queued-post') {
  const [item] = await tx
    .select({
      id: reviewItems.id,
      kind: reviewItems.kind,
      status: reviewItems.status,
      version: reviewItems.version,
      resolution: reviewItems.resolution,
      resolvedById: reviewItems.resolvedById,
      claimedById: reviewItems.claimedById,
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
  // Looked up after the lock, not joined in the locking query: PostgreSQL, having waited for the
  // winner to commit, re-reads only the locked row and would keep the names it saw before (none).
  const usernameOf = async (userId: number | null) => (userId ? ((await tx.select({ username: users.username }).from(users).where(eq(users.id, userId)))[0]?.username ?? null) : null)
  if (item.status !== 'pending' || item.version !== version) {
    const resolvedByUsername = await usernameOf(item.resolvedById)
    return { error: { ok: false, reason: 'conflict', current: { status: item.status, resolution: item.resolution, resolvedByUsername, version: item.version } } as DecideResult }
  }
  return { item: { ...item, claimedByUsername: await usernameOf(item.claimedById) } }
}

export async function resolveItem(tx: Tx, id: number, moderatorId: number, resolution: string, reason: string) {
  await reviewQueueChanged(tx)
  await tx
    .update(reviewItems)
    .set({ status: 'resolved', resolution, resolutionReason: reason, resolvedById: moderatorId, resolvedAt: new Date(), version: sql`${reviewItems.version} + 1`, updatedAt: new Date() })
    .where(eq(reviewItems.id, id))
}
