import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { questions } from '#db/schema/index'
import { setAcceptedAnswer } from '~/forum/answers.server'
import { getThread } from '~/forum/questions.server'
import { questionPath } from '~/platform/misc'
import * as permalink from '~/routes/answers.$id._index'
import * as thread from '~/routes/questions.$id.($slug)'
import { createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'

async function setup() {
  const asker = await createTestUser()
  const answerer = await createTestUser()
  const other = await createTestUser()
  const agent = await createTestUser({ role: 'agent', supportTier: 1 })
  const question = await createTestQuestion({ authorId: asker.id })
  const answer = await createTestAnswer({ questionId: question.id, authorId: answerer.id })
  return { asker, answerer, other, agent, question, answer }
}

const post = async (questionId: number, userId: number | undefined, form: Record<string, string>) =>
  responseOf(async () => thread.action(await routeArgs({ path: `/questions/${questionId}`, method: 'POST', userId, form, params: { id: String(questionId) } })))

describe('thread page', () => {
  test('a hidden thread is not redirected to its own address: the address would tell its title', async () => {
    const { question, asker } = await setup()
    await db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'Under review' }).where(eq(questions.id, question.id))
    const res = await responseOf(async () => thread.loader(await routeArgs({ path: `/questions/${question.id}/anything`, userId: asker.id, params: { id: String(question.id), slug: 'anything' } })))
    expect(res.status).toBe(200)
    expect((await res.json()).question.title).toBe(question.title)
  })

  test('an unknown or malformed id is a 404', async () => {
    for (const id of ['999999', 'abc', '1.5', '0']) {
      const res = await responseOf(async () => thread.loader(await routeArgs({ path: `/questions/${id}`, params: { id } })))
      expect(res.status, id).toBe(404)
    }
  })

  test('anyone can read a thread at its own address; any other slug is a 301 there (a bare id is redirected before Remix)', async () => {
    const { question, other } = await setup()
    for (const userId of [undefined, other.id]) {
      const moved = await responseOf(async () => thread.loader(await routeArgs({ path: `/questions/${question.id}/anything?sort=x`, userId, params: { id: String(question.id), slug: 'anything' } })))
      expect(moved.status).toBe(301)
      expect(moved.headers.get('Location')).toBe(`${questionPath(question)}?sort=x`)
    }
    const res = await responseOf(async () => thread.loader(await routeArgs({ path: questionPath(question), params: { id: String(question.id), slug: questionPath(question).split('/')[3] } })))
    expect(res.status).toBe(200)
    const data = await res.json()
    expect(data.question.title).toBe(question.title)
    // Search engines and link previews get the question's opening as plain text.
    expect(data.description).toBe('It stopped working after the update and shows an error.')
  })

  test('a visitor who is not logged in is sent to log in instead of answering', async () => {
    const { question } = await setup()
    const res = await post(question.id, undefined, { intent: 'answer', body: 'I would like to help with this.' })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/questions/${question.id}`)}`)
  })

  test('an empty answer is a 400 with the error for the field, and nothing is saved', async () => {
    const { question, other } = await setup()
    const res = await post(question.id, other.id, { intent: 'answer', body: '' })
    expect(res.status).toBe(400)
    expect((await res.json()).result.error.body).toEqual(['Write your answer first.'])
    expect((await getThread({ questionId: question.id, viewerId: null }))!.answers).toHaveLength(1)
  })

  test('only the asker or staff accept; only agents and admins mark official', async () => {
    const { question, answer, other, asker, agent, answerer } = await setup()
    expect((await post(question.id, other.id, { intent: 'accept', answerId: String(answer.id) })).status).toBe(403)
    expect((await post(question.id, answerer.id, { intent: 'mark-official', answerId: String(answer.id) })).status).toBe(403)
    expect((await post(question.id, asker.id, { intent: 'mark-official', answerId: String(answer.id) })).status).toBe(403)

    expect((await post(question.id, asker.id, { intent: 'accept', answerId: String(answer.id) })).status).toBe(302)
    expect((await post(question.id, agent.id, { intent: 'mark-official', answerId: String(answer.id) })).status).toBe(302)
    const after = (await getThread({ questionId: question.id, viewerId: null }))!.question
    expect(after).toMatchObject({ acceptedAnswerId: answer.id, officialAnswerId: answer.id, officialMarkedBy: agent.username })

    expect((await post(question.id, agent.id, { intent: 'unaccept', answerId: String(answer.id) })).status).toBe(302)
    expect((await getThread({ questionId: question.id, viewerId: null }))!.question.acceptedAnswerId).toBeNull()
  })

  test('accepting an answer from another thread is a 404 and changes nothing', async () => {
    const { question, asker } = await setup()
    const elsewhere = await setup()
    const res = await post(question.id, asker.id, { intent: 'accept', answerId: String(elsewhere.answer.id) })
    expect(res.status).toBe(404)
    expect((await getThread({ questionId: question.id, viewerId: null }))!.question.acceptedAnswerId).toBeNull()
  })

  test('voting on your own answer is forbidden; others can vote once and change it', async () => {
    const { question, answer, answerer, other } = await setup()
    expect((await post(question.id, answerer.id, { intent: 'vote', answerId: String(answer.id), value: 'up' })).status).toBe(403)
    expect((await post(question.id, other.id, { intent: 'vote', answerId: String(answer.id), value: 'up' })).status).toBe(302)
    expect((await post(question.id, other.id, { intent: 'vote', answerId: String(answer.id), value: 'up' })).status).toBe(302)
    let loaded = await getThread({ questionId: question.id, viewerId: other.id })
    expect(loaded!.answers[0]).toMatchObject({ score: 1, viewerVote: 1 })
    await post(question.id, other.id, { intent: 'vote', answerId: String(answer.id), value: 'down' })
    loaded = await getThread({ questionId: question.id, viewerId: other.id })
    expect(loaded!.answers[0]).toMatchObject({ score: -1, viewerVote: -1 })
  })

  test('an unknown intent or a malformed vote is a 400', async () => {
    const { question, answer, other } = await setup()
    expect((await post(question.id, other.id, { intent: 'delete-everything', answerId: String(answer.id) })).status).toBe(400)
    expect((await post(question.id, other.id, { intent: 'vote', answerId: String(answer.id), value: 'sideways' })).status).toBe(400)
  })
})

