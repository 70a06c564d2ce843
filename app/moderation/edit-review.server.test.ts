import { beforeEach, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, reviewItems } from '#db/schema/index'
import { updateAnswer } from '~/forum/answers.server'
import { member, report, reportedAnswer, staff, thread, versionOf } from '../../tests/moderation-fixtures'
import { requestReviewAfterEdit } from './edit-review.server'
import { decideReport } from './report.server'

beforeEach(() => {
  // Mail lands in the outbox table, where the tests read it.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
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
