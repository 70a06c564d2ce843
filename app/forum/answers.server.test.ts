import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { questions, userBlocks } from '#db/schema/index'
import { createTestAnswer, createTestQuestion, createTestUser } from '../../tests/factories'
import { AnswerRefused, createAnswer, getAnswer, setAcceptedAnswer, setOfficialAnswer, updateAnswer, voteOnAnswer } from './answers.server'
import { getThread, listUserActivity } from './questions.server'

const MISSING_ID = 2_000_000_000

async function threadOf(questionId: number, viewerId: number | null = null) {
  const thread = await getThread({ questionId, viewerId })
  if (!thread) throw new Error(`no thread ${questionId}`)
  return thread
}

async function scoreOf(questionId: number, answerId: number) {
  return (await threadOf(questionId)).answers.find((a) => a.id === answerId)?.score
}

/** A question with one answer by someone other than the asker. */
async function answeredQuestion() {
  const asker = await createTestUser()
  const writer = await createTestUser()
  const question = await createTestQuestion({ authorId: asker.id })
  const answer = await createTestAnswer({ questionId: question.id, authorId: writer.id })
  return { asker, writer, question, answer }
}

describe('createAnswer', () => {
  test('adds the answer to the thread and counts it on the question', async () => {
    const asker = await createTestUser()
    const writer = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id })
    expect((await threadOf(question.id)).question.answerCount).toBe(0)

    const first = await createAnswer({ questionId: question.id, authorId: writer.id, bodySource: 'Use **this** <script>alert(1)</script>' })
    expect(first).not.toBeNull()
    const second = await createTestAnswer({ questionId: question.id, authorId: asker.id })

    const thread = await threadOf(question.id)
    expect(thread.question.answerCount).toBe(2)
    expect(thread.answers.map((a) => a.id)).toEqual([first!.id, second.id])
    expect(thread.answers[0]).toMatchObject({ authorUsername: writer.username, score: 0, editedAt: null })
    // The page's count of answers comes with the rows, and stays out of each answer.
    expect(thread.answerTotal).toBe(2)
    expect(Object.keys(thread.answers[0])).not.toContain('total')
    expect(thread.answers[0].bodyHtml).toContain('<strong>this</strong>')
    expect(thread.answers[0].bodyHtml).not.toContain('<script')
    expect(await getAnswer({ answerId: first!.id })).toMatchObject({ questionId: question.id, authorId: writer.id, questionAuthorId: asker.id })
  })

  test('returns null for a missing question and changes nothing', async () => {
    const writer = await createTestUser()
    const asker = await createTestUser()
    const bystander = await createTestQuestion({ authorId: asker.id })
    expect(await createAnswer({ questionId: MISSING_ID, authorId: writer.id, bodySource: 'Into the void' })).toBeNull()
    expect((await listUserActivity({ userId: writer.id })).answers).toEqual([])
    expect((await threadOf(bystander.id)).question.answerCount).toBe(0)
  })
})

describe('createAnswer refusals, checked in its own transaction', () => {
  test('a locked thread, a block either way, a question hidden from the writer: no answer, no count', async () => {
    const asker = await createTestUser()
    const writer = await createTestUser()
    const refusal = (questionId: number, authorId = writer.id) =>
      createAnswer({ questionId, authorId, bodySource: 'An answer' }).then(
        (a) => a,
        (error: unknown) => (error instanceof AnswerRefused ? error.reason : Promise.reject(error)),
      )

    const locked = await createTestQuestion({ authorId: asker.id })
    await db.update(questions).set({ lockedAt: new Date(), lockedReason: 'Off topic' }).where(eq(questions.id, locked.id))
    expect(await refusal(locked.id)).toBe('locked')
    expect((await threadOf(locked.id)).question.answerCount).toBe(0)

    const blocked = await createTestQuestion({ authorId: asker.id })
    await db.insert(userBlocks).values({ blockerId: asker.id, blockedId: writer.id })
    expect(await refusal(blocked.id)).toBe('blocked')
    expect((await threadOf(blocked.id)).question.answerCount).toBe(0)

    const hidden = await createTestQuestion({ authorId: writer.id })
    await db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'Spam' }).where(eq(questions.id, hidden.id))
    const other = await createTestUser()
    expect(await refusal(hidden.id, other.id)).toBeNull()
    // Its author still may, as they still see it.
    expect(await refusal(hidden.id, writer.id)).toMatchObject({ id: expect.any(Number) })
  })
})

