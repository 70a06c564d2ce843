import { and, asc, eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { answers, moderationActions, postRevisions, questions, reports, reviewItems, users } from '#db/schema/index'
import type { UserRole } from '#db/schema/users'
import { drainQueue, QUEUES } from '~/platform/jobs/boss.server'
import { updateAnswer } from '~/forum/answers.server'
import { getThread, listQuestions } from '~/forum/questions.server'
import { listOutbox } from '~/platform/mail.server'
import { can, restrictionOf } from '~/platform/auth/permissions'
import { createTestAnswer, createTestQuestion, createTestUser } from '../../tests/factories'
import { blockedBetweenSql } from './blocks.server'
import { recordAction } from './effects.server'
import {
  blockMember,
  claimReviewItem,
  decideAppeal,
  decideReport,
  fileAppeal,
  fileReport,
  getConflictCase,
  getMemberModeration,
  getReviewItem,
  hasBlocked,
  listAuditLog,
  listReviewQueue,
  openConflict,
  openConflictFromReport,
  postConflictMessage,
  purgeRemovedContent,
  requestReviewAfterEdit,
  resolveConflict,
  reverseModerationAction,
  unblockMember,
  withdrawReport,
  type Moderator,
  type QueueFilters,
  type ReportAction,
  type ReportReason,
} from './review-queue.server'

const DAY_MS = 24 * 60 * 60 * 1000
type TestUser = Awaited<ReturnType<typeof createTestUser>>

beforeEach(() => {
  // Mail lands in the outbox table, where the tests read it.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
})

// ---------------------------------------------------------------------------------------------
// Helpers

async function member({ ageDays }: { ageDays?: number } = {}) {
  const user = await createTestUser()
  if (ageDays !== undefined) await db.update(users).set({ createdAt: new Date(Date.now() - ageDays * DAY_MS) }).where(eq(users.id, user.id))
  return user
}

async function staff(role: UserRole = 'moderator') {
  const user = await createTestUser({ role, supportTier: role === 'agent' ? 1 : undefined })
  return { ...user, moderator: { id: user.id, role, username: user.username } satisfies Moderator }
}

/** A question by one member with an answer by another. */
async function thread({ answerAuthorRole = 'member' as UserRole } = {}) {
  const asker = await member()
  const writer = await createTestUser({ role: answerAuthorRole, supportTier: answerAuthorRole === 'agent' ? 1 : undefined })
  const question = await createTestQuestion({ authorId: asker.id })
  const answer = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: `Answer text ${writer.username}` })
  return { asker, writer, question, answer }
}

async function report(reporter: { id: number }, targetKind: 'question' | 'answer' | 'user', targetId: number, reason: ReportReason = 'spam', note = '') {
  const result = await fileReport({ reporterId: reporter.id, targetKind, targetId, reason, note })
  if (!result.ok) throw new Error(`report not filed: ${result.reason}`)
  return result
}

async function item(id: number) {
  const found = await getReviewItem({ id })
  if (!found) throw new Error(`no review item ${id}`)
  return found
}

const versionOf = async (id: number) => (await item(id)).item.version

async function answerFor(questionId: number, answerId: number, viewerId: number | null, canModerate = false) {
  const found = await getThread({ questionId, viewerId, canModerate })
  return found?.answers.find((a) => a.id === answerId) ?? null
}

/** Whether either member blocked the other. */
async function isBlockedBetween(database: typeof db, a: number, b: number) {
  const [row] = await database.select({ blocked: blockedBetweenSql(a, b) }).from(users).where(eq(users.id, a))
  return row.blocked
}

async function userRow(id: number) {
  const [row] = await db.select({ role: users.role, suspendedUntil: users.suspendedUntil, bannedAt: users.bannedAt }).from(users).where(eq(users.id, id))
  return row
}

/** Audit rows written for one queue item, oldest first. */
async function actionsOfItem(reviewItemId: number) {
  return db.select().from(moderationActions).where(eq(moderationActions.reviewItemId, reviewItemId)).orderBy(asc(moderationActions.id))
}

async function reportStatuses(reviewItemId: number) {
  return (await db.select({ status: reports.status }).from(reports).where(eq(reports.reviewItemId, reviewItemId))).map((r) => r.status)
}

async function reportIdOf(reporterId: number, targetKind: 'question' | 'answer' | 'user', targetId: number) {
  const [row] = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.reporterId, reporterId), eq(reports.targetKind, targetKind), eq(reports.targetId, targetId), eq(reports.status, 'open')))
  if (!row) throw new Error('no open report')
  return row.id
}

/** Sends the queued mail (into the outbox, SMTP_URL being unset) and returns what reached `email`. */
async function mailsTo(email: string) {
  await drainQueue(QUEUES.sendMail, { maxJobs: 10_000 })
  const { mails } = await listOutbox({ limit: 10_000 })
  return mails.filter((m) => m.to === email)
}

/** Every pending item, page after page. */
async function wholeQueue(moderator: Moderator, filters: QueueFilters = {}) {
  const all: Awaited<ReturnType<typeof listReviewQueue>>['items'] = []
  for (let page = 0; ; page++) {
    const { items, hasMore } = await listReviewQueue({ moderator, filters, page })
    all.push(...items)
    if (!hasMore) return all
  }
}

async function appeal(memberId: number, actionId: number) {
  const result = await fileAppeal({ memberId, actionId, statement: '  I think this was a mistake.  ' })
  if (!result.ok) throw new Error(`appeal not filed: ${result.reason}`)
  return result.reviewItemId
}

/** An answer reported by two new members (below the hide threshold). */
async function reportedAnswer({ reason = 'spam' as ReportReason, answerAuthorRole = 'member' as UserRole } = {}) {
  const t = await thread({ answerAuthorRole })
  const reporters = [await member(), await member()]
  let reviewItemId = 0
  for (const r of reporters) reviewItemId = (await report(r, 'answer', t.answer.id, reason)).reviewItemId
  return { ...t, reporters, reviewItemId }
}

// ---------------------------------------------------------------------------------------------

describe('fileReport and withdrawReport', () => {
  test('a member cannot report their own content or profile', async () => {
    const { writer, answer } = await thread()
    expect(await fileReport({ reporterId: writer.id, targetKind: 'answer', targetId: answer.id, reason: 'spam', note: '' })).toEqual({ ok: false, reason: 'own' })
    expect(await fileReport({ reporterId: writer.id, targetKind: 'user', targetId: writer.id, reason: 'spam', note: '' })).toEqual({ ok: false, reason: 'own' })
  })

  test('a second open report by the same member on the same target is a duplicate', async () => {
    const { answer } = await thread()
    const reporter = await member()
    expect((await fileReport({ reporterId: reporter.id, targetKind: 'answer', targetId: answer.id, reason: 'spam', note: '' })).ok).toBe(true)
    expect(await fileReport({ reporterId: reporter.id, targetKind: 'answer', targetId: answer.id, reason: 'other', note: 'again' })).toEqual({ ok: false, reason: 'duplicate' })
  })

  test('reports from different members merge into one pending item: weights add up, reasons unite, harassment makes it urgent', async () => {
    const { question } = await thread()
    const longStanding = await member({ ageDays: 120 })
    const [a, b] = [await member(), await member()]
    const first = await report(a, 'question', question.id, 'spam')
    const second = await report(b, 'question', question.id, 'spam')
    expect(second.reviewItemId).toBe(first.reviewItemId)
    const third = await report(longStanding, 'question', question.id, 'harassment')
    expect(third.reviewItemId).toBe(first.reviewItemId)

    const pending = await db.select().from(reviewItems).where(and(eq(reviewItems.targetKind, 'question'), eq(reviewItems.targetId, question.id)))
    expect(pending).toHaveLength(1)
    expect(pending[0]).toMatchObject({ kind: 'report', status: 'pending', score: 3.5, urgency: 0 })
    expect([...pending[0].reasons].sort()).toEqual(['harassment', 'spam'])
    expect((await item(first.reviewItemId)).reports.map((r) => r.weight)).toEqual([1, 1, 1.5])
  })

  test('copyright is urgent too; other reasons are not', async () => {
    const one = await thread()
    const two = await thread()
    const plain = await report(await member(), 'answer', one.answer.id, 'off-topic')
    const copyright = await report(await member(), 'answer', two.answer.id, 'copyright')
    const urgencies = await db.select({ id: reviewItems.id, urgency: reviewItems.urgency }).from(reviewItems)
    expect(urgencies.find((i) => i.id === plain.reviewItemId)?.urgency).toBe(1)
    expect(urgencies.find((i) => i.id === copyright.reviewItemId)?.urgency).toBe(0)
  })

  test('after withdrawing, the same member may report again; the item stays open while others report it', async () => {
    const { answer } = await thread()
    const [a, b] = [await member(), await member()]
    const { reviewItemId } = await report(a, 'answer', answer.id)
    await report(b, 'answer', answer.id)
    expect(await withdrawReport({ reporterId: b.id, reportId: await reportIdOf(a.id, 'answer', answer.id) })).toBe(false) // not b's report
    expect(await withdrawReport({ reporterId: a.id, reportId: await reportIdOf(a.id, 'answer', answer.id) })).toBe(true)
    expect((await item(reviewItemId)).item).toMatchObject({ status: 'pending', score: 1 })

    const again = await fileReport({ reporterId: a.id, targetKind: 'answer', targetId: answer.id, reason: 'other', note: 'On second thought' })
    expect(again).toEqual({ ok: true, reviewItemId, hidden: false })
    expect((await item(reviewItemId)).item.score).toBe(2)
  })

  test('withdrawing the last report resolves the item as withdrawn and shows auto-hidden content again', async () => {
    const { question, answer } = await thread()
    const reporters = [await member(), await member(), await member()]
    const reportIds: number[] = []
    let reviewItemId = 0
    for (const r of reporters) {
      reviewItemId = (await report(r, 'answer', answer.id)).reviewItemId
      reportIds.push(await reportIdOf(r.id, 'answer', answer.id))
    }
    expect(await answerFor(question.id, answer.id, null)).toBeNull()

    for (const [index, r] of reporters.entries()) {
      expect(await withdrawReport({ reporterId: r.id, reportId: reportIds[index] })).toBe(true)
      // Still hidden while any report is left.
      if (index < reporters.length - 1) expect(await answerFor(question.id, answer.id, null)).toBeNull()
    }
    expect((await item(reviewItemId)).item).toMatchObject({ status: 'resolved', resolution: 'withdrawn' })
    expect(await answerFor(question.id, answer.id, null)).toMatchObject({ id: answer.id, hiddenAt: null })
    expect((await actionsOfItem(reviewItemId)).map((a) => [a.action, a.moderatorId])).toEqual([
      ['auto-hide', null],
      ['unhide', null],
    ])
    expect(await withdrawReport({ reporterId: reporters[0].id, reportId: reportIds[0] })).toBe(false)
  })

  test('removed content cannot be reported', async () => {
    const { reviewItemId, answer } = await reportedAnswer()
    const { moderator } = await staff()
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator, action: 'remove', reason: 'Spam link' })).toEqual({ ok: true })
    expect(await fileReport({ reporterId: (await member()).id, targetKind: 'answer', targetId: answer.id, reason: 'spam', note: '' })).toEqual({ ok: false, reason: 'not-found' })
    expect(await fileReport({ reporterId: (await member()).id, targetKind: 'answer', targetId: 2_000_000_000, reason: 'spam', note: '' })).toEqual({ ok: false, reason: 'not-found' })
  })
})

