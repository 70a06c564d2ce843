import { describe, expect, test } from 'vitest'
import { queryCounter } from '#db/client.server'
import { setAcceptedAnswer, setOfficialAnswer, voteOnAnswer } from '~/forum/answers.server'
import { updateQuestion } from '~/forum/questions.server'
import { addTicketMessage } from '~/tickets/changes.server'
import { createTicket } from '~/tickets/open.server'
import { listReviewQueue } from '~/moderation/queue.server'
import { fileReport } from '~/moderation/report.server'
import * as root from '~/root'
import { chatOpennessForHeader } from '~/tickets/chat/availability.server'
import { forgetChatOpenness } from '~/tickets/chat/header-memo.server'
import * as home from '~/routes/_index'
import * as category from '~/routes/c.$categorySlug'
import * as thread from '~/routes/questions.$id.($slug)'
import * as questions from '~/routes/questions._index'
import * as tag from '~/routes/tags.$tag'
import * as ticket from '~/routes/tickets.$number'
import * as queue from '~/routes/mod.queue._index'
import * as item from '~/routes/mod.queue.$id'
import * as tickets from '~/routes/tickets._index'
import * as profile from '~/routes/u.$username'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser, routeArgs, sessionCookieFor, uniqueName } from '../factories'

type Loader = (args: Awaited<ReturnType<typeof routeArgs>>) => Promise<Response>

/** SQL statements for one page view as the server serves it: session lookup, root loader, page loader. */
async function queriesFor(loader: Loader, path: string, params: Record<string, string>, userId: number) {
  const cookie = await sessionCookieFor(userId)
  // The header's chat state is remembered for 20 s (tested below): counted as most pages are served.
  await chatOpennessForHeader()
  const before = queryCounter.count
  const args = await routeArgs({ path, params, cookie })
  await root.loader(args)
  const res = await loader(args)
  expect(res.status).toBe(200)
  return queryCounter.count - before
}

describe('the header’s live-chat state', () => {
  test('is asked of the database once per 20 seconds per process, not on every page', async () => {
    forgetChatOpenness()
    const now = new Date()
    const count = async (at: Date) => {
      const before = queryCounter.count
      await chatOpennessForHeader(at)
      return queryCounter.count - before
    }
    expect(await count(now)).toBeGreaterThan(0)
    expect(await count(new Date(now.getTime() + 19_000))).toBe(0)
    expect(await count(new Date(now.getTime() + 21_000))).toBeGreaterThan(0)
  })
})

