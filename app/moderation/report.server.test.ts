import { beforeEach, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { moderationActions, questions, reviewItems, users } from '#db/schema/index'
import { getThread, listQuestions } from '~/forum/questions.server'
import { can, restrictionOf } from '~/platform/auth/permissions'
import { actionsOfItem, answerFor, DAY_MS, item, mailsTo, member, report, reportedAnswer, reportIdOf, reportStatuses, staff, type TestUser, thread, userRow, versionOf } from '../../tests/moderation-fixtures'
import { listAuditLog } from './audit.server'
import type { Moderator } from './decision'
import { recordAction } from './effects.server'
import type { ReportAction } from './report-actions'
import { ReportDecisionSchema } from './forms.server'
import { decideReport, fileReport, withdrawReport } from './report.server'
import { reverseModerationAction } from './reversal.server'
import { screeningFor } from './screening.server'

beforeEach(() => {
  // Mail lands in the outbox table, where the tests read it.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
})

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
    expect(Date.parse(asAuthor!.hiddenAt!)).toBeGreaterThan(Date.now() - 60_000)
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

  test('a ban offers to screen: the address and domain, the network addresses; reversing the ban lifts them', async () => {
    const { reviewItemId, writer } = await reportedAnswer()
    const mod = await staff('moderator')
    await db.update(users).set({ signupIp: '198.51.100.41', lastPostIp: '203.0.113.41' }).where(eq(users.id, writer.id))
    const reason = 'Account used only for spam.'
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: mod.moderator, action: 'ban', reason, screenEmail: true, screenIps: true })).toEqual({ ok: true })
    expect(await screeningFor({ email: writer.email.toUpperCase(), ip: null })).toBe('block')
    expect(await screeningFor({ email: null, ip: '198.51.100.41' })).toBe('block')
    expect(await screeningFor({ email: null, ip: '::ffff:203.0.113.41' })).toBe('block')
    // example.test is every test member's domain: others use it, so it is left alone.
    expect(await screeningFor({ email: 'someone-else@example.test', ip: null })).toBeNull()
    const [ban] = await db.select({ id: moderationActions.id }).from(moderationActions).where(and(eq(moderationActions.reviewItemId, reviewItemId), eq(moderationActions.action, 'ban')))
    expect((await reverseModerationAction({ actionId: ban.id, moderator: (await staff('admin')).moderator, reason: 'Banned the wrong account.' })).ok).toBe(true)
    expect(await screeningFor({ email: writer.email, ip: '198.51.100.41' })).toBeNull()
    expect(await screeningFor({ email: null, ip: '203.0.113.41' })).toBeNull()
  })

  test('a ban without the boxes ticked screens nothing; the boxes go only with a ban', async () => {
    const { reviewItemId, writer } = await reportedAnswer()
    await db.update(users).set({ signupIp: '198.51.100.42' }).where(eq(users.id, writer.id))
    expect(await decideReport({ id: reviewItemId, version: await versionOf(reviewItemId), moderator: (await staff()).moderator, action: 'ban', reason: 'Spam only.' })).toEqual({ ok: true })
    expect(await screeningFor({ email: writer.email, ip: '198.51.100.42' })).toBeNull()
    const warnWithScreen = ReportDecisionSchema.safeParse({ version: '1', action: 'warn', reason: 'Please be civil.', screenEmail: 'on' })
    expect(warnWithScreen.success ? null : warnWithScreen.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['screenEmail', 'Screening goes with a ban: choose “Ban the author”, or untick this.']])
    expect(ReportDecisionSchema.safeParse({ version: '1', action: 'ban', reason: 'Spam only.', screenIps: 'yes' }).success).toBe(false)
    expect(ReportDecisionSchema.parse({ version: '1', action: 'ban', reason: 'Spam only.', screenIps: 'on' })).toMatchObject({ screenEmail: false, screenIps: true })
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