describe('voteOnAnswer', () => {
  test('one vote per user: changing it replaces it, 0 takes it back', async () => {
    const { question, answer } = await answeredQuestion()
    const voter = await createTestUser()

    expect(await voteOnAnswer({ answerId: answer.id, voterId: voter.id, value: 1 })).toEqual({ ok: true, score: 1 })
    expect(await scoreOf(question.id, answer.id)).toBe(1)
    // Upvoting again does not count twice.
    expect(await voteOnAnswer({ answerId: answer.id, voterId: voter.id, value: 1 })).toEqual({ ok: true, score: 1 })
    expect(await voteOnAnswer({ answerId: answer.id, voterId: voter.id, value: -1 })).toEqual({ ok: true, score: -1 })
    expect(await scoreOf(question.id, answer.id)).toBe(-1)
    expect((await threadOf(question.id, voter.id)).answers[0].viewerVote).toBe(-1)
    expect(await voteOnAnswer({ answerId: answer.id, voterId: voter.id, value: 0 })).toEqual({ ok: true, score: 0 })
    expect(await scoreOf(question.id, answer.id)).toBe(0)
    expect((await threadOf(question.id, voter.id)).answers[0].viewerVote).toBeNull()
    // Taking back a vote that is not there changes nothing.
    expect(await voteOnAnswer({ answerId: answer.id, voterId: voter.id, value: 0 })).toEqual({ ok: true, score: 0 })
  })

  test('votes from different users add up', async () => {
    const { question, answer } = await answeredQuestion()
    const [a, b, c] = [await createTestUser(), await createTestUser(), await createTestUser()]
    await voteOnAnswer({ answerId: answer.id, voterId: a.id, value: 1 })
    expect(await voteOnAnswer({ answerId: answer.id, voterId: b.id, value: 1 })).toEqual({ ok: true, score: 2 })
    expect(await voteOnAnswer({ answerId: answer.id, voterId: c.id, value: -1 })).toEqual({ ok: true, score: 1 })
    expect(await voteOnAnswer({ answerId: answer.id, voterId: a.id, value: 0 })).toEqual({ ok: true, score: 0 })
    expect(await scoreOf(question.id, answer.id)).toBe(0)
  })

  test('refuses a vote on your own answer and on an unknown answer', async () => {
    const { question, writer, answer } = await answeredQuestion()
    const voter = await createTestUser()
    await voteOnAnswer({ answerId: answer.id, voterId: voter.id, value: 1 })
    expect(await voteOnAnswer({ answerId: answer.id, voterId: writer.id, value: 1 })).toEqual({ ok: false, reason: 'own-answer' })
    expect(await voteOnAnswer({ answerId: answer.id, voterId: writer.id, value: -1 })).toEqual({ ok: false, reason: 'own-answer' })
    expect(await scoreOf(question.id, answer.id)).toBe(1)
    expect((await threadOf(question.id, writer.id)).answers[0].viewerVote).toBeNull()
    expect(await voteOnAnswer({ answerId: MISSING_ID, voterId: voter.id, value: 1 })).toEqual({ ok: false, reason: 'not-found' })
  })
})

