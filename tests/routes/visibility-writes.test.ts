/**
 * Writes on content the actor may not see are refused as if it were not there (a 404), and change
 * nothing: tried by every role the content is hidden from.
 */
import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db, rowsOf } from '#db/client.server'
import { answers, answerVotes, postRevisions, questions, reports, tickets, watches } from '#db/schema/index'
import { sendMailQueue } from '~/platform/mail.server'
import { setWatch } from '~/notifications/watches.server'
import * as editAnswerPage from '~/routes/answers.$id.edit'
import * as editQuestionPage from '~/routes/questions.$id.edit'
import * as threadPage from '~/routes/questions.$id.($slug)'
import * as reportPage from '~/routes/report'
import * as preferencesPage from '~/routes/settings.notifications'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'

type User = Awaited<ReturnType<typeof createTestUser>>

async function setup() {
  const asker = await createTestUser()
  const answerer = await createTestUser()
  const other = await createTestUser()
  const agent = await createTestUser({ role: 'agent', supportTier: 1 })
  const moderator = await createTestUser({ role: 'moderator' })
  const question = await createTestQuestion({ authorId: asker.id })
  const answer = await createTestAnswer({ questionId: question.id, authorId: answerer.id })
  return { asker, answerer, other, agent, moderator, question, answer }
}

const hideAnswer = (id: number) => db.update(answers).set({ hiddenAt: new Date(), hiddenReason: 'rude' }).where(eq(answers.id, id))
const hideQuestion = (id: number) => db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'spam' }).where(eq(questions.id, id))
const removeQuestion = (id: number) => db.update(questions).set({ removedAt: new Date(), removedReason: 'spam' }).where(eq(questions.id, id))

const postToThread = async (questionId: number, user: User, form: Record<string, string>) =>
  responseOf(async () => threadPage.action(await routeArgs({ path: `/questions/${questionId}`, method: 'POST', userId: user.id, form, params: { id: String(questionId) } })))