describe('the hide threshold', () => {
  test('three new members hide an answer at once: visitors lose it, its author and moderators keep it', async () => {
    const { question, answer, writer } = await thread()
    const [a, b, c] = [await member(), await member(), await member()]
    expect((await report(a, 'answer', answer.id)).hidden).toBe(false)
    expect((await report(b, 'answer', answer.id)).hidden).toBe(false)
    expect(await answerFor(question.id, answer.id, null)).not.toBeNull()
    const third = await report(c, 'answer', answer.id)
    expect(third.hidden).toBe(true)

    expect(await answerFor(question.id, answer.id, null)).toBeNull()
    expect(await answerFor(question.id, answer.id, a.id)).toBeNull()
    const asAuthor = await answerFor(question.id, answer.id, writer.id)
    expect(asAuthor?.hiddenAt).toBeInstanceOf(Date)
    expect(asAuthor?.hiddenReason).toMatch(/several reports/)
    expect(await answerFor(question.id, answer.id, (await staff()).id, true)).toMatchObject({ id: answer.id })

    const { entries } = await listAuditLog({ filters: { action: 'auto-hide', member: writer.username } })
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ action: 'auto-hide', moderatorUsername: null, targetKind: 'answer', targetId: answer.id, reviewItemId: third.reviewItemId })
    const [action] = await db.select().from(moderationActions).where(eq(moderationActions.id, entries[0].id))
    expect(action.moderatorId).toBeNull()
  })

  test('two long-standing members (1.5 each) reach the threshold; two new members do not', async () => {
    const newcomers = await thread()
    for (const r of [await member(), await member()]) expect((await report(r, 'answer', newcomers.answer.id)).hidden).toBe(false)
    expect(await answerFor(newcomers.question.id, newcomers.answer.id, null)).not.toBeNull()

    const veterans = await thread()
    const [a, b] = [await member({ ageDays: 91 }), await member({ ageDays: 400 })]
    expect((await report(a, 'answer', veterans.answer.id)).hidden).toBe(false)
    expect((await report(b, 'answer', veterans.answer.id)).hidden).toBe(true)
    expect(await answerFor(veterans.question.id, veterans.answer.id, null)).toBeNull()
  })

  test('a hidden question leaves the lists and reaches only its author and moderators', async () => {
    const { question, asker } = await thread()
    expect((await listQuestions({})).questions.map((q) => q.id)).toContain(question.id)
    for (const r of [await member(), await member(), await member()]) await report(r, 'question', question.id)
    expect((await listQuestions({})).questions.map((q) => q.id)).not.toContain(question.id)
    expect(await getThread({ questionId: question.id, viewerId: null })).toBeNull()
    expect((await getThread({ questionId: question.id, viewerId: asker.id }))?.question.hiddenReason).toMatch(/several reports/)
    expect(await getThread({ questionId: question.id, viewerId: null, canModerate: true })).not.toBeNull()
  })

  test.each(['agent', 'moderator', 'admin'] as const)("a staff member's content (%s) is never hidden automatically", async (role) => {
    const { question, answer } = await thread({ answerAuthorRole: role })
    const reporters = [await member({ ageDays: 200 }), await member(), await member(), (await staff('admin')) as TestUser]
    for (const r of reporters) expect((await report(r, 'answer', answer.id)).hidden).toBe(false)
    const [row] = await db.select({ score: reviewItems.score }).from(reviewItems).where(and(eq(reviewItems.targetKind, 'answer'), eq(reviewItems.targetId, answer.id)))
    expect(row.score).toBe(5.5)
    expect(await answerFor(question.id, answer.id, null)).toMatchObject({ id: answer.id, hiddenAt: null })
    expect((await listAuditLog({ filters: { action: 'auto-hide' } })).entries.filter((e) => e.targetKind === 'answer' && e.targetId === answer.id)).toEqual([])
  })

  test('profiles are never hidden', async () => {
    const target = await member()
    for (const r of [await member(), await member(), await member()]) expect((await report(r, 'user', target.id, 'harassment')).hidden).toBe(false)
  })
})

describe('the review queue', () => {
  test('urgent reasons first, then score, then age; filters by kind, reason and claim', async () => {
    const mod = await staff()
    const other = await staff()
    // A spam item with a high score (two staff reports), a harassment item with a low one, and
    // two spam items of equal score where age decides.
    const spamHigh = await thread()
    const spamHighItem = (await report(await staff('agent'), 'answer', spamHigh.answer.id, 'spam')).reviewItemId
    await report(await staff('agent'), 'answer', spamHigh.answer.id, 'spam')
    const harassment = await thread()
    const harassmentItem = (await report(await member(), 'answer', harassment.answer.id, 'harassment')).reviewItemId
    const olderSpam = await thread()
    const olderItem = (await report(await member({ ageDays: 100 }), 'answer', olderSpam.answer.id, 'spam')).reviewItemId
    await new Promise((resolve) => setTimeout(resolve, 5))
    const newerSpam = await thread()
    const newerItem = (await report(await member({ ageDays: 100 }), 'answer', newerSpam.answer.id, 'spam')).reviewItemId
    const mine = [spamHighItem, harassmentItem, olderItem, newerItem]

    const order = (await wholeQueue(mod.moderator)).map((i) => i.id).filter((id) => mine.includes(id))
    expect(order).toEqual([harassmentItem, spamHighItem, olderItem, newerItem])
    const listed = (await wholeQueue(mod.moderator)).find((i) => i.id === spamHighItem)
    expect(listed).toMatchObject({ kind: 'report', targetKind: 'answer', title: spamHigh.question.title, targetUsername: spamHigh.writer.username, score: 4, reportCount: 2 })

    const harassmentOnly = (await wholeQueue(mod.moderator, { reason: 'harassment' })).map((i) => i.id)
    expect(harassmentOnly).toContain(harassmentItem)
    expect(harassmentOnly).not.toContain(spamHighItem)

    // Kind: an appeal shows under appeals and not under reports.
    const appealed = await reportedAnswer()
    await decideReport({ id: appealed.reviewItemId, version: await versionOf(appealed.reviewItemId), moderator: mod.moderator, action: 'hide', reason: 'Off topic' })
    const [hideAction] = (await actionsOfItem(appealed.reviewItemId)).filter((a) => a.action === 'hide')
    const appeal = await fileAppeal({ memberId: appealed.writer.id, actionId: hideAction.id, statement: 'It was on topic.' })
    if (!appeal.ok) throw new Error(appeal.reason)
    const appeals = (await wholeQueue(mod.moderator, { kind: 'appeal' })).map((i) => i.id)
    const reportsOnly = (await wholeQueue(mod.moderator, { kind: 'report' })).map((i) => i.id)
    expect(appeals).toContain(appeal.reviewItemId)
    expect(appeals).not.toContain(harassmentItem)
    expect(reportsOnly).toContain(harassmentItem)
    expect(reportsOnly).not.toContain(appeal.reviewItemId)

    // Claims.
    expect(await claimReviewItem({ id: harassmentItem, moderatorId: mod.id })).toBe(true)
    expect(await claimReviewItem({ id: olderItem, moderatorId: other.id })).toBe(true)
    const claimedByMe = (await wholeQueue(mod.moderator, { claimed: 'me' })).map((i) => i.id)
    const unclaimed = (await wholeQueue(mod.moderator, { claimed: 'unclaimed' })).map((i) => i.id)
    const byOthers = (await wholeQueue(mod.moderator, { claimed: 'others' })).map((i) => i.id)
    expect(claimedByMe.filter((id) => mine.includes(id))).toEqual([harassmentItem])
    expect(byOthers.filter((id) => mine.includes(id))).toEqual([olderItem])
    expect(unclaimed.filter((id) => mine.includes(id))).toEqual([spamHighItem, newerItem])
    expect((await wholeQueue(mod.moderator)).find((i) => i.id === harassmentItem)?.claimedByUsername).toBe(mod.username)
    expect((await item(olderItem)).item.claimedByUsername).toBe(other.username)

    // Only the claimer releases a claim.
    expect(await claimReviewItem({ id: olderItem, moderatorId: mod.id, release: true })).toBe(false)
    expect(await claimReviewItem({ id: olderItem, moderatorId: other.id, release: true })).toBe(true)
    expect((await item(olderItem)).item.claimedByUsername).toBeNull()
  })
})

