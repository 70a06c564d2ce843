import { describe, expect, test } from 'vitest'
import { drainQueue } from '~/platform/jobs/boss.server'
import { searchIndexJob } from '#search/search-jobs.server'
import { setOfficialAnswer } from '~/forum/answers.server'
import { findRelatedQuestions } from '#search/queries.server'
import * as help from '~/routes/help'
import * as thread from '~/routes/questions.$id.($slug)'
import * as ask from '~/routes/questions.new'
import * as search from '~/routes/search._index'
import * as similar from '~/routes/search.similar'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs, uniqueName } from '../factories'

/** Runs the search.index jobs the writes queued, as the worker would after commit. */
const index = () => drainQueue(searchIndexJob, { maxJobs: 1000 })

async function load<T>(loader: (args: never) => Promise<Response>, path: string, userId?: number, params: Record<string, string> = {}): Promise<T> {
  const res = await responseOf(async () => loader((await routeArgs({ path, userId, params })) as never))
  expect(res.status).toBe(200)
  return res.json() as Promise<T>
}

type SearchData = { result: { hits: { questionId: number; title: string; snippet: string }[]; total: number; correctedText: string | null } | null }

describe('search pages', () => {
  test('/search finds a question by its words, highlights them, and filters by category, tag, status and author', async () => {
    const word = uniqueName('zq').replace(/[^a-z]/g, '') + 'widget'
    const asker = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const technical = await createTestQuestion({ authorId: asker.id, title: `The ${word} stops syncing overnight`, tags: ['sync'] })
    const account = await createTestQuestion({ authorId: agent.id, title: `Billing page and the ${word} export`, category: 'account' })
    const answer = await createTestAnswer({ questionId: account.id, authorId: agent.id, body: `Export the ${word} from Settings.` })
    await setOfficialAnswer({ questionId: account.id, answerId: answer.id, staffId: agent.id })
    await index()

    const all = await load<SearchData>(search.loader, `/search?q=${word}`)
    expect(all.result!.hits.map((h) => h.questionId).sort()).toEqual([technical.id, account.id].sort())
    expect(all.result!.hits[0].snippet).toMatch(/<mark>/)
    const ids = async (query: string) => (await load<SearchData>(search.loader, `/search?q=${word}&${query}`)).result!.hits.map((h) => h.questionId)
    expect(await ids('category=account')).toEqual([account.id])
    expect(await ids('tag=sync')).toEqual([technical.id])
    expect(await ids('status=official')).toEqual([account.id])
    expect(await ids('status=unsolved')).toEqual([technical.id])
    expect(await ids(`author=${asker.username}`)).toEqual([technical.id])
    // No query, no search.
    expect((await load<SearchData>(search.loader, '/search')).result).toBeNull()
  })

  test('/help lists questions with an official answer by category and searches only those', async () => {
    const word = uniqueName('hq').replace(/[^a-z]/g, '') + 'router'
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const official = await createTestQuestion({ authorId: agent.id, title: `Resetting the ${word} to factory settings`, category: 'account' })
    const plain = await createTestQuestion({ authorId: agent.id, title: `Painting the ${word} case blue` })
    const answer = await createTestAnswer({ questionId: official.id, authorId: agent.id })
    await setOfficialAnswer({ questionId: official.id, answerId: answer.id, staffId: agent.id })
    await index()
    const front = await load<{ groups: { name: string; articles: { id: number }[] }[] }>(help.loader, '/help')
    const ids = front.groups.flatMap((g) => g.articles.map((a) => a.id))
    expect(ids).toContain(official.id)
    expect(ids).not.toContain(plain.id)
    const found = await load<SearchData>(help.loader, `/help?q=${word}`)
    expect(found.result!.hits.map((h) => h.questionId)).toEqual([official.id])
  })

  test('asking: "Check for similar questions" lists solved look-alikes first and keeps what was typed; the live lookup agrees', async () => {
    const word = uniqueName('sq').replace(/[^a-z]/g, '') + 'printer'
    const asker = await createTestUser()
    const helper = await createTestUser()
    const unsolved = await createTestQuestion({ authorId: asker.id, title: `My ${word} prints blank pages since Monday` })
    const solved = await createTestQuestion({ authorId: asker.id, title: `Why does my ${word} print blank pages?` })
    const answer = await createTestAnswer({ questionId: solved.id, authorId: helper.id })
    await setOfficialAnswer({ questionId: solved.id, answerId: answer.id, staffId: helper.id })
    await index()

    const member = await createTestUser()
    const res = await responseOf(async () =>
      ask.action(await routeArgs({ path: '/questions/new', method: 'POST', userId: member.id, form: { intent: 'similar', title: `${word} prints blank pages`, body: 'half written', categoryId: String(await categoryId()) } })),
    )
    expect(res.status).toBe(200)
    const data = await res.json()
    expect(data.similar.map((h: { questionId: number }) => h.questionId).slice(0, 2)).toEqual([solved.id, unsolved.id])
    expect(data.result.initialValue).toMatchObject({ title: `${word} prints blank pages`, body: 'half written' })

    const live = await load<{ similar: { questionId: number }[] }>(similar.loader, `/search/similar?title=${encodeURIComponent(`${word} prints blank pages`)}`)
    expect(live.similar[0].questionId).toBe(solved.id)
  })

  test('a thread shows related questions, never itself', async () => {
    const word = uniqueName('rq').replace(/[^a-z]/g, '') + 'scanner'
    const asker = await createTestUser()
    const main = await createTestQuestion({ authorId: asker.id, title: `The ${word} jams on every second sheet` })
    const related = await createTestQuestion({ authorId: asker.id, title: `${word} jams with thick paper` })
    await index()
    const data = await load<{ related: { questionId: number }[] }>(thread.loader, `/questions/${main.id}`, undefined, { id: String(main.id) })
    expect(data.related.map((r) => r.questionId)).toEqual([related.id])
  })

  test('related questions are kept for five minutes per thread, then looked up again', async () => {
    const word = uniqueName('cq').replace(/[^a-z]/g, '') + 'camera'
    const asker = await createTestUser()
    const main = await createTestQuestion({ authorId: asker.id, title: `The ${word} loses focus indoors` })
    const first = await createTestQuestion({ authorId: asker.id, title: `${word} focus problems` })
    await index()
    const start = Date.now()
    expect((await findRelatedQuestions(main, start)).map((r) => r.questionId)).toEqual([first.id])
    const second = await createTestQuestion({ authorId: asker.id, title: `${word} loses focus outdoors too` })
    await index()
    expect((await findRelatedQuestions(main, start + 60_000)).map((r) => r.questionId)).toEqual([first.id])
    expect((await findRelatedQuestions(main, start + 6 * 60_000)).map((r) => r.questionId).sort()).toEqual([first.id, second.id].sort())
  })
})
