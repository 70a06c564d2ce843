import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { reviewItems } from '#db/schema/index'
import { getReviewItem } from '~/moderation/queue.server'
import { decideReport, fileReport } from '~/moderation/report.server'
import * as editAnswer from '~/routes/answers.$id.edit'
import * as thread from '~/routes/questions.$id.($slug)'
import * as editQuestion from '~/routes/questions.$id.edit'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'
import { atOnce } from '../setup/at-once'

// PostgreSQL only (see vitest.config.ts): on PGlite the first edit always commits before the
// second begins, so an edit that claimed the review without a condition would pass there.

beforeAll(() => {
  // Mail goes to the outbox table (no SMTP_URL), and the hide threshold is the default of 3.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
})

type Form = Record<string, string | string[]>
type RouteFunction = (args: Awaited<ReturnType<typeof routeArgs>>) => Promise<unknown>

const post = (route: RouteFunction, path: string, userId: number, form: Form, params: Record<string, string>) =>
  responseOf(async () => route(await routeArgs({ path, method: 'POST', userId, form, params })))

/** The pending report item about a post: the queue page links to it by this id. */
async function pendingReportItem(targetKind: 'question' | 'answer', targetId: number) {
  const [row] = await db
    .select({ id: reviewItems.id })
    .from(reviewItems)
    .where(and(eq(reviewItems.kind, 'report'), eq(reviewItems.status, 'pending'), eq(reviewItems.targetKind, targetKind), eq(reviewItems.targetId, targetId)))
  return row?.id ?? null
}

/** A member reports the post and a moderator hides it, leaving its author one edit that asks for another look. */
async function reportAndHide(targetKind: 'question' | 'answer', targetId: number, moderator: { id: number; username: string }, reason: string) {
  const filed = await fileReport({ reporterId: (await createTestUser()).id, targetKind, targetId, reason: 'harassment', note: '' })
  if (!filed.ok) throw new Error(`report not filed: ${filed.reason}`)
  const version = (await getReviewItem({ id: filed.reviewItemId }))!.item.version
  const decided = await decideReport({ id: filed.reviewItemId, version, moderator: { ...moderator, role: 'moderator' }, action: 'hide', reason })
  expect(decided).toEqual({ ok: true })
}

describe('editing hidden or removed content', () => {
  test('two edits sent at once get one through, not two, for an answer and for a question', async () => {
    const [asker, answerer] = [await createTestUser(), await createTestUser()]
    const question = await createTestQuestion({ authorId: asker.id })
    const answer = await createTestAnswer({ questionId: question.id, authorId: answerer.id })
    const mod = await createTestUser({ role: 'moderator' })
    await reportAndHide('answer', answer.id, mod, 'Rude tone towards the asker.')
    await reportAndHide('question', question.id, mod, 'The title insults another member.')
    const editAnswerOnce = (body: string) => post(editAnswer.action, `/answers/${answer.id}/edit`, answerer.id, { body }, { id: String(answer.id) })
    const editQuestionOnce = async (title: string) =>
      post(editQuestion.action, `/questions/${question.id}/edit`, asker.id, { intent: 'save', title, body: 'The widget stops working after every update.', categoryId: String(await categoryId()), tags: '' }, { id: String(question.id) })

    const answers = await atOnce('answers', [() => editAnswerOnce('First of two edits sent together.'), () => editAnswerOnce('Second of two edits sent together.')])
    expect(answers.map((r) => r.status).sort()).toEqual([302, 403])
    const questions = await atOnce('questions', [() => editQuestionOnce('First of two title edits at once'), () => editQuestionOnce('Second of two title edits at once')])
    expect(questions.map((r) => r.status).sort()).toEqual([302, 403])

    const page = await responseOf(async () => thread.loader(await routeArgs({ path: `/questions/${question.id}`, userId: asker.id, params: { id: String(question.id) } })))
    expect(page.status).toBe(200)
    const revisions = (await page.json()).revisions as { postKind: string }[]
    expect(revisions.filter((r) => r.postKind === 'question')).toHaveLength(1)
    // Each went back to the queue once.
    expect(await pendingReportItem('answer', answer.id)).not.toBeNull()
    expect(await pendingReportItem('question', question.id)).not.toBeNull()
  })
})