describe('decideReport', () => {
  /** Checks what every decision does: one audit row, reports settled, the item resolved, the mails. */
  async function expectDecided({
    reviewItemId,
    moderator,
    action,
    reason,
    author,
    reporters,
  }: {
    reviewItemId: number
    moderator: Moderator & { username: string }
    action: ReportAction
    reason: string
    author: TestUser
    reporters: TestUser[]
  }) {
    const byModerator = (await actionsOfItem(reviewItemId)).filter((a) => a.moderatorId === moderator.id)
    expect(byModerator).toHaveLength(1)
    expect(byModerator[0]).toMatchObject({ action, reason, reviewItemId, targetUserId: author.id })
    expect(await reportStatuses(reviewItemId)).toEqual(reporters.map(() => (action === 'dismiss' ? 'dismissed' : 'upheld')))
    expect((await item(reviewItemId)).item).toMatchObject({ status: 'resolved', resolution: action, resolutionReason: reason, resolvedByUsername: moderator.username })

    // Only the moderation mail: an asker also hears of new answers to their question.
    const authorMails = (await mailsTo(author.email)).filter((m) => m.subject.startsWith('A moderator acted on'))
    if (action === 'dismiss') expect(authorMails).toEqual([])
    else {
      expect(authorMails).toHaveLength(1)
      expect(authorMails[0].text).toContain(reason)
    }
    for (const r of reporters) {
      const mails = await mailsTo(r.email)
      expect(mails).toHaveLength(1)
      expect(mails[0].subject).toBe('Your report was reviewed')
      expect(mails[0].text).not.toContain(moderator.username)
    }
    return byModerator[0]
  }

  test('dismiss: reports dismissed, auto-hidden content visible again, no mail to the author', async () => {
    const { question, answer, writer } = await thread()
    const reporters = [await member(), await member(), await member()]
    let reviewItemId = 0
    for (const r of reporters) reviewItemId = (await report(r, 'answer', answer.id)).reviewItemId
    expect(await answerFor(question.id, answer.id, null)).toBeNull()
    const mod = await staff()
    const reason = 'Not spam: a genuine workaround.'
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'dismiss', reason })).toEqual({ ok: true })
    expect(await answerFor(question.id, answer.id, null)).toMatchObject({ id: answer.id, hiddenAt: null, hiddenReason: null })
    await expectDecided({ reviewItemId, moderator: mod.moderator, action: 'dismiss', reason, author: writer, reporters })
  })

  test('hide: hidden with the reason', async () => {
    const { reviewItemId, question, answer, writer, reporters } = await reportedAnswer()
    const mod = await staff()
    const reason = 'Links to a site selling licence keys.'
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'hide', reason })).toEqual({ ok: true })
    expect(await answerFor(question.id, answer.id, null)).toBeNull()
    expect(await answerFor(question.id, answer.id, writer.id)).toMatchObject({ hiddenReason: reason })
    await expectDecided({ reviewItemId, moderator: mod.moderator, action: 'hide', reason, author: writer, reporters })
  })

  test('remove: a removed question is gone for visitors and its author, kept for moderators, out of lists', async () => {
    const { question, asker } = await thread()
    const reporters = [await member(), await member()]
    let reviewItemId = 0
    for (const r of reporters) reviewItemId = (await report(r, 'question', question.id, 'inappropriate')).reviewItemId
    expect((await listQuestions({})).questions.map((q) => q.id)).toContain(question.id)
    const mod = await staff()
    const reason = 'Abusive language in the title.'
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'remove', reason })).toEqual({ ok: true })
    expect(await getThread({ questionId: question.id, viewerId: null })).toBeNull()
    expect(await getThread({ questionId: question.id, viewerId: asker.id })).toBeNull()
    expect((await getThread({ questionId: question.id, viewerId: mod.id, canModerate: true }))?.question.removedReason).toBe(reason)
    expect((await listQuestions({})).questions.map((q) => q.id)).not.toContain(question.id)
    await expectDecided({ reviewItemId, moderator: mod.moderator, action: 'remove', reason, author: asker, reporters })
  })

  test('remove on an answer: gone for the visitor and its author, kept for moderators', async () => {
    const { reviewItemId, question, answer, writer, reporters } = await reportedAnswer()
    const mod = await staff()
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'remove', reason: 'Spam' })).toEqual({ ok: true })
    expect(await answerFor(question.id, answer.id, null)).toBeNull()
    expect(await answerFor(question.id, answer.id, writer.id)).toBeNull()
    expect(await answerFor(question.id, answer.id, mod.id, true)).toMatchObject({ removedReason: 'Spam' })
    await expectDecided({ reviewItemId, moderator: mod.moderator, action: 'remove', reason: 'Spam', author: writer, reporters })
  })

  test('lock: the thread is locked', async () => {
    // Reported on the question: the thread is its asker's.
    const { question, asker: writer } = await thread()
    const reporters = [await member(), await member()]
    let reviewItemId = 0
    for (const r of reporters) reviewItemId = (await report(r, 'question', question.id)).reviewItemId
    const mod = await staff()
    const reason = 'The discussion turned into a flame war.'
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'lock', reason })).toEqual({ ok: true })
    const [row] = await db.select({ lockedAt: questions.lockedAt, lockedReason: questions.lockedReason }).from(questions).where(eq(questions.id, question.id))
    expect(row.lockedAt).toBeInstanceOf(Date)
    expect(row.lockedReason).toBe(reason)
    const audit = await expectDecided({ reviewItemId, moderator: mod.moderator, action: 'lock', reason, author: writer, reporters })
    expect(audit).toMatchObject({ targetKind: 'question', targetId: question.id })
  })

  test("remove: the item names its own removal for the restore form, however long the member's history", async () => {
    const { reviewItemId, writer } = await reportedAnswer()
    const mod = await staff()
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'remove', reason: 'Spam' })).toEqual({ ok: true })
    const [removal] = (await actionsOfItem(reviewItemId)).filter((a) => a.action === 'remove')
    for (let i = 0; i < 25; i++) await recordAction(db, { moderatorId: mod.id, action: 'warn', target: { kind: 'user', id: writer.id, userId: writer.id }, reason: `Later ${i}` })
    const found = await item(reviewItemId)
    expect(found.history.some((h) => h.id === removal.id)).toBe(false)
    expect(found.item.removalActionId).toBe(removal.id)
  })

  test("lock on a reported answer is refused: the thread is not the answer's author's", async () => {
    const { reviewItemId, question, writer } = await reportedAnswer()
    const mod = await staff()
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'lock', reason: 'x' })).toMatchObject({ ok: false, reason: 'invalid' })
    const [row] = await db.select({ lockedAt: questions.lockedAt }).from(questions).where(eq(questions.id, question.id))
    expect(row.lockedAt).toBeNull()
    expect((await item(reviewItemId)).item.status).toBe('pending')
    expect(await actionsOfItem(reviewItemId)).toEqual([])
    expect(await mailsTo(writer.email)).toEqual([])
  })

  test('warn: an audit row about the author', async () => {
    const { reviewItemId, writer, reporters } = await reportedAnswer()
    const mod = await staff()
    const reason = 'Please keep answers on topic.'
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'warn', reason })).toEqual({ ok: true })
    const audit = await expectDecided({ reviewItemId, moderator: mod.moderator, action: 'warn', reason, author: writer, reporters })
    expect(audit).toMatchObject({ targetKind: 'user', targetId: writer.id, targetUserId: writer.id })
    expect(await userRow(writer.id)).toMatchObject({ suspendedUntil: null, bannedAt: null })
  })

  test('suspend N days: the member loses contributing permissions until then; staff permissions are untouched', async () => {
    const { reviewItemId, writer, reporters } = await reportedAnswer()
    const mod = await staff()
    const reason = 'Repeated spam after a warning.'
    const before = Date.now()
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'suspend', reason, days: 7 })).toEqual({ ok: true })
    const row = await userRow(writer.id)
    expect(row.suspendedUntil!.getTime()).toBeGreaterThanOrEqual(before + 7 * DAY_MS - 1000)
    expect(row.suspendedUntil!.getTime()).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS + 1000)
    expect(restrictionOf(row)).toEqual({ kind: 'suspended', until: row.suspendedUntil })
    expect(can(row, 'create:answer')).toBe(false)
    expect(can(row, 'create:question')).toBe(false)
    expect(can(row, 'create:report')).toBe(false)
    // The same restriction on an agent: ticket work goes on, contributing to the forum does not.
    expect(can({ ...row, role: 'agent' }, 'work:ticket:any')).toBe(true)
    expect(can({ ...row, role: 'agent' }, 'create:answer')).toBe(false)
    // Once it ends, everything is back.
    expect(restrictionOf(row, new Date(Date.now() + 8 * DAY_MS))).toBeNull()
    const audit = await expectDecided({ reviewItemId, moderator: mod.moderator, action: 'suspend', reason, author: writer, reporters })
    expect(audit).toMatchObject({ targetKind: 'user', targetId: writer.id, durationDays: 7 })
    expect((await mailsTo(writer.email))[0].text).toContain('for 7 days')
  })

  test('ban: the member is banned', async () => {
    const { reviewItemId, writer, reporters } = await reportedAnswer()
    const mod = await staff('admin')
    const reason = 'Account used only for spam.'
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'ban', reason })).toEqual({ ok: true })
    const row = await userRow(writer.id)
    expect(row.bannedAt).toBeInstanceOf(Date)
    expect(restrictionOf(row)).toEqual({ kind: 'banned' })
    expect(can(row, 'vote:answer')).toBe(false)
    await expectDecided({ reviewItemId, moderator: mod.moderator, action: 'ban', reason, author: writer, reporters })
  })

  test('on a profile report: warn works, hide/remove/lock are invalid', async () => {
    const target = await member()
    const reporters = [await member()]
    const { reviewItemId } = await report(reporters[0], 'user', target.id, 'harassment')
    const mod = await staff()
    for (const action of ['hide', 'remove', 'lock'] as const) {
      const result = await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action, reason: 'x' })
      expect(result).toMatchObject({ ok: false, reason: 'invalid' })
    }
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'warn', reason: 'Be civil.' })).toEqual({ ok: true })
    await expectDecided({ reviewItemId, moderator: mod.moderator, action: 'warn', reason: 'Be civil.', author: target, reporters })
  })

  test('invalid decisions change nothing: suspend without days, warn/suspend/ban on staff', async () => {
    const mod = await staff()
    const plain = await reportedAnswer()
    for (const days of [undefined, null, 0, 366]) {
      expect(await decideReport({ id: plain.reviewItemId, version: await versionOf(plain.reviewItemId), moderator: mod.moderator, action: 'suspend', reason: 'x', days })).toMatchObject({ ok: false, reason: 'invalid' })
    }
    for (const role of ['agent', 'moderator', 'admin'] as const) {
      const byStaff = await reportedAnswer({ answerAuthorRole: role })
      for (const action of ['warn', 'suspend', 'ban'] as const) {
        const result = await decideReport({ id: byStaff.reviewItemId, version: await versionOf(byStaff.reviewItemId), moderator: mod.moderator, action, reason: 'x', days: 3 })
        expect(result).toMatchObject({ ok: false, reason: 'invalid' })
      }
      expect(await userRow(byStaff.writer.id)).toMatchObject({ suspendedUntil: null, bannedAt: null })
      expect((await item(byStaff.reviewItemId)).item.status).toBe('pending')
      expect(await actionsOfItem(byStaff.reviewItemId)).toEqual([])
    }
    expect((await item(plain.reviewItemId)).item.status).toBe('pending')
    expect(await actionsOfItem(plain.reviewItemId)).toEqual([])
    expect(await userRow(plain.writer.id)).toMatchObject({ suspendedUntil: null })
    expect(await decideReport({ id: 2_000_000_000, version: 0, moderator: mod.moderator, action: 'dismiss', reason: 'x' })).toEqual({ ok: false, reason: 'not-found' })
  })
})

