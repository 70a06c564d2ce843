import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { questions } from '#db/schema/index'
import * as unansweredPage from '~/routes/staff.unanswered'
import * as dashboard from '~/routes/staff._index'
import { createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs } from '../../tests/factories'
import { claimUnansweredQuestion, listUnansweredQuestions, sweepUnansweredQuestions } from './unanswered.server'

const HOUR = 60 * 60 * 1000

async function questionAged(authorId: number, hours: number, title?: string) {
  const question = await createTestQuestion({ authorId, title })
  await db.update(questions).set({ createdAt: new Date(Date.now() - hours * HOUR) }).where(eq(questions.id, question.id))
  return question
}

const flaggedIds = async () => (await listUnansweredQuestions()).questions.map((q) => q.id)

describe('the unanswered watch', () => {
  test('flags questions with no answer after 24 hours, oldest first, and the first answer clears the flag', async () => {
    const asker = await createTestUser()
    const answerer = await createTestUser()
    const fresh = await questionAged(asker.id, 2)
    const older = await questionAged(asker.id, 30)
    const oldest = await questionAged(asker.id, 50)
    const answered = await questionAged(asker.id, 40)
    await createTestAnswer({ questionId: answered.id, authorId: answerer.id })

    expect(await sweepUnansweredQuestions()).toBe(2)
    // Running it again flags nothing new.
    expect(await sweepUnansweredQuestions()).toBe(0)
    const ids = await flaggedIds()
    expect(ids).toContain(oldest.id)
    expect(ids).toContain(older.id)
    expect(ids).not.toContain(fresh.id)
    expect(ids).not.toContain(answered.id)
    // Longest waiting first, though both were flagged by the same sweep.
    expect(ids.indexOf(oldest.id)).toBeLessThan(ids.indexOf(older.id))

    await createTestAnswer({ questionId: oldest.id, authorId: answerer.id })
    expect(await flaggedIds()).not.toContain(oldest.id)
  })

  test('hidden or removed questions are not flagged, and leave the list when hidden later', async () => {
    const asker = await createTestUser()
    const hidden = await questionAged(asker.id, 30)
    await db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'spam' }).where(eq(questions.id, hidden.id))
    const later = await questionAged(asker.id, 30)
    await sweepUnansweredQuestions()
    expect(await flaggedIds()).not.toContain(hidden.id)
    expect(await flaggedIds()).toContain(later.id)
    await db.update(questions).set({ removedAt: new Date(), removedReason: 'spam' }).where(eq(questions.id, later.id))
    expect(await flaggedIds()).not.toContain(later.id)
  })

  test('agents claim ("I’ll take this") and release; others see who has it; members and moderators are refused', async () => {
    const asker = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const colleague = await createTestUser({ role: 'agent', supportTier: 2 })
    const moderator = await createTestUser({ role: 'moderator' })
    const question = await questionAged(asker.id, 30, 'Why does the invoice export stop at page ten?')
    await sweepUnansweredQuestions()

    const post = async (userId: number, form: Record<string, string>) =>
      responseOf(async () => unansweredPage.action(await routeArgs({ path: '/staff/unanswered', method: 'POST', userId, form })))
    expect((await post(agent.id, { intent: 'claim', questionId: String(question.id) })).status).toBe(302)
    const seen = await (await responseOf(async () => unansweredPage.loader(await routeArgs({ path: '/staff/unanswered', userId: colleague.id })))).json()
    expect(seen.questions.find((q: { id: number }) => q.id === question.id)).toMatchObject({ claimedByUsername: agent.username, categoryName: expect.any(String) })
    // Only the claimer can release it.
    expect(await claimUnansweredQuestion({ questionId: question.id, agentId: colleague.id, release: true })).toBe(false)
    expect((await post(agent.id, { intent: 'release', questionId: String(question.id) })).status).toBe(302)

    for (const userId of [asker.id, moderator.id]) {
      expect((await responseOf(async () => unansweredPage.loader(await routeArgs({ path: '/staff/unanswered', userId })))).status).toBe(403)
      expect((await post(userId, { intent: 'claim', questionId: String(question.id) })).status).toBe(403)
    }
    expect((await responseOf(async () => unansweredPage.loader(await routeArgs({ path: '/staff/unanswered' })))).status).toBe(302)
    // A question that got its answer can no longer be claimed.
    await createTestAnswer({ questionId: question.id, authorId: agent.id })
    expect((await post(colleague.id, { intent: 'claim', questionId: String(question.id) })).status).toBe(404)
  })

  test('the staff dashboard counts unanswered questions for agents and queue items for moderators', async () => {
    const asker = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const moderator = await createTestUser({ role: 'moderator' })
    const before = (await listUnansweredQuestions()).questions.length
    await questionAged(asker.id, 26)
    await sweepUnansweredQuestions()
    const forAgent = await (await responseOf(async () => dashboard.loader(await routeArgs({ path: '/staff', userId: agent.id })))).json()
    expect(forAgent.unanswered.count).toBe(before + 1)
    expect(forAgent.tickets).toMatchObject({ open: expect.any(Number), breached: expect.any(Number) })
    expect(forAgent.pendingReviews).toBeNull()
    const forModerator = await (await responseOf(async () => dashboard.loader(await routeArgs({ path: '/staff', userId: moderator.id })))).json()
    expect(forModerator).toMatchObject({ unanswered: null, tickets: null, pendingReviews: expect.any(Number) })
    expect((await responseOf(async () => dashboard.loader(await routeArgs({ path: '/staff', userId: asker.id })))).status).toBe(403)
  })
})
