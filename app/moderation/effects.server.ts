import { eq } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { answers, moderationActions, questions, users } from '#db/schema/index'
import type { UserRole } from '#db/schema/users'
import { touchThread } from '~/forum/thread.server'
import { env } from '~/platform/env.server'
import { notify } from '~/notifications/notify.server'
import { answerPath, questionPath } from '~/platform/misc'

export type TargetKind = 'question' | 'answer' | 'user'
export type ActionKind = (typeof moderationActions.$inferInsert)['action']
export type Target = {
  kind: TargetKind
  id: number
  /** The member the content belongs to (or the member themselves). */
  userId: number
  userRole: UserRole
  username: string
  userEmail: string
  /** The thread the content is in, for links and for bumping its revision. */
  questionId: number | null
  title: string
  bodyHtml: string | null
  hiddenAt: Date | null
  removedAt: Date | null
  lockedAt: Date | null
  purgedAt: Date | null
  /** Waiting for approval (decision 031). */
  queuedAt: Date | null
  /** What the author typed, for a moderator's "edit and approve". */
  bodySource: string | null
}

/** The content or member a report, action or appeal is about, in one query; null when it is gone. */
export async function loadTarget(tx: DbOrTx, kind: TargetKind, id: number): Promise<Target | null> {
  if (kind === 'question') {
    const [row] = await tx
      .select({
        id: questions.id,
        userId: users.id,
        userRole: users.role,
        username: users.username,
        userEmail: users.email,
        questionId: questions.id,
        title: questions.title,
        bodyHtml: questions.bodyHtml,
        hiddenAt: questions.hiddenAt,
        removedAt: questions.removedAt,
        lockedAt: questions.lockedAt,
        purgedAt: questions.purgedAt,
        queuedAt: questions.queuedAt,
        bodySource: questions.bodySource,
      })
      .from(questions)
      .innerJoin(users, eq(users.id, questions.authorId))
      .where(eq(questions.id, id))
    return row ? { kind, ...row } : null
  }
  if (kind === 'answer') {
    const [row] = await tx
      .select({
        id: answers.id,
        userId: users.id,
        userRole: users.role,
        username: users.username,
        userEmail: users.email,
        questionId: answers.questionId,
        title: questions.title,
        bodyHtml: answers.bodyHtml,
        hiddenAt: answers.hiddenAt,
        removedAt: answers.removedAt,
        lockedAt: questions.lockedAt,
        purgedAt: answers.purgedAt,
        queuedAt: answers.queuedAt,
        bodySource: answers.bodySource,
      })
      .from(answers)
      .innerJoin(users, eq(users.id, answers.authorId))
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(eq(answers.id, id))
    return row ? { kind, ...row } : null
  }
  const [row] = await tx
    .select({ id: users.id, userId: users.id, userRole: users.role, username: users.username, userEmail: users.email })
    .from(users)
    .where(eq(users.id, id))
  return row ? { kind, ...row, questionId: null, title: `@${row.username}`, bodyHtml: null, hiddenAt: null, removedAt: null, lockedAt: null, purgedAt: null, queuedAt: null, bodySource: null } : null
}

/** Where a moderator or member can see the target. */
export function targetPath(target: Pick<Target, 'kind' | 'id' | 'questionId' | 'title' | 'username'>) {
  if (target.kind === 'user') return `/u/${target.username}`
  // An answer's own address finds the page of the thread it is on.
  return target.kind === 'answer' ? answerPath(target.id) : questionPath({ id: target.questionId!, title: target.title })
}

export const targetLabel = (target: Pick<Target, 'kind' | 'title' | 'username'>) =>
  target.kind === 'user' ? `the profile of ${target.username}` : target.kind === 'question' ? `your question “${target.title}”` : `your answer on “${target.title}”`

/** Appends to the audit log; the only way anything is written there. */
export async function recordAction(
  tx: DbOrTx,
  entry: { moderatorId: number | null; action: ActionKind; target: Pick<Target, 'kind' | 'id' | 'userId'>; reason: string; reviewItemId?: number | null; reversesActionId?: number | null; durationDays?: number | null; at?: Date },
) {
  const [row] = await tx
    .insert(moderationActions)
    .values({
      moderatorId: entry.moderatorId,
      action: entry.action,
      targetKind: entry.target.kind,
      targetId: entry.target.id,
      targetUserId: entry.target.userId,
      reason: entry.reason,
      reviewItemId: entry.reviewItemId ?? null,
      reversesActionId: entry.reversesActionId ?? null,
      durationDays: entry.durationDays ?? null,
      createdAt: entry.at ?? new Date(),
    })
    .returning({ id: moderationActions.id })
  return row.id
}

const postTable = (kind: TargetKind) => (kind === 'question' ? questions : answers)

export async function setHidden(tx: DbOrTx, target: Target, reason: string | null) {
  if (target.kind === 'user') return
  const table = postTable(target.kind)
  await tx
    .update(table)
    .set(reason === null ? { hiddenAt: null, hiddenReason: null, reviewEditUsed: false } : { hiddenAt: new Date(), hiddenReason: reason })
    .where(eq(table.id, target.id))
  // Cached pages drop the post, and search drops (or regains) it.
  if (target.questionId) await touchThread(tx, target.questionId)
}

export async function setRemoved(tx: DbOrTx, target: Target, reason: string | null) {
  if (target.kind === 'user') return
  const table = postTable(target.kind)
  await tx
    .update(table)
    .set(reason === null ? { removedAt: null, removedReason: null } : { removedAt: new Date(), removedReason: reason })
    .where(eq(table.id, target.id))
  if (target.questionId) await touchThread(tx, target.questionId)
}

export async function setLocked(tx: DbOrTx, questionId: number, reason: string | null) {
  await touchThread(tx, questionId, { set: reason === null ? { lockedAt: null, lockedReason: null } : { lockedAt: new Date(), lockedReason: reason } })
}

export async function setSuspension(tx: DbOrTx, userId: number, until: Date | null, reason: string | null) {
  await tx.update(users).set({ suspendedUntil: until, suspensionReason: reason }).where(eq(users.id, userId))
}

export async function setSilence(tx: DbOrTx, userId: number, until: Date | null, reason: string | null) {
  await tx.update(users).set({ silencedUntil: until, silenceReason: reason }).where(eq(users.id, userId))
}

export async function setBan(tx: DbOrTx, userId: number, reason: string | null) {
  await tx
    .update(users)
    .set({ bannedAt: reason === null ? null : new Date(), banReason: reason })
    .where(eq(users.id, userId))
}

/**
 * Tells members what happened and why, through the notifications module (in the app, and by mail
 * as they prefer). The link is their own record at /me/moderation, which they can always see, even
 * when the content itself is hidden or removed; who decided is never said.
 */
export async function tellMembers(
  tx: DbOrTx,
  { userIds, kind, subject, lines, footer = 'See and appeal moderation decisions about you at' }: { userIds: number[]; kind: 'moderation-outcome' | 'report-outcome' | 'appeal-decision'; subject: string; lines: string[]; footer?: string },
) {
  await notify(tx, { kind, userIds, text: subject, link: '/me/moderation', mail: { subject, text: [...lines, `${footer} ${env.publicUrl}/me/moderation`].join('\n\n') } })
}

/** A target someone may report: it exists and has not been removed. */
export async function loadReportTarget({ kind, id }: { kind: TargetKind; id: number }) {
  const target = await loadTarget(db, kind, id)
  if (!target || target.removedAt) return null
  return { ...target, path: targetPath(target) }
}
