import { beforeEach, describe, expect, test } from 'vitest'
import { actionsOfItem, item, member, report, reportedAnswer, staff, thread, versionOf, wholeQueue } from '../../tests/moderation-fixtures'
import { fileAppeal } from './appeal.server'
import { claimReviewItem } from './queue.server'
import { decideReport } from './report.server'

beforeEach(() => {
  // Mail lands in the outbox table, where the tests read it.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
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
