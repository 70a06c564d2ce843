import { beforeEach, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, postRevisions } from '#db/schema/index'
import { updateAnswer } from '~/forum/answers.server'
import { actionsOfItem, answerFor, DAY_MS, member, report, reportedAnswer, staff, thread, versionOf } from '../../tests/moderation-fixtures'
import { listAuditLog } from './audit.server'
import { purgeRemovedContent } from './purge.server'
import { decideReport } from './report.server'
import { reverseModerationAction } from './reversal.server'

beforeEach(() => {
  // Mail lands in the outbox table, where the tests read it.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
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