describe('two moderators deciding the same item', () => {
  async function race(run: (calls: (() => Promise<Awaited<ReturnType<typeof decideReport>>>)[]) => Promise<Awaited<ReturnType<typeof decideReport>>[]>) {
    const { answer } = await thread()
    const { reviewItemId } = await report(await member(), 'answer', answer.id)
    const first = await staff()
    const second = await staff()
    const version = await versionOf(reviewItemId)
    const results = await run([
      () => decideReport({ id: reviewItemId, version, moderator: first.moderator, action: 'hide', reason: 'First look' }),
      () => decideReport({ id: reviewItemId, version, moderator: second.moderator, action: 'remove', reason: 'Second look' }),
    ])
    const winner = results.findIndex((r) => r.ok)
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const [winningModerator, winningAction] = winner === 0 ? [first, 'hide'] : [second, 'remove']
    expect(results[1 - winner]).toMatchObject({ ok: false, reason: 'conflict', current: { status: 'resolved', resolution: winningAction, resolvedByUsername: winningModerator.username } })
    const audit = await actionsOfItem(reviewItemId)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: winningAction, moderatorId: winningModerator.id })
  }

  test('one after the other: the second is told who decided and what', async () => {
    await race(async ([a, b]) => [await a(), await b()])
  })

  test('a version that is out of date is a conflict even while the item is pending', async () => {
    const { answer } = await thread()
    const { reviewItemId } = await report(await member(), 'answer', answer.id)
    const seen = await versionOf(reviewItemId)
    await report(await member(), 'answer', answer.id)
    const result = await decideReport({ id: reviewItemId, version: seen, moderator: (await staff()).moderator, action: 'dismiss', reason: 'x' })
    expect(result).toMatchObject({ ok: false, reason: 'conflict', current: { status: 'pending', resolvedByUsername: null, version: seen + 1 } })
  })
})

