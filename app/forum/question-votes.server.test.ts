import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { questions, questionVotes, users } from '#db/schema/index'
import { createTestQuestion, createTestUser, responseOf, routeArgs, sessionCookieFor } from '../../tests/factories'
import { voteOnQuestion } from './question-votes.server'
import { getThread } from './questions.server'
import * as thread from '~/routes/questions.$id.($slug)'

async function scoreAndVotes(questionId: number) {
  const [row] = await db.select({ score: questions.score, revision: questions.revision }).from(questions).where(eq(questions.id, questionId))
  const votes = await db.select({ value: questionVotes.value }).from(questionVotes).where(eq(questionVotes.questionId, questionId))
  return { score: row.score, revision: row.revision, sum: votes.reduce((total, v) => total + v.value, 0), count: votes.length }
}

describe('voteOnQuestion', () => {
  test('the score is always the sum of the votes: one per member, changed or taken back', async () => {
    const asker = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id })
    const [a, b, c] = [await createTestUser(), await createTestUser(), await createTestUser()]

    expect(await voteOnQuestion({ questionId: question.id, voterId: a.id, value: 1 })).toEqual({ ok: true, score: 1 })
    // The same vote again does not count twice.
    expect(await voteOnQuestion({ questionId: question.id, voterId: a.id, value: 1 })).toEqual({ ok: true, score: 1 })
    expect(await voteOnQuestion({ questionId: question.id, voterId: b.id, value: 1 })).toEqual({ ok: true, score: 2 })
    expect(await voteOnQuestion({ questionId: question.id, voterId: c.id, value: -1 })).toEqual({ ok: true, score: 1 })
    expect(await voteOnQuestion({ questionId: question.id, voterId: b.id, value: -1 })).toEqual({ ok: true, score: -1 })
    expect(await voteOnQuestion({ questionId: question.id, voterId: a.id, value: 0 })).toEqual({ ok: true, score: -2 })
    // Taking back a vote that is not there changes nothing.
    expect(await voteOnQuestion({ questionId: question.id, voterId: a.id, value: 0 })).toEqual({ ok: true, score: -2 })
    const state = await scoreAndVotes(question.id)
    expect(state).toMatchObject({ score: -2, sum: -2, count: 2 })

    // The thread shows the score and each viewer's own vote, in the question's one query.
    const seenByB = await getThread({ questionId: question.id, viewerId: b.id })
    expect(seenByB?.question).toMatchObject({ score: -2, viewerVote: -1 })
    expect((await getThread({ questionId: question.id, viewerId: a.id }))?.question.viewerVote).toBeNull()
    expect((await getThread({ questionId: question.id, viewerId: null }))?.question.viewerVote).toBeNull()
  })

  test('a vote moves the thread revision, so a cached page is not served stale', async () => {
    const question = await createTestQuestion({ authorId: (await createTestUser()).id })
    const before = (await scoreAndVotes(question.id)).revision
    await voteOnQuestion({ questionId: question.id, voterId: (await createTestUser()).id, value: 1 })
    expect((await scoreAndVotes(question.id)).revision).toBeGreaterThan(before)
  })

  test('the asker cannot vote on their own question; a hidden question takes no votes from members', async () => {
    const asker = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id })
    expect(await voteOnQuestion({ questionId: question.id, voterId: asker.id, value: 1 })).toEqual({ ok: false, reason: 'own-question' })
    await db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'Spam' }).where(eq(questions.id, question.id))
    expect(await voteOnQuestion({ questionId: question.id, voterId: (await createTestUser()).id, value: 1 })).toEqual({ ok: false, reason: 'not-found' })
    expect(await voteOnQuestion({ questionId: 2_000_000_000, voterId: asker.id, value: 1 })).toEqual({ ok: false, reason: 'not-found' })
    expect(await scoreAndVotes(question.id)).toMatchObject({ score: 0, count: 0 })
  })
})

describe('voting on the question through the thread page', () => {
  const post = async (questionId: number, body: Record<string, string>, cookie?: string) => {
    const args = await routeArgs({ path: `/questions/${questionId}`, params: { id: String(questionId) }, cookie, method: 'POST', form: body })
    return responseOf(() => thread.action(args))
  }

  test('a member votes and is sent back to the question; the asker is refused with 403, changing nothing', async () => {
    const asker = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id })
    const voter = await createTestUser()
    const voted = await post(question.id, { intent: 'vote-question', value: 'up' }, await sessionCookieFor(voter.id))
    expect(voted.status).toBe(302)
    expect(voted.headers.get('Location')).toMatch(new RegExp(`^/questions/${question.id}/[^#]*#question$`))
    const own = await post(question.id, { intent: 'vote-question', value: 'up' }, await sessionCookieFor(asker.id))
    expect(own.status).toBe(403)
    expect(await scoreAndVotes(question.id)).toMatchObject({ score: 1, count: 1 })
  })

  test('a visitor is sent to log in; a suspended member and a value that is not a vote are refused', async () => {
    const question = await createTestQuestion({ authorId: (await createTestUser()).id })
    const visitor = await post(question.id, { intent: 'vote-question', value: 'up' })
    expect(visitor.status).toBe(302)
    expect(visitor.headers.get('Location')).toMatch(/^\/login/)
    const suspended = await createTestUser()
    await db.update(users).set({ suspendedUntil: new Date(Date.now() + 86_400_000), suspensionReason: 'Cooling off' }).where(eq(users.id, suspended.id))
    expect((await post(question.id, { intent: 'vote-question', value: 'up' }, await sessionCookieFor(suspended.id))).status).toBe(403)
    expect((await post(question.id, { intent: 'vote-question', value: 'sideways' }, await sessionCookieFor((await createTestUser()).id))).status).toBe(400)
    expect(await scoreAndVotes(question.id)).toMatchObject({ score: 0, count: 0 })
  })
})