describe('a thread in pages', () => {
  async function longThread() {
    const asker = await createTestUser()
    const answerer = await createTestUser()
    const reader = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id })
    const answers = []
    for (let i = 1; i <= 25; i++) answers.push(await createTestAnswer({ questionId: question.id, authorId: answerer.id, body: `Answer number ${i}.` }))
    return { asker, answerer, reader, question, answers }
  }
  // At the thread's own address: any other slug is a redirect there.
  const load = async (question: { id: number; title: string }, page?: string, userId?: number) => {
    const path = questionPath(question)
    return responseOf(async () => thread.loader(await routeArgs({ path: `${path}${page ? `/page/${page}` : ''}`, userId, params: { id: String(question.id), slug: path.split('/')[3], ...(page ? { page } : {}) } })))
  }
  const answerAddress = async (answerId: number, userId?: number) =>
    responseOf(async () => permalink.loader(await routeArgs({ path: `/answers/${answerId}`, userId, params: { id: String(answerId) } })))

  test('20 answers a page, the accepted one first on page 1; page 1 has one address; no page past the end', async () => {
    const { asker, question, answers } = await longThread()
    await setAcceptedAnswer({ questionId: question.id, answerId: answers[24].id })

    const first = await (await load(question)).json()
    expect(first).toMatchObject({ page: 1, pageCount: 2, answerTotal: 25 })
    expect(first.answers).toHaveLength(20)
    expect(first.answers[0].id).toBe(answers[24].id)
    const second = await (await load(question, '2')).json()
    expect(second.answers.map((a: { id: number }) => a.id)).toEqual(answers.slice(19, 24).map((a) => a.id))
    // Every body of the page, and only those, under htmlOnce.
    expect(Object.keys(second.htmlOnce).sort()).toEqual(['q', ...answers.slice(19, 24).map((a) => `a${a.id}`)].sort())

    const one = await load(question, '1')
    expect(one.status).toBe(301)
    expect(one.headers.get('Location')).toBe(questionPath(question))
    for (const page of ['3', '0', 'x', '99999999999']) expect((await load(question, page, asker.id)).status, page).toBe(404)
  })

  test('an answer’s address lands on its page, and a vote brings the voter back to where the answer now is', async () => {
    const { reader, question, answers } = await longThread()
    const late = answers[22]
    let res = await answerAddress(late.id)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`${questionPath(question)}/page/2#answer-${late.id}`)
    expect((await answerAddress(answers[0].id)).headers.get('Location')).toBe(`${questionPath(question)}#answer-${answers[0].id}`)
    expect((await answerAddress(2_000_000_000)).status).toBe(404)

    // One upvote takes it above the 24 answers at 0: onto page 1.
    res = await post(question.id, reader.id, { intent: 'vote', answerId: String(late.id), value: 'up' })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`${questionPath(question)}#answer-${late.id}`)
    expect((await answerAddress(late.id)).headers.get('Location')).toBe(`${questionPath(question)}#answer-${late.id}`)
  })
})