describe('appeals', () => {
  /** A report decided with `action` by `moderator`, and the id of the action in the audit log. */
  async function decided(action: ReportAction, moderator: Moderator, { days }: { days?: number } = {}) {
    const reported = await reportedAnswer()
    const result = await decideReport({ id: reported.reviewItemId, version: await versionOf(reported.reviewItemId), moderator, action, reason: `Reason for ${action}`, days })
    expect(result).toEqual({ ok: true })
    const [row] = (await actionsOfItem(reported.reviewItemId)).filter((a) => a.moderatorId === moderator.id)
    return { ...reported, actionId: row.id }
  }

  test('only the affected member, only appealable actions, only once', async () => {
    const mod = await staff()
    const hidden = await decided('hide', mod.moderator)
    expect(await fileAppeal({ memberId: hidden.reporters[0].id, actionId: hidden.actionId, statement: 'x' })).toEqual({ ok: false, reason: 'not-found' })
    expect(await fileAppeal({ memberId: hidden.asker.id, actionId: hidden.actionId, statement: 'x' })).toEqual({ ok: false, reason: 'not-found' })
    const first = await fileAppeal({ memberId: hidden.writer.id, actionId: hidden.actionId, statement: '  Please look again. ' })
    expect(first.ok).toBe(true)
    expect(await fileAppeal({ memberId: hidden.writer.id, actionId: hidden.actionId, statement: 'And again' })).toEqual({ ok: false, reason: 'duplicate' })
    if (first.ok) expect((await item(first.reviewItemId)).item).toMatchObject({ kind: 'appeal', status: 'pending', statement: 'Please look again.', moderationActionId: hidden.actionId })

    const dismissed = await decided('dismiss', mod.moderator)
    expect(await fileAppeal({ memberId: dismissed.writer.id, actionId: dismissed.actionId, statement: 'x' })).toEqual({ ok: false, reason: 'not-appealable' })

    const auto = await thread()
    let autoItem = 0
    for (const r of [await member(), await member(), await member()]) autoItem = (await report(r, 'answer', auto.answer.id)).reviewItemId
    const [autoHide] = await actionsOfItem(autoItem)
    expect(autoHide.action).toBe('auto-hide')
    expect(await fileAppeal({ memberId: auto.writer.id, actionId: autoHide.id, statement: 'x' })).toEqual({ ok: false, reason: 'not-appealable' })

    for (const action of ['remove', 'warn', 'suspend', 'ban'] as const) {
      const other = await decided(action, mod.moderator, { days: 2 })
      expect((await fileAppeal({ memberId: other.writer.id, actionId: other.actionId, statement: 'x' })).ok).toBe(true)
    }
  })

  test('the moderator who acted cannot decide the appeal; an admin who acted can', async () => {
    const mod = await staff()
    const hidden = await decided('hide', mod.moderator)
    const appealId = await appeal(hidden.writer.id, hidden.actionId)
    expect(await decideAppeal({ id: appealId, version: await versionOf(appealId), moderator: mod.moderator, outcome: 'overturned', reason: 'x' })).toEqual({ ok: false, reason: 'same-moderator' })
    expect((await item(appealId)).item.status).toBe('pending')
    expect(await answerFor(hidden.question.id, hidden.answer.id, null)).toBeNull()

    const admin = await staff('admin')
    const byAdmin = await decided('hide', admin.moderator)
    const adminAppeal = await appeal(byAdmin.writer.id, byAdmin.actionId)
    expect(await decideAppeal({ id: adminAppeal, version: await versionOf(adminAppeal), moderator: admin.moderator, outcome: 'upheld', reason: 'Still off topic.' })).toEqual({ ok: true })
  })

  test('overturning a hide shows the answer again and records the reversal and the decision', async () => {
    const first = await staff()
    const second = await staff()
    const hidden = await decided('hide', first.moderator)
    expect(await answerFor(hidden.question.id, hidden.answer.id, null)).toBeNull()
    const appealId = await appeal(hidden.writer.id, hidden.actionId)
    const reason = 'On reflection the answer is helpful.'
    expect(await decideAppeal({ id: appealId, version: await versionOf(appealId), moderator: second.moderator, outcome: 'overturned', reason })).toEqual({ ok: true })
    expect(await answerFor(hidden.question.id, hidden.answer.id, null)).toMatchObject({ id: hidden.answer.id, hiddenAt: null })
    expect((await item(appealId)).item).toMatchObject({ status: 'resolved', resolution: 'overturned', resolvedByUsername: second.username })

    const { entries } = await listAuditLog({ filters: { member: hidden.writer.username } })
    const chronological = [...entries].reverse()
    expect(chronological.map((e) => [e.action, e.moderatorUsername])).toEqual([
      ['hide', first.username],
      ['unhide', second.username],
      ['appeal-overturned', second.username],
    ])
    expect(chronological[1]).toMatchObject({ reversesActionId: hidden.actionId, reviewItemId: appealId, reason })
    expect(chronological[2]).toMatchObject({ reviewItemId: appealId, reason })

    const mails = await mailsTo(hidden.writer.email)
    expect(mails.map((m) => m.subject)).toContain('Your appeal was successful')
    expect(mails.find((m) => m.subject === 'Your appeal was successful')?.text).toContain(reason)
  })

  test('overturning a suspension lifts it; a suspended member can still appeal', async () => {
    const first = await staff()
    const second = await staff()
    const suspended = await decided('suspend', first.moderator, { days: 30 })
    const row = await userRow(suspended.writer.id)
    expect(restrictionOf(row)?.kind).toBe('suspended')
    expect(can(row, 'create:report')).toBe(false)
    // The model does not check restrictions for appeals: the right to appeal survives a suspension.
    const appealId = await appeal(suspended.writer.id, suspended.actionId)
    expect(await decideAppeal({ id: appealId, version: await versionOf(appealId), moderator: second.moderator, outcome: 'overturned', reason: 'Too harsh.' })).toEqual({ ok: true })
    const after = await userRow(suspended.writer.id)
    expect(after.suspendedUntil).toBeNull()
    expect(restrictionOf(after)).toBeNull()
    expect(can(after, 'create:answer')).toBe(true)
    const audit = (await listAuditLog({ filters: { member: suspended.writer.username } })).entries
    expect(audit.find((e) => e.action === 'lift-suspension')).toMatchObject({ reversesActionId: suspended.actionId })
    expect(audit.map((e) => e.action)).toContain('appeal-overturned')
  })

  test('overturning a removal restores the content; overturning a ban lifts it', async () => {
    const first = await staff()
    const second = await staff()
    const removed = await decided('remove', first.moderator)
    expect(await answerFor(removed.question.id, removed.answer.id, null)).toBeNull()
    const removalAppeal = await appeal(removed.writer.id, removed.actionId)
    expect(await decideAppeal({ id: removalAppeal, version: await versionOf(removalAppeal), moderator: second.moderator, outcome: 'overturned', reason: 'Not spam.' })).toEqual({ ok: true })
    expect(await answerFor(removed.question.id, removed.answer.id, null)).toMatchObject({ removedAt: null })
    expect((await listAuditLog({ filters: { member: removed.writer.username, action: 'restore' } })).entries[0]).toMatchObject({ reversesActionId: removed.actionId })

    const banned = await decided('ban', first.moderator)
    expect(restrictionOf(await userRow(banned.writer.id))).toEqual({ kind: 'banned' })
    const banAppeal = await appeal(banned.writer.id, banned.actionId)
    expect(await decideAppeal({ id: banAppeal, version: await versionOf(banAppeal), moderator: second.moderator, outcome: 'overturned', reason: 'Wrong account.' })).toEqual({ ok: true })
    expect(restrictionOf(await userRow(banned.writer.id))).toBeNull()
    expect((await listAuditLog({ filters: { member: banned.writer.username, action: 'lift-ban' } })).entries[0]).toMatchObject({ reversesActionId: banned.actionId })
  })

  test('upholding keeps the effect and records the decision; the member hears of it', async () => {
    const first = await staff()
    const second = await staff()
    const hidden = await decided('hide', first.moderator)
    const appealId = await appeal(hidden.writer.id, hidden.actionId)
    const reason = 'The link is still an advert.'
    expect(await decideAppeal({ id: appealId, version: await versionOf(appealId), moderator: second.moderator, outcome: 'upheld', reason })).toEqual({ ok: true })
    expect(await answerFor(hidden.question.id, hidden.answer.id, null)).toBeNull()
    const actions = (await listAuditLog({ filters: { member: hidden.writer.username } })).entries.map((e) => e.action)
    expect(actions).toEqual(['appeal-upheld', 'hide'])
    const mails = (await mailsTo(hidden.writer.email)).filter((m) => m.subject === 'Your appeal was reviewed')
    expect(mails).toHaveLength(1)
    expect(mails[0].text).toContain(reason)
    // A decided appeal cannot be decided again.
    expect(await decideAppeal({ id: appealId, version: await versionOf(appealId), moderator: second.moderator, outcome: 'overturned', reason: 'x' })).toMatchObject({ ok: false, reason: 'conflict' })
  })
})