describe('setAcceptedAnswer', () => {
  test('accepts one answer at a time, and null removes the acceptance', async () => {
    const { question, writer, answer: first } = await answeredQuestion()
    const second = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'A better idea' })

    expect(await setAcceptedAnswer({ questionId: question.id, answerId: first.id })).toBe(true)
    expect((await threadOf(question.id)).question.acceptedAnswerId).toBe(first.id)

    expect(await setAcceptedAnswer({ questionId: question.id, answerId: second.id })).toBe(true)
    const moved = await threadOf(question.id)
    expect(moved.question.acceptedAnswerId).toBe(second.id)
    expect(moved.answers.map((a) => a.id)).toEqual([second.id, first.id])
    const activity = await listUserActivity({ userId: writer.id })
    expect(activity.answers.filter((a) => a.isAccepted).map((a) => a.id)).toEqual([second.id])

    expect(await setAcceptedAnswer({ questionId: question.id, answerId: null })).toBe(true)
    expect((await threadOf(question.id)).question.acceptedAnswerId).toBeNull()
    expect((await listUserActivity({ userId: writer.id })).answers.some((a) => a.isAccepted)).toBe(false)
  })

  test('refuses an answer from another question and changes nothing', async () => {
    const { question, answer } = await answeredQuestion()
    const { question: otherQuestion, answer: foreign } = await answeredQuestion()
    await setAcceptedAnswer({ questionId: question.id, answerId: answer.id })

    expect(await setAcceptedAnswer({ questionId: question.id, answerId: foreign.id })).toBe(false)
    expect((await threadOf(question.id)).question.acceptedAnswerId).toBe(answer.id)
    expect((await threadOf(otherQuestion.id)).question.acceptedAnswerId).toBeNull()
    expect(await setAcceptedAnswer({ questionId: question.id, answerId: MISSING_ID })).toBe(false)
    expect((await threadOf(question.id)).question.acceptedAnswerId).toBe(answer.id)
    expect(await setAcceptedAnswer({ questionId: MISSING_ID, answerId: answer.id })).toBe(false)
  })
})

describe('setOfficialAnswer', () => {
  test('records the staff member who marked it, and can be removed', async () => {
    const { question, answer } = await answeredQuestion()
    const agent = await createTestUser({ role: 'agent', supportTier: 2 })

    expect(await setOfficialAnswer({ questionId: question.id, answerId: answer.id, staffId: agent.id })).toBe(true)
    expect((await threadOf(question.id)).question).toMatchObject({ officialAnswerId: answer.id, officialMarkedBy: agent.username })

    expect(await setOfficialAnswer({ questionId: question.id, answerId: null, staffId: agent.id })).toBe(true)
    expect((await threadOf(question.id)).question).toMatchObject({ officialAnswerId: null, officialMarkedBy: null })
  })

  test('refuses an answer of another question', async () => {
    const { question, answer } = await answeredQuestion()
    const { answer: foreign } = await answeredQuestion()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const otherAgent = await createTestUser({ role: 'agent', supportTier: 3 })
    await setOfficialAnswer({ questionId: question.id, answerId: answer.id, staffId: agent.id })

    expect(await setOfficialAnswer({ questionId: question.id, answerId: foreign.id, staffId: otherAgent.id })).toBe(false)
    expect((await threadOf(question.id)).question).toMatchObject({ officialAnswerId: answer.id, officialMarkedBy: agent.username })
  })
})

describe('updateAnswer', () => {
  test('keeps the previous body as a revision and shows the new one', async () => {
    const { question, writer } = await answeredQuestion()
    const answer = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'First *draft*' })
    const moderator = await createTestUser({ role: 'moderator' })

    expect(await updateAnswer({ answerId: answer.id, editorId: moderator.id, bodySource: 'Second **draft** <script>x()</script>' })).toEqual({
      id: answer.id,
      questionId: question.id,
    })

    const thread = await threadOf(question.id)
    const shown = thread.answers.find((a) => a.id === answer.id)!
    expect(shown.bodyHtml).toContain('<strong>draft</strong>')
    expect(shown.bodyHtml).not.toContain('<script')
    expect(shown.bodyHtml).not.toContain('<em>draft</em>')
    expect(Date.parse(shown.editedAt!)).toBeGreaterThan(Date.now() - 60_000)
    expect(await getAnswer({ answerId: answer.id })).toMatchObject({ bodySource: 'Second **draft** <script>x()</script>' })

    expect(thread.revisions).toHaveLength(1)
    expect(thread.revisions[0]).toMatchObject({ postKind: 'answer', postId: answer.id, title: null, editorUsername: moderator.username })
    expect(thread.revisions[0].bodyHtml).toContain('<em>draft</em>')
    // The other answer on the thread is untouched.
    expect(thread.answers.filter((a) => a.id !== answer.id).every((a) => a.editedAt === null)).toBe(true)
  })

  test('returns null for an unknown answer', async () => {
    const editor = await createTestUser()
    expect(await updateAnswer({ answerId: MISSING_ID, editorId: editor.id, bodySource: 'Nothing' })).toBeNull()
  })
})
