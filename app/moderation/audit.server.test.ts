import { beforeEach, describe, expect, test } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { moderationActions } from '#db/schema/index'
import { createTestAnswer, createTestQuestion } from '../../tests/factories'
import { actionsOfItem, appeal, member, report, reportedAnswer, staff, versionOf } from '../../tests/moderation-fixtures'
import { getMemberModeration, listAuditLog } from './audit.server'
import { blockMember } from './blocks.server'
import { openConflict } from './conflict.server'
import { recordAction } from './effects.server'
import { decideReport } from './report.server'
import { reverseModerationAction } from './reversal.server'

beforeEach(() => {
  // Mail lands in the outbox table, where the tests read it.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
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