describe('getMemberModeration', () => {
  test("a member's actions, appealable flags, reports, cases, blocks and current restriction", async () => {
    const mod = await staff()
    const second = await staff()
    const subject = await member()
    const question = await createTestQuestion({ authorId: (await member()).id })

    // A warning (appealable), a hidden answer that was appealed, a hide that a moderator reversed.
    const warnItem = (await report(await member(), 'user', subject.id, 'harassment')).reviewItemId
    await decideReport({ id: warnItem, version: await versionOf(warnItem), moderator: mod.moderator, action: 'warn', reason: 'Mind your tone.' })
    const answerOne = await createTestAnswer({ questionId: question.id, authorId: subject.id })
    const hideItem = (await report(await member(), 'answer', answerOne.id)).reviewItemId
    await decideReport({ id: hideItem, version: await versionOf(hideItem), moderator: mod.moderator, action: 'hide', reason: 'Spammy.' })
    const answerTwo = await createTestAnswer({ questionId: question.id, authorId: subject.id })
    const reversedItem = (await report(await member(), 'answer', answerTwo.id)).reviewItemId
    await decideReport({ id: reversedItem, version: await versionOf(reversedItem), moderator: mod.moderator, action: 'hide', reason: 'Looked spammy.' })

    let view = await getMemberModeration({ userId: subject.id })
    expect(view.actions.map((a) => [a.action, a.reason, a.appealable])).toEqual([
      ['hide', 'Looked spammy.', true],
      ['hide', 'Spammy.', true],
      ['warn', 'Mind your tone.', true],
    ])
    const [reversedHide, appealedHide] = view.actions
    await appeal(subject.id, appealedHide.id)
    expect((await reverseModerationAction({ actionId: reversedHide.id, moderator: second.moderator, reason: 'My colleague was wrong.' })).ok).toBe(true)

    // Reports the member filed, one decided and one pending.
    const reportedQuestion = await createTestQuestion({ authorId: (await member()).id })
    const decidedItem = (await report(subject, 'question', reportedQuestion.id, 'off-topic')).reviewItemId
    await decideReport({ id: decidedItem, version: await versionOf(decidedItem), moderator: mod.moderator, action: 'lock', reason: 'Off topic.' })
    const other = await member()
    await report(subject, 'user', other.id, 'other')

    // A conflict case, a block, a suspension.
    const conflict = await openConflict({ openerId: subject.id, otherUsername: other.username, description: 'They follow me around.', links: '' })
    expect(conflict.ok).toBe(true)
    expect(await blockMember({ blockerId: subject.id, username: other.username })).toBe('ok')
    const suspendItem = (await report(await member(), 'user', subject.id, 'harassment')).reviewItemId
    await decideReport({ id: suspendItem, version: await versionOf(suspendItem), moderator: mod.moderator, action: 'suspend', reason: 'Second offence.', days: 3 })

    view = await getMemberModeration({ userId: subject.id })
    const byReason = Object.fromEntries(view.actions.map((a) => [a.reason, a]))
    expect(view.actions.map((a) => a.action)).toEqual(['suspend', 'hide', 'hide', 'warn'])
    expect(byReason['Second offence.']).toMatchObject({ action: 'suspend', durationDays: 3, appealable: true })
    expect(byReason['Looked spammy.']).toMatchObject({ appealable: false })
    expect(byReason['Looked spammy.'].reversedAt).toBeInstanceOf(Date)
    expect(byReason['Spammy.']).toMatchObject({ appealable: false, appealStatus: 'pending' })
    expect(byReason['Mind your tone.']).toMatchObject({ appealable: true, appealId: null })

    expect(view.reports.map((r) => [r.targetKind, r.status, r.outcome])).toEqual([
      ['user', 'open', null],
      ['question', 'upheld', 'lock'],
    ])
    expect(view.reports[0].title).toBe(other.username)
    expect(view.reports[1].title).toBe(reportedQuestion.title)
    expect(view.cases).toEqual([expect.objectContaining({ id: conflict.ok ? conflict.id : 0, status: 'pending' })])
    expect(view.blocks).toEqual([expect.objectContaining({ username: other.username, byModerator: false })])
    expect(view.restriction.suspendedUntil).toBeInstanceOf(Date)
    expect(view.restriction).toMatchObject({ suspensionReason: 'Second offence.', bannedAt: null })

    // Someone else sees none of it.
    const stranger = await getMemberModeration({ userId: other.id })
    expect(stranger.actions).toEqual([])
    expect(stranger.reports).toEqual([])
    expect(stranger.blocks).toEqual([])
  })
})

describe('conflict cases', () => {
  async function openCase() {
    const [a, b] = [await member(), await member()]
    const opened = await openConflict({ openerId: a.id, otherUsername: `@${b.username.toUpperCase()}`, description: 'We keep clashing.', links: 'https://example.test/q/1' })
    if (!opened.ok) throw new Error(opened.reason)
    return { a, b, id: opened.id }
  }

  const caseVersion = async (id: number, moderatorId: number) => (await getConflictCase({ id, viewer: { id: moderatorId }, canModerate: true }))!.item.version

  test('opening: unknown member, oneself, or a case between two members', async () => {
    const a = await member()
    expect(await openConflict({ openerId: a.id, otherUsername: 'nobody-by-that-name', description: 'x', links: '' })).toEqual({ ok: false, reason: 'no-such-member' })
    expect(await openConflict({ openerId: a.id, otherUsername: a.username, description: 'x', links: '' })).toEqual({ ok: false, reason: 'self' })
    const { id, b } = await openCase()
    expect((await item(id)).item).toMatchObject({ kind: 'conflict', status: 'pending', targetUserId: b.id })
  })

  test('the parties and moderators see the case; nobody else does, nor may post in it', async () => {
    const { a, b, id } = await openCase()
    const third = await member()
    const mod = await staff()
    for (const viewer of [a, b]) {
      const found = await getConflictCase({ id, viewer, canModerate: false })
      expect(found?.parties.map((p) => p.id).sort()).toEqual([a.id, b.id].sort())
      expect(found?.messages[0].bodyHtml).toContain('We keep clashing.')
    }
    expect(await getConflictCase({ id, viewer: mod, canModerate: true })).not.toBeNull()
    expect(await getConflictCase({ id, viewer: third, canModerate: false })).toBeNull()

    expect(await postConflictMessage({ id, author: third, canModerate: false, body: 'Let me in' })).toBe('not-found')
    expect(await postConflictMessage({ id, author: b, canModerate: false, body: 'My side of it' })).toBe('ok')
    expect(await postConflictMessage({ id, author: mod, canModerate: true, body: 'Noted' })).toBe('ok')
    expect((await getConflictCase({ id, viewer: a, canModerate: false }))?.messages.map((m) => m.authorUsername)).toEqual([a.username, b.username, mod.username])
  })

  test('a mutual block blocks both ways and only a moderator can lift it', async () => {
    const { a, b, id } = await openCase()
    const mod = await staff()
    expect(await isBlockedBetween(db, a.id, b.id)).toBe(false)
    expect(await resolveConflict({ id, version: await caseVersion(id, mod.id), moderator: mod.moderator, outcome: 'mutual-block', reason: 'Keep apart.' })).toEqual({ ok: true })
    expect(await isBlockedBetween(db, a.id, b.id)).toBe(true)
    expect(await isBlockedBetween(db, b.id, a.id)).toBe(true)
    expect(await hasBlocked({ blockerId: a.id, blockedId: b.id })).toEqual({ byModerator: true })
    expect(await hasBlocked({ blockerId: b.id, blockedId: a.id })).toEqual({ byModerator: true })
    expect(await unblockMember({ blockerId: a.id, username: b.username })).toBe(false)
    expect(await unblockMember({ blockerId: b.id, username: a.username })).toBe(false)
    expect(await isBlockedBetween(db, a.id, b.id)).toBe(true)
    expect((await getMemberModeration({ userId: a.id })).blocks).toEqual([expect.objectContaining({ username: b.username, byModerator: true })])
    // Blocking again does not turn the moderator's block into one the member can lift.
    expect(await blockMember({ blockerId: a.id, username: b.username })).toBe('ok')
    expect(await hasBlocked({ blockerId: a.id, blockedId: b.id })).toEqual({ byModerator: true })
    expect((await getConflictCase({ id, viewer: a, canModerate: false }))?.item).toMatchObject({ status: 'resolved', resolution: 'mutual-block' })
    expect(await postConflictMessage({ id, author: a, canModerate: false, body: 'But…' })).toBe('closed')

    // One party appeals their block and a second moderator overturns it: the whole mutual block lifts.
    const [blockAction] = await db
      .select({ id: moderationActions.id })
      .from(moderationActions)
      .where(and(eq(moderationActions.reviewItemId, id), eq(moderationActions.action, 'block'), eq(moderationActions.targetUserId, a.id)))
    const appeal = await fileAppeal({ memberId: a.id, actionId: blockAction.id, statement: 'We have talked it over and made peace with each other.' })
    if (!appeal.ok) throw new Error('appeal refused')
    const second = await staff()
    const [{ version }] = await db.select({ version: reviewItems.version }).from(reviewItems).where(eq(reviewItems.id, appeal.reviewItemId))
    expect(await decideAppeal({ id: appeal.reviewItemId, version, moderator: second.moderator, outcome: 'overturned', reason: 'They settled it.' })).toEqual({ ok: true })
    expect(await isBlockedBetween(db, a.id, b.id)).toBe(false)
  })

  test('a warning applies to the chosen party only', async () => {
    const { a, b, id } = await openCase()
    const mod = await staff()
    expect(await resolveConflict({ id, version: await caseVersion(id, mod.id), moderator: mod.moderator, outcome: 'warning', reason: 'Stop it.', userIds: [] })).toMatchObject({ ok: false, reason: 'invalid' })
    expect(await resolveConflict({ id, version: await caseVersion(id, mod.id), moderator: mod.moderator, outcome: 'warning', reason: 'Stop it.', userIds: [b.id] })).toEqual({ ok: true })
    const audit = await actionsOfItem(id)
    expect(audit.filter((x) => x.action === 'warn').map((x) => x.targetUserId)).toEqual([b.id])
    expect(audit.filter((x) => x.action === 'conflict-resolved').map((x) => x.targetUserId).sort()).toEqual([a.id, b.id].sort())
    expect((await getMemberModeration({ userId: a.id })).actions).toEqual([])
    expect((await getMemberModeration({ userId: b.id })).actions.map((x) => x.action)).toEqual(['warn'])
    expect(await mailsTo(a.email)).toEqual([expect.objectContaining({ subject: 'Your conflict case was resolved' })])
  })

  test('a suspension with days suspends the chosen party', async () => {
    const { a, b, id } = await openCase()
    const mod = await staff()
    expect(await resolveConflict({ id, version: await caseVersion(id, mod.id), moderator: mod.moderator, outcome: 'suspension', reason: 'Cool off.', userIds: [a.id] })).toMatchObject({ ok: false, reason: 'invalid' })
    const before = Date.now()
    expect(await resolveConflict({ id, version: await caseVersion(id, mod.id), moderator: mod.moderator, outcome: 'suspension', reason: 'Cool off.', userIds: [a.id], days: 5 })).toEqual({ ok: true })
    const row = await userRow(a.id)
    expect(row.suspendedUntil!.getTime()).toBeGreaterThanOrEqual(before + 5 * DAY_MS - 1000)
    expect(row.suspendedUntil!.getTime()).toBeLessThanOrEqual(Date.now() + 5 * DAY_MS + 1000)
    expect(restrictionOf(row)?.kind).toBe('suspended')
    expect(restrictionOf(await userRow(b.id))).toBeNull()
  })

  test('two moderators resolving at once: the second gets a conflict', async () => {
    const { id } = await openCase()
    const [first, second] = [await staff(), await staff()]
    const version = await caseVersion(id, first.id)
    expect(await resolveConflict({ id, version, moderator: first.moderator, outcome: 'agreement', reason: 'Shook hands.' })).toEqual({ ok: true })
    expect(await resolveConflict({ id, version, moderator: second.moderator, outcome: 'mutual-block', reason: 'x' })).toMatchObject({
      ok: false,
      reason: 'conflict',
      current: { status: 'resolved', resolution: 'agreement', resolvedByUsername: first.username },
    })
    expect((await actionsOfItem(id)).every((x) => x.moderatorId === first.id && x.action === 'conflict-resolved')).toBe(true)
  })

  test('from a report: the reported member and the reporters are the parties', async () => {
    const { reviewItemId, writer, reporters } = await reportedAnswer({ reason: 'harassment' })
    const mod = await staff()
    const caseId = await openConflictFromReport({ reportItemId: reviewItemId, moderator: mod.moderator, note: 'Talk it through here.' })
    expect(caseId).toEqual(expect.any(Number))
    const found = await getConflictCase({ id: caseId!, viewer: writer, canModerate: false })
    expect(found?.parties.map((p) => p.id).sort()).toEqual([writer.id, ...reporters.map((r) => r.id)].sort())
    expect(found?.messages.map((m) => m.authorUsername)).toEqual([mod.username])
    expect(await getConflictCase({ id: caseId!, viewer: reporters[1], canModerate: false })).not.toBeNull()
    expect(await getConflictCase({ id: caseId!, viewer: await member(), canModerate: false })).toBeNull()
  })
})