/** Everything a refused write could have changed, for one thread: compared before and after. */
async function threadState(questionId: number, answerId: number) {
  const [question] = await db
    .select({ revision: questions.revision, acceptedAnswerId: questions.acceptedAnswerId, officialAnswerId: questions.officialAnswerId, title: questions.title, bodySource: questions.bodySource })
    .from(questions)
    .where(eq(questions.id, questionId))
  const [answer] = await db.select({ score: answers.score, bodySource: answers.bodySource }).from(answers).where(eq(answers.id, answerId))
  const count = async (query: Promise<{ n: number }[]>) => (await query)[0].n
  const n = sql<number>`count(*)::int`
  return {
    question,
    answer,
    votes: await count(db.select({ n }).from(answerVotes).where(eq(answerVotes.answerId, answerId))),
    tickets: await count(db.select({ n }).from(tickets).where(eq(tickets.questionId, questionId))),
    reports: await count(db.select({ n }).from(reports).where(sql`(${reports.targetKind} = 'answer' and ${reports.targetId} = ${answerId}) or (${reports.targetKind} = 'question' and ${reports.targetId} = ${questionId})`)),
    watches: await count(db.select({ n }).from(watches).where(eq(watches.questionId, questionId))),
    revisions: await count(db.select({ n }).from(postRevisions).where(eq(postRevisions.questionId, questionId))),
    mailJobs: rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from pgboss.job where name = ${sendMailQueue.name}`))[0].n,
  }
}

/** Runs each attempt, expects a 404 from every one, and the thread exactly as it was. */
async function expectRefused(t: { question: { id: number }; answer: { id: number } }, attempts: [string, () => Promise<Response>][]) {
  const before = await threadState(t.question.id, t.answer.id)
  for (const [who, attempt] of attempts) expect((await attempt()).status, who).toBe(404)
  expect(await threadState(t.question.id, t.answer.id)).toEqual(before)
}

describe('writes on content the actor may not see', () => {
  test('voting on a hidden answer is a 404 for everyone it is hidden from, and the score stays', async () => {
    const t = await setup()
    await hideAnswer(t.answer.id)
    const vote = (user: User) => () => postToThread(t.question.id, user, { intent: 'vote', answerId: String(t.answer.id), value: 'up' })
    await expectRefused(t, [
      ['asker', vote(t.asker)],
      ['other member', vote(t.other)],
      ['agent', vote(t.agent)],
    ])
  })

  test('voting on an answer of a removed question is a 404, the answerer included', async () => {
    const t = await setup()
    await removeQuestion(t.question.id)
    const vote = (user: User, value = 'up') => () => postToThread(t.question.id, user, { intent: 'vote', answerId: String(t.answer.id), value })
    await expectRefused(t, [
      ['asker', vote(t.asker)],
      ['other member', vote(t.other)],
      ['agent', vote(t.agent, 'down')],
      ['answerer', vote(t.answerer)],
    ])
  })

  test('a vote sent to another thread than the answer’s is a 404 and counts nowhere', async () => {
    const t = await setup()
    const elsewhere = await createTestQuestion({ authorId: t.other.id })
    await expectRefused(t, [['agent', () => postToThread(elsewhere.id, t.agent, { intent: 'vote', answerId: String(t.answer.id), value: 'up' })]])
  })

  test('the asker cannot accept a hidden answer, nor can staff who may not see it; an agent cannot mark it official', async () => {
    const t = await setup()
    await hideAnswer(t.answer.id)
    const act = (user: User, intent: string) => () => postToThread(t.question.id, user, { intent, answerId: String(t.answer.id) })
    await expectRefused(t, [
      ['asker accepts', act(t.asker, 'accept')],
      ['agent accepts', act(t.agent, 'accept')],
      ['agent marks official', act(t.agent, 'mark-official')],
    ])
  })

  test('accepting or marking official in a removed thread is a 404', async () => {
    const t = await setup()
    await removeQuestion(t.question.id)
    const act = (user: User, intent: string) => () => postToThread(t.question.id, user, { intent, answerId: String(t.answer.id) })
    await expectRefused(t, [
      ['asker accepts', act(t.asker, 'accept')],
      ['agent accepts', act(t.agent, 'accept')],
      ['agent marks official', act(t.agent, 'mark-official')],
    ])
  })

  test('converting a removed question (by anyone) or a hidden one (by staff who may not see it) is a 404: no ticket, and the asker is not mailed', async () => {
    const removed = await setup()
    await removeQuestion(removed.question.id)
    const convert = (questionId: number, user: User) => () => postToThread(questionId, user, { intent: 'convert-to-ticket', priority: 'medium' })
    const admin = await createTestUser({ role: 'admin' })
    await expectRefused(removed, [
      ['agent, removed question', convert(removed.question.id, removed.agent)],
      ['admin, removed question', convert(removed.question.id, admin)],
    ])

    const hidden = await setup()
    await hideQuestion(hidden.question.id)
    await expectRefused(hidden, [['agent, hidden question', convert(hidden.question.id, hidden.agent)]])
  })

  test('reporting an answer one may not see is a 404, on the form and on sending it', async () => {
    const t = await setup()
    await hideAnswer(t.answer.id)
    const target = `answer:${t.answer.id}`
    const show = (user: User) => async () => responseOf(async () => reportPage.loader(await routeArgs({ path: `/report?target=${target}`, userId: user.id })))
    const send = (user: User) => async () =>
      responseOf(async () => reportPage.action(await routeArgs({ path: `/report?target=${target}`, method: 'POST', userId: user.id, form: { reason: 'spam', note: '' } })))
    await expectRefused(t, [
      ['asker sees the form', show(t.asker)],
      ['other member sees the form', show(t.other)],
      ['agent sees the form', show(t.agent)],
      ['asker sends', send(t.asker)],
      ['other member sends', send(t.other)],
      ['agent sends', send(t.agent)],
    ])
    // A moderator may see it, so the form is there for them.
    expect((await show(t.moderator)()).status).toBe(200)
  })

  test('reporting a hidden question, or an answer in a removed thread, is a 404 for those it is hidden from', async () => {
    const t = await setup()
    await hideQuestion(t.question.id)
    const show = (user: User, target: string) => async () => responseOf(async () => reportPage.loader(await routeArgs({ path: `/report?target=${target}`, userId: user.id })))
    await expectRefused(t, [
      ['other member, question', show(t.other, `question:${t.question.id}`)],
      ['agent, question', show(t.agent, `question:${t.question.id}`)],
      ['answerer, question', show(t.answerer, `question:${t.question.id}`)],
      ['other member, its answer', show(t.other, `answer:${t.answer.id}`)],
    ])
    const r = await setup()
    await removeQuestion(r.question.id)
    await expectRefused(r, [
      ['asker, answer in removed thread', show(r.asker, `answer:${r.answer.id}`)],
      ['other member, answer in removed thread', show(r.other, `answer:${r.answer.id}`)],
    ])
  })

  test('watching a hidden or removed thread is a 404 and records nothing', async () => {
    const hidden = await setup()
    await db.delete(watches).where(eq(watches.questionId, hidden.question.id))
    await hideQuestion(hidden.question.id)
    const watch = (questionId: number, user: User) => () => postToThread(questionId, user, { intent: 'watch', level: 'watching' })
    await expectRefused(hidden, [
      ['other member', watch(hidden.question.id, hidden.other)],
      ['agent', watch(hidden.question.id, hidden.agent)],
    ])
    const removed = await setup()
    await db.delete(watches).where(eq(watches.questionId, removed.question.id))
    await removeQuestion(removed.question.id)
    await expectRefused(removed, [
      ['asker', watch(removed.question.id, removed.asker)],
      ['agent', watch(removed.question.id, removed.agent)],
    ])
  })

  test('editing a removed question or an answer in a removed thread is a 404 for its own author; a hidden question, for others', async () => {
    const technical = String(await categoryId())
    const editQuestion = (questionId: number, user: User) => async () =>
      responseOf(async () =>
        editQuestionPage.action(
          await routeArgs({ path: `/questions/${questionId}/edit`, method: 'POST', userId: user.id, params: { id: String(questionId) }, form: { title: 'A new title for this question', body: 'A new body.', categoryId: technical, tags: '' } }),
        ),
      )
    const editAnswer = (answerId: number, user: User) => async () =>
      responseOf(async () => editAnswerPage.action(await routeArgs({ path: `/answers/${answerId}/edit`, method: 'POST', userId: user.id, params: { id: String(answerId) }, form: { body: 'A new answer body.' } })))
    const showAnswerForm = (answerId: number, user: User) => async () =>
      responseOf(async () => editAnswerPage.loader(await routeArgs({ path: `/answers/${answerId}/edit`, userId: user.id, params: { id: String(answerId) } })))

    const removed = await setup()
    await removeQuestion(removed.question.id)
    await expectRefused(removed, [
      ['asker edits the question', editQuestion(removed.question.id, removed.asker)],
      ['answerer opens the answer form', showAnswerForm(removed.answer.id, removed.answerer)],
      ['answerer edits the answer', editAnswer(removed.answer.id, removed.answerer)],
    ])

    const hidden = await setup()
    await hideQuestion(hidden.question.id)
    await expectRefused(hidden, [
      ['other member edits the question', editQuestion(hidden.question.id, hidden.other)],
      ['agent edits the question', editQuestion(hidden.question.id, hidden.agent)],
    ])
  })

  test('after a question is removed, its watchers no longer see its title or link in their settings', async () => {
    const t = await setup()
    await setWatch({ userId: t.other.id, target: { questionId: t.question.id }, level: 'watching' })
    const [{ title }] = await db.select({ title: questions.title }).from(questions).where(eq(questions.id, t.question.id))
    const settings = async (user: User) => {
      const res = await responseOf(async () => preferencesPage.loader(await routeArgs({ path: '/settings/notifications', userId: user.id })))
      return JSON.stringify(await res.json())
    }
    expect(await settings(t.other)).toContain(title)
    await removeQuestion(t.question.id)
    for (const user of [t.other, t.asker, t.answerer]) {
      const page = await settings(user)
      expect(page).not.toContain(title)
      expect(page).not.toContain(`/questions/${t.question.id}/`)
    }
    // The watch itself is still there, so they can forget it.
    const [row] = await db.select({ id: watches.id }).from(watches).where(and(eq(watches.userId, t.other.id), eq(watches.questionId, t.question.id)))
    expect(JSON.parse(await settings(t.other)).watched.some((w: { id: number; questionTitle: string | null }) => w.id === row.id && w.questionTitle === null)).toBe(true)
  })
})