describe('a page costs a bounded number of queries whatever the data size', () => {

  test('thread page: 2 answers or 40 answers with votes, revisions, accepted and official', async () => {
    const viewer = await createTestUser()
    const asker = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const small = await createTestQuestion({ authorId: asker.id })
    for (let i = 0; i < 2; i++) await createTestAnswer({ questionId: small.id, authorId: agent.id })

    const large = await createTestQuestion({ authorId: asker.id })
    const voters = await Promise.all([createTestUser(), createTestUser(), createTestUser()])
    for (let i = 0; i < 40; i++) {
      const answer = await createTestAnswer({ questionId: large.id, authorId: i % 2 ? agent.id : asker.id })
      for (const voter of voters) await voteOnAnswer({ answerId: answer.id, voterId: voter.id, value: i % 3 === 0 ? -1 : 1 })
      if (i === 5) await setAcceptedAnswer({ questionId: large.id, answerId: answer.id })
      if (i === 7) await setOfficialAnswer({ questionId: large.id, answerId: answer.id, staffId: agent.id })
    }
    for (let i = 0; i < 5; i++)
      await updateQuestion({ questionId: large.id, editorId: asker.id, title: `Edited title number ${i}`, bodySource: 'Edited body text here.', categoryId: await categoryId(), tagNames: ['edited'] })

    const smallCount = await queriesFor(thread.loader as Loader, `/questions/${small.id}`, { id: String(small.id) }, viewer.id)
    const largeCount = await queriesFor(thread.loader as Loader, `/questions/${large.id}`, { id: String(large.id) }, viewer.id)
    // Session lookup, question, answers, related questions; and the revision history where a post
    // on the page was edited (the large thread's question was, five times).
    expect(smallCount).toBe(4)
    expect(largeCount).toBe(5)
  })

  test('lists and profiles: 3 questions or 70, with tags and answers', async () => {
    const viewer = await createTestUser()
    const author = await createTestUser()
    const tagName = uniqueName('t').toLowerCase()
    const pages: [Loader, string, Record<string, string>][] = [
      [home.loader as Loader, '/', {}],
      [questions.loader as Loader, '/questions?filter=unsolved', {}],
      [questions.loader as Loader, '/questions?filter=unanswered', {}],
      [category.loader as Loader, '/c/technical', { categorySlug: 'technical' }],
      [tag.loader as Loader, `/tags/${tagName}`, { tag: tagName }],
      [profile.loader as Loader, `/u/${author.username}`, { username: author.username }],
    ]
    const addQuestions = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const q = await createTestQuestion({ authorId: author.id, tags: [tagName, `extra${i % 4}`] })
        if (i % 2) await createTestAnswer({ questionId: q.id, authorId: viewer.id })
      }
    }
    await addQuestions(3)
    const smallCounts = []
    for (const [loader, path, params] of pages) smallCounts.push(await queriesFor(loader, path, params, viewer.id))
    await addQuestions(67)
    const largeCounts = []
    for (const [loader, path, params] of pages) largeCounts.push(await queriesFor(loader, path, params, viewer.id))
    expect(largeCounts).toEqual(smallCounts)
    // Session lookup and the list's one query; the category page also looks up its category, the
    // profile its member and their answers.
    // A signed-in viewer's profile page also checks whether they block that member.
    expect(largeCounts).toEqual([2, 2, 2, 3, 2, 5])
  })

  test('ticket page and agent queue: 2 messages or 40, 3 tickets or 40', async () => {
    const requester = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const details = { whatHappened: 'Nothing works after the update, every page errors.', stepsTried: '', environment: '', accountDetails: '' }
    const small = await createTicket({ requesterId: requester.id, subject: 'Small ticket', priority: 'medium', details })
    const large = await createTicket({ requesterId: requester.id, subject: 'Large ticket', priority: 'high', details })
    for (let i = 0; i < 20; i++) {
      await addTicketMessage({ number: large.number, author: agent, bodySource: `Agent message ${i}`, internal: i % 3 === 0, statusAfter: i % 2 ? 'pending' : 'open' })
      await addTicketMessage({ number: large.number, author: requester, bodySource: `Customer message ${i}` })
    }
    for (const viewer of [requester, agent]) {
      const smallCount = await queriesFor(ticket.loader as Loader, `/tickets/${small.number}`, { number: String(small.number) }, viewer.id)
      const largeCount = await queriesFor(ticket.loader as Loader, `/tickets/${large.number}`, { number: String(large.number) }, viewer.id)
      expect(largeCount).toBe(smallCount)
      // Session lookup, ticket, messages, history, its call-back tasks (decision 035), and (for
      // staff) the agents to assign to.
      expect(largeCount).toBe(viewer === agent ? 6 : 5)
    }

    const fewCount = await queriesFor(tickets.loader as Loader, '/tickets?tier=all', {}, agent.id)
    for (let i = 0; i < 40; i++) await createTicket({ requesterId: requester.id, subject: `Queue ticket ${i}`, priority: i % 2 ? 'low' : 'critical', details })
    const manyCount = await queriesFor(tickets.loader as Loader, '/tickets?tier=all&sla=on-track', {}, agent.id)
    expect(manyCount).toBe(fewCount)
    // Session lookup and the queue.
    expect(manyCount).toBe(2)
  })

  test('moderation queue and item page: 2 items or 30, 1 report or 12', async () => {
    const moderator = await createTestUser({ role: 'moderator' })
    const author = await createTestUser()
    const reporters = await Promise.all(Array.from({ length: 12 }, () => createTestUser()))
    const question = await createTestQuestion({ authorId: author.id })
    const report = async (answerId: number, count: number) => {
      for (const reporter of reporters.slice(0, count)) await fileReport({ reporterId: reporter.id, targetKind: 'answer', targetId: answerId, reason: 'spam', note: '' })
    }
    const first = await createTestAnswer({ questionId: question.id, authorId: author.id })
    await report(first.id, 1)
    const second = await createTestAnswer({ questionId: question.id, authorId: author.id })
    await report(second.id, 1)
    const few = await queriesFor(queue.loader as Loader, '/mod/queue', {}, moderator.id)
    const [firstItem] = (await listReviewQueue({ moderator, filters: {} })).items
    const smallItem = await queriesFor(item.loader as Loader, `/mod/queue/${firstItem.id}`, { id: String(firstItem.id) }, moderator.id)

    for (let i = 0; i < 28; i++) await report((await createTestAnswer({ questionId: question.id, authorId: author.id })).id, 1)
    const busy = await createTestAnswer({ questionId: question.id, authorId: author.id })
    await report(busy.id, 12)
    const many = await queriesFor(queue.loader as Loader, '/mod/queue', {}, moderator.id)
    const busyItem = (await listReviewQueue({ moderator, filters: {} })).items.find((i) => i.reportCount === 12)!
    const largeItem = await queriesFor(item.loader as Loader, `/mod/queue/${busyItem.id}`, { id: String(busyItem.id) }, moderator.id)
    expect(many).toBe(few)
    expect(largeItem).toBe(smallItem)
    // Session, the list and the canned reasons; session, the item, its content, its reports, the
    // author's history and the canned reasons.
    expect(many).toBe(3)
    expect(largeItem).toBe(6)
  })
})