describe('mutual block from a report', () => {
  test('the reported member is blocked from each reporter; reporters are not blocked from each other, staff from nobody', async () => {
    const { reviewItemId, writer, reporters, answer } = await reportedAnswer({ reason: 'harassment' })
    const agent = await staff('agent')
    await report(agent, 'answer', answer.id, 'harassment')
    const mod = await staff()
    const caseId = (await openConflictFromReport({ reportItemId: reviewItemId, moderator: mod.moderator, note: '' }))!
    const version = (await getConflictCase({ id: caseId, viewer: mod, canModerate: true }))!.item.version
    expect(await resolveConflict({ id: caseId, version, moderator: mod.moderator, outcome: 'mutual-block', reason: 'Keep apart.' })).toEqual({ ok: true })
    for (const r of reporters) {
      expect(await hasBlocked({ blockerId: writer.id, blockedId: r.id })).toEqual({ byModerator: true })
      expect(await hasBlocked({ blockerId: r.id, blockedId: writer.id })).toEqual({ byModerator: true })
    }
    expect(await isBlockedBetween(db, reporters[0].id, reporters[1].id)).toBe(false)
    expect(await isBlockedBetween(db, writer.id, agent.id)).toBe(false)
    expect(await isBlockedBetween(db, reporters[0].id, agent.id)).toBe(false)
    const blocked = (await actionsOfItem(caseId)).filter((x) => x.action === 'block').map((x) => x.targetUserId)
    expect(blocked.sort()).toEqual([writer.id, ...reporters.map((r) => r.id)].sort())
  })

  test('a case about a staff member cannot end in a mutual block', async () => {
    const a = await member()
    const agent = await staff('agent')
    const opened = await openConflict({ openerId: a.id, otherUsername: agent.username, description: 'x', links: '' })
    if (!opened.ok) throw new Error(opened.reason)
    const mod = await staff()
    const version = (await getConflictCase({ id: opened.id, viewer: mod, canModerate: true }))!.item.version
    expect(await resolveConflict({ id: opened.id, version, moderator: mod.moderator, outcome: 'mutual-block', reason: 'x' })).toMatchObject({ ok: false, reason: 'invalid' })
    expect(await isBlockedBetween(db, a.id, agent.id)).toBe(false)
  })
})

describe('blockMember and unblockMember', () => {
  test('self, staff and unknown members cannot be blocked; others can, and unblocked', async () => {
    const a = await member()
    const b = await member()
    expect(await blockMember({ blockerId: a.id, username: a.username })).toBe('self')
    expect(await blockMember({ blockerId: a.id, username: (await staff('agent')).username })).toBe('staff')
    expect(await blockMember({ blockerId: a.id, username: (await staff('moderator')).username })).toBe('staff')
    expect(await blockMember({ blockerId: a.id, username: 'no-such-member-here' })).toBe('no-such-member')
    expect(await hasBlocked({ blockerId: a.id, blockedId: b.id })).toBeNull()
    expect(await blockMember({ blockerId: a.id, username: b.username.toUpperCase() })).toBe('ok')
    expect(await hasBlocked({ blockerId: a.id, blockedId: b.id })).toEqual({ byModerator: false })
    expect(await hasBlocked({ blockerId: b.id, blockedId: a.id })).toBeNull()
    expect(await isBlockedBetween(db, b.id, a.id)).toBe(true)
    expect(await unblockMember({ blockerId: a.id, username: b.username })).toBe(true)
    expect(await hasBlocked({ blockerId: a.id, blockedId: b.id })).toBeNull()
    expect(await unblockMember({ blockerId: a.id, username: b.username })).toBe(false)
  })
})

describe('requestReviewAfterEdit', () => {
  test('on content a moderator hid: once, a new pending item with the statement', async () => {
    const { reviewItemId, answer } = await reportedAnswer()
    await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: (await staff()).moderator, action: 'hide', reason: 'Spam' })
    expect(await db.transaction((tx) => requestReviewAfterEdit(tx, 'answer', answer.id))).toBe(true)
    const pending = await db
      .select()
      .from(reviewItems)
      .where(and(eq(reviewItems.targetKind, 'answer'), eq(reviewItems.targetId, answer.id), eq(reviewItems.status, 'pending')))
    expect(pending).toHaveLength(1)
    expect(pending[0]).toMatchObject({ kind: 'report', statement: expect.stringMatching(/edited the hidden content/) })
    expect(pending[0].id).not.toBe(reviewItemId)
    expect(await db.transaction((tx) => requestReviewAfterEdit(tx, 'answer', answer.id))).toBe(false)
  })

  test('on auto-hidden content: the pending item gets the statement; no second item', async () => {
    const { question } = await thread()
    let reviewItemId = 0
    for (const r of [await member(), await member(), await member()]) reviewItemId = (await report(r, 'question', question.id)).reviewItemId
    const version = await versionOf(reviewItemId)
    expect(await db.transaction((tx) => requestReviewAfterEdit(tx, 'question', question.id))).toBe(true)
    const items = await db.select().from(reviewItems).where(and(eq(reviewItems.targetKind, 'question'), eq(reviewItems.targetId, question.id)))
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ id: reviewItemId, status: 'pending', score: 3, version: version + 1, statement: expect.stringMatching(/edited/) })
    expect(await db.transaction((tx) => requestReviewAfterEdit(tx, 'question', question.id))).toBe(false)
  })

  test("the author's edit and the review request are one unit: a failed save leaves the one edit unused", async () => {
    const { reviewItemId, answer, writer } = await reportedAnswer()
    await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: (await staff()).moderator, action: 'hide', reason: 'Spam' })
    // No such editor: the revision insert fails after the review request, which must roll back with it.
    await expect(updateAnswer({ answerId: answer.id, editorId: 2_000_000_000, bodySource: 'Fixed it.', asksForReview: true })).rejects.toThrow()
    const [row] = await db.select({ reviewEditUsed: answers.reviewEditUsed }).from(answers).where(eq(answers.id, answer.id))
    expect(row.reviewEditUsed).toBe(false)
    expect(await updateAnswer({ answerId: answer.id, editorId: writer.id, bodySource: 'Fixed it.', asksForReview: true })).toMatchObject({ id: answer.id })
    expect(await db.select().from(reviewItems).where(and(eq(reviewItems.targetKind, 'answer'), eq(reviewItems.targetId, answer.id), eq(reviewItems.status, 'pending')))).toHaveLength(1)
    expect(await updateAnswer({ answerId: answer.id, editorId: writer.id, bodySource: 'Again.', asksForReview: true })).toBe('review-edit-used')
  })

  test('on visible content: nothing', async () => {
    const { answer, question } = await thread()
    expect(await db.transaction((tx) => requestReviewAfterEdit(tx, 'answer', answer.id))).toBe(false)
    expect(await db.transaction((tx) => requestReviewAfterEdit(tx, 'question', question.id))).toBe(false)
    expect(await db.select().from(reviewItems).where(and(eq(reviewItems.targetKind, 'answer'), eq(reviewItems.targetId, answer.id)))).toEqual([])
  })
})

