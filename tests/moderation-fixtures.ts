import { and, asc, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { moderationActions, reports, users } from '#db/schema/index'
import type { UserRole } from '#db/schema/users'
import { drainQueue } from '~/platform/jobs/boss.server'
import { sendMailJob } from '~/platform/mail-jobs.server'
import { getThread } from '~/forum/questions.server'
import { listOutbox } from '~/platform/mail.server'
import { createTestAnswer, createTestQuestion, createTestUser } from './factories'
import { fileAppeal } from '~/moderation/appeal.server'
import { blockedBetweenSql } from '~/moderation/blocks.server'
import type { Moderator } from '~/moderation/decision'
import { getReviewItem, listReviewQueue, type QueueFilters, type ReportReason } from '~/moderation/queue.server'
import { fileReport } from '~/moderation/report.server'

/** Shared by the moderation model tests (app/moderation/*.server.test.ts). */

export const DAY_MS = 24 * 60 * 60 * 1000
export type TestUser = Awaited<ReturnType<typeof createTestUser>>

export async function member({ ageDays }: { ageDays?: number } = {}) {
  const user = await createTestUser()
  if (ageDays !== undefined) await db.update(users).set({ createdAt: new Date(Date.now() - ageDays * DAY_MS) }).where(eq(users.id, user.id))
  return user
}

export async function staff(role: UserRole = 'moderator') {
  const user = await createTestUser({ role, supportTier: role === 'agent' ? 1 : undefined })
  return { ...user, moderator: { id: user.id, role, username: user.username } satisfies Moderator }
}

/** A question by one member with an answer by another. */
export async function thread({ answerAuthorRole = 'member' as UserRole } = {}) {
  const asker = await member()
  const writer = await createTestUser({ role: answerAuthorRole, supportTier: answerAuthorRole === 'agent' ? 1 : undefined })
  const question = await createTestQuestion({ authorId: asker.id })
  const answer = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: `Answer text ${writer.username}` })
  return { asker, writer, question, answer }
}

export async function report(reporter: { id: number }, targetKind: 'question' | 'answer' | 'user', targetId: number, reason: ReportReason = 'spam', note = '') {
  const result = await fileReport({ reporterId: reporter.id, targetKind, targetId, reason, note })
  if (!result.ok) throw new Error(`report not filed: ${result.reason}`)
  return result
}

export async function item(id: number) {
  const found = await getReviewItem({ id })
  if (!found) throw new Error(`no review item ${id}`)
  return found
}

export const versionOf = async (id: number) => (await item(id)).item.version

export async function answerFor(questionId: number, answerId: number, viewerId: number | null, canModerate = false) {
  const found = await getThread({ questionId, viewerId, canModerate })
  return found?.answers.find((a) => a.id === answerId) ?? null
}

/** Whether either member blocked the other. */
export async function isBlockedBetween(database: typeof db, a: number, b: number) {
  const [row] = await database.select({ blocked: blockedBetweenSql(a, b) }).from(users).where(eq(users.id, a))
  return row.blocked
}

export async function userRow(id: number) {
  const [row] = await db.select({ role: users.role, suspendedUntil: users.suspendedUntil, bannedAt: users.bannedAt }).from(users).where(eq(users.id, id))
  return row
}

/** Audit rows written for one queue item, oldest first. */
export async function actionsOfItem(reviewItemId: number) {
  return db.select().from(moderationActions).where(eq(moderationActions.reviewItemId, reviewItemId)).orderBy(asc(moderationActions.id))
}

export async function reportStatuses(reviewItemId: number) {
  return (await db.select({ status: reports.status }).from(reports).where(eq(reports.reviewItemId, reviewItemId))).map((r) => r.status)
}

export async function reportIdOf(reporterId: number, targetKind: 'question' | 'answer' | 'user', targetId: number) {
  const [row] = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.reporterId, reporterId), eq(reports.targetKind, targetKind), eq(reports.targetId, targetId), eq(reports.status, 'open')))
  if (!row) throw new Error('no open report')
  return row.id
}

/** Sends the queued mail (into the outbox, SMTP_URL being unset) and returns what reached `email`. */
export async function mailsTo(email: string) {
  await drainQueue(sendMailJob, { maxJobs: 10_000 })
  const { mails } = await listOutbox({ limit: 10_000 })
  return mails.filter((m) => m.to === email)
}

/** Every item the filters select, following the next-page cursor as the page's link does. */
export async function wholeQueue(moderator: Moderator, filters: QueueFilters = {}) {
  const all: Awaited<ReturnType<typeof listReviewQueue>>['items'] = []
  for (let after: string | null = null; ; ) {
    const { items, nextCursor } = await listReviewQueue({ moderator, filters, after })
    all.push(...items)
    if (!nextCursor) return all
    after = nextCursor
  }
}

export async function appeal(memberId: number, actionId: number) {
  const result = await fileAppeal({ memberId, actionId, statement: '  I think this was a mistake.  ' })
  if (!result.ok) throw new Error(`appeal not filed: ${result.reason}`)
  return result.reviewItemId
}

/** An answer reported by two new members (below the hide threshold). */
export async function reportedAnswer({ reason = 'spam' as ReportReason, answerAuthorRole = 'member' as UserRole } = {}) {
  const t = await thread({ answerAuthorRole })
  const reporters = [await member(), await member()]
  let reviewItemId = 0
  for (const r of reporters) reviewItemId = (await report(r, 'answer', t.answer.id, reason)).reviewItemId
  return { ...t, reporters, reviewItemId }
}