describe('purgeRemovedContent', () => {
  async function removedAnswer(daysAgo: number, now: Date) {
    const reported = await reportedAnswer()
    const mod = await staff()
    await decideReport({ id: reported.reviewItemId, version: await versionOf(reported.reviewItemId), moderator: mod.moderator, action: 'remove', reason: 'Spam' })
    await db.update(answers).set({ removedAt: new Date(now.getTime() - daysAgo * DAY_MS) }).where(eq(answers.id, reported.answer.id))
    const [removal] = (await actionsOfItem(reported.reviewItemId)).filter((a) => a.action === 'remove')
    return { ...reported, mod, removalId: removal.id }
  }

  const answerRow = async (id: number) =>
    (await db.select({ bodyHtml: answers.bodyHtml, bodySource: answers.bodySource, purgedAt: answers.purgedAt, removedAt: answers.removedAt }).from(answers).where(eq(answers.id, id)))[0]

  test('after 30 days the text goes for good, with an audit row; before, it stays and can be restored', async () => {
    const now = new Date(Date.now() + 1000)
    const old = await removedAnswer(31, now)
    const recent = await removedAnswer(29, now)
    const originalHtml = (await answerRow(recent.answer.id)).bodyHtml

    expect(await purgeRemovedContent(now)).toBeGreaterThanOrEqual(1)
    expect(await answerRow(old.answer.id)).toMatchObject({ bodyHtml: '<p>[removed]</p>', bodySource: '', purgedAt: now })
    expect(await answerRow(recent.answer.id)).toMatchObject({ bodyHtml: originalHtml, purgedAt: null })
    expect(originalHtml).toContain('Answer text')

    const purges = (await listAuditLog({ filters: { action: 'purge', member: old.writer.username } })).entries
    expect(purges).toEqual([expect.objectContaining({ action: 'purge', moderatorUsername: null, targetKind: 'answer', targetId: old.answer.id })])
    expect((await listAuditLog({ filters: { action: 'purge', member: recent.writer.username } })).entries).toEqual([])
    // Running again purges nothing twice.
    await purgeRemovedContent(now)
    expect((await listAuditLog({ filters: { action: 'purge', member: old.writer.username } })).entries).toHaveLength(1)

    const refused = await reverseModerationAction({ actionId: old.removalId, moderator: old.mod.moderator, reason: 'Restore please' })
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/purged/) })
    expect((await answerRow(old.answer.id)).removedAt).not.toBeNull()

    expect(await reverseModerationAction({ actionId: recent.removalId, moderator: recent.mod.moderator, reason: 'Removed by mistake' })).toEqual({ ok: true })
    expect(await answerFor(recent.question.id, recent.answer.id, null)).toMatchObject({ removedAt: null, bodyHtml: originalHtml })
    expect(await reverseModerationAction({ actionId: recent.removalId, moderator: recent.mod.moderator, reason: 'Again' })).toEqual({ ok: false, message: expect.stringMatching(/already/) })
  })

  test('purging also drops the text of earlier versions of the post', async () => {
    const now = new Date(Date.now() + 1000)
    const { answer, writer } = await thread()
    await updateAnswer({ answerId: answer.id, editorId: writer.id, bodySource: 'Buy cheap licence keys at example.test' })
    const { reviewItemId } = await report(await member(), 'answer', answer.id)
    await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: (await staff()).moderator, action: 'remove', reason: 'Spam' })
    await db.update(answers).set({ removedAt: new Date(now.getTime() - 31 * DAY_MS) }).where(eq(answers.id, answer.id))
    await purgeRemovedContent(now)

    const revisions = await db.select().from(postRevisions).where(and(eq(postRevisions.postKind, 'answer'), eq(postRevisions.postId, answer.id)))
    expect(revisions).toHaveLength(1)
    expect(revisions[0].bodySource).not.toContain('Answer text')
    expect(revisions[0].bodyHtml).not.toContain('Answer text')
  })
})

describe('the audit log', () => {
  async function someAction() {
    const { reviewItemId } = await reportedAnswer()
    await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: (await staff()).moderator, action: 'warn', reason: 'Original reason' })
    const [row] = (await actionsOfItem(reviewItemId)).filter((a) => a.action === 'warn')
    return row
  }

  test('rejects UPDATE and DELETE', async () => {
    const row = await someAction()
    // Drizzle wraps the database's error ("Failed query: …") and keeps it as the cause.
    const refusal = { cause: expect.objectContaining({ message: expect.stringMatching(/moderation_actions is append-only/) }) }
    await expect(db.execute(sql`update moderation_actions set reason = 'Rewritten' where id = ${row.id}`)).rejects.toMatchObject(refusal)
    await expect(db.execute(sql`delete from moderation_actions where id = ${row.id}`)).rejects.toMatchObject(refusal)
    await expect(db.update(moderationActions).set({ reason: 'Rewritten' }).where(eq(moderationActions.id, row.id))).rejects.toMatchObject(refusal)
    const [after] = await db.select().from(moderationActions).where(eq(moderationActions.id, row.id))
    expect(after).toEqual(row)
    // Inserting still works, and the connection is usable after the refusals.
    await expect(db.transaction((tx) => recordAction(tx, { moderatorId: null, action: 'purge', target: { kind: 'answer', id: row.targetId, userId: row.targetUserId! }, reason: 'test' }))).resolves.toEqual(expect.any(Number))
  })

  test('filters by moderator, member and action; pages with nextBefore', async () => {
    const [modA, modB] = [await staff(), await staff()]
    const [x, y] = [await member(), await member()]
    for (let i = 0; i < 53; i++) {
      await db.transaction((tx) => recordAction(tx, { moderatorId: modA.id, action: i % 2 ? 'warn' : 'ban', target: { kind: 'user', id: x.id, userId: x.id }, reason: `A${i}` }))
    }
    await db.transaction((tx) => recordAction(tx, { moderatorId: modB.id, action: 'warn', target: { kind: 'user', id: x.id, userId: x.id }, reason: 'B on x' }))
    await db.transaction((tx) => recordAction(tx, { moderatorId: modA.id, action: 'warn', target: { kind: 'user', id: y.id, userId: y.id }, reason: 'A on y' }))

    const byB = await listAuditLog({ filters: { moderator: modB.username.toUpperCase() } })
    expect(byB.entries.map((e) => e.reason)).toEqual(['B on x'])
    expect(byB.nextBefore).toBeNull()
    const aboutY = await listAuditLog({ filters: { member: y.username } })
    expect(aboutY.entries.map((e) => [e.reason, e.moderatorUsername, e.memberUsername])).toEqual([['A on y', modA.username, y.username]])
    const aOnXWarnings = await listAuditLog({ filters: { moderator: modA.username, member: x.username, action: 'warn' } })
    expect(aOnXWarnings.entries).toHaveLength(26)
    expect(aOnXWarnings.entries.every((e) => e.action === 'warn' && e.moderatorUsername === modA.username && e.memberUsername === x.username)).toBe(true)

    const first = await listAuditLog({ filters: { moderator: modA.username } })
    expect(first.entries).toHaveLength(50)
    expect(first.nextBefore).toBe(first.entries[49].id)
    const second = await listAuditLog({ filters: { moderator: modA.username }, before: first.nextBefore })
    expect(second.entries).toHaveLength(4)
    expect(second.nextBefore).toBeNull()
    const ids = [...first.entries, ...second.entries].map((e) => e.id)
    expect(ids).toEqual([...ids].sort((p, q) => q - p))
    expect(new Set(ids).size).toBe(54)
    expect([...first.entries, ...second.entries].map((e) => e.reason)).toEqual(['A on y', ...Array.from({ length: 53 }, (_, i) => `A${52 - i}`)])
  })
})
