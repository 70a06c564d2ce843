import { and, asc, eq, or } from 'drizzle-orm'
import { createElement, type ComponentType } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
// The router Remix renders with (a dependency of @remix-run/react): pages render here as on the server.
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { moderationActions, notifications, reviewItems, userBlocks, users } from '#db/schema/index'
import { openConflict } from '~/moderation/conflict.server'
import { getReviewItem } from '~/moderation/queue.server'
import { fileReport } from '~/moderation/report.server'
import * as editAnswer from '~/routes/answers.$id.edit'
import * as conflictCase from '~/routes/conflicts.$id'
import * as newConflict from '~/routes/conflicts.new'
import * as myModeration from '~/routes/me.moderation'
import MyModerationPage from '~/routes/me.moderation'
import * as auditLog from '~/routes/mod.audit'
import * as queueItem from '~/routes/mod.queue.$id'
import ReviewItemPage from '~/routes/mod.queue.$id'
import * as queue from '~/routes/mod.queue._index'
import * as thread from '~/routes/questions.$id.($slug)'
import * as editQuestion from '~/routes/questions.$id.edit'
import * as newQuestion from '~/routes/questions.new'
import AskQuestionPage from '~/routes/questions.new'
import { AnswerForm } from '~/forum/ui/answer-form'
import { formatDateTime } from '~/platform/dates'
import { formState } from '~/platform/form-state'
import * as report from '~/routes/report'
import * as newTicket from '~/routes/tickets.new'
import * as profile from '~/routes/u.$username'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'

// Mail goes to the outbox table (no SMTP_URL), and the hide threshold is the default of 3.
const savedEnv = { SMTP_URL: process.env.SMTP_URL, REPORT_HIDE_THRESHOLD: process.env.REPORT_HIDE_THRESHOLD }
beforeAll(() => {
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
})
afterAll(() => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
})

type TestUser = Awaited<ReturnType<typeof createTestUser>>
type Form = Record<string, string | string[]>
type RouteFunction = (args: Awaited<ReturnType<typeof routeArgs>>) => Promise<unknown>

// ---------------------------------------------------------------------------------------------
// Calling routes the way the server does: a real Request, the session user read from the database.

async function get(route: RouteFunction, path: string, userId?: number, params: Record<string, string> = {}) {
  return responseOf(async () => route(await routeArgs({ path, userId, params })))
}

async function post(route: RouteFunction, path: string, userId: number | undefined, form: Form, params: Record<string, string> = {}) {
  return responseOf(async () => route(await routeArgs({ path, method: 'POST', userId, form, params })))
}

/** The body of a 200 (or a 400), failing with the body's message when the status is not the one expected. */
async function bodyOf(res: Response, status = 200) {
  const body = await res.clone().text()
  expect(res.status, body.slice(0, 300)).toBe(status)
  return JSON.parse(body)
}

const loadThread = async (questionId: number, userId?: number) => bodyOf(await get(thread.loader, `/questions/${questionId}`, userId, { id: String(questionId) }))
const postThread = (questionId: number, userId: number | undefined, form: Form) => post(thread.action, `/questions/${questionId}`, userId, form, { id: String(questionId) })
const answerThread = (questionId: number, userId: number, body = 'Here is how I solved the same problem.') => postThread(questionId, userId, { intent: 'answer', body })

const reportPath = (target: string) => `/report?target=${target}`
const fileReportAs = (target: string, userId: number | undefined, form: Form = { reason: 'spam' }) => post(report.action, reportPath(target), userId, form)

const loadItem = async (id: number, userId: number) => bodyOf(await get(queueItem.loader, `/mod/queue/${id}`, userId, { id: String(id) }))
const postItem = (id: number, userId: number | undefined, form: Form) => post(queueItem.action, `/mod/queue/${id}`, userId, form, { id: String(id) })
/** Decides an item with the version the moderator's page showed, as the hidden field would send it. */
async function decide(id: number, moderatorId: number, intent: 'decide-report' | 'decide-appeal' | 'decide-conflict', form: Form) {
  const { item } = await loadItem(id, moderatorId)
  return postItem(id, moderatorId, { intent, version: String(item.version), ...form })
}

/** A route's page as the server renders it, from the JSON its loader sent. */
async function renderPage(Page: ComponentType, path: string, loaderData: object, actionData?: object) {
  const handler = createStaticHandler([{ id: 'page', path: path.replace(/\?.*/, ''), Component: Page, loader: () => loaderData, action: () => actionData ?? null }])
  // With actionData, the page as it is drawn after a form was sent and the action answered.
  const context = await handler.query(new Request(`http://localhost${path}`, actionData ? { method: 'POST', body: new FormData() } : undefined))
  if (context instanceof Response) throw new Error(`rendering ${path} answered ${context.status}`)
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }))
}

/** The page the server sends back after a posted form, with the JSON its action answered. */
async function renderPageWithAction(Page: ComponentType, path: string, loaderData: object, actionData: object) {
  const route = { id: 'page', path, Component: Page, loader: () => loaderData, action: () => actionData }
  const handler = createStaticHandler([route])
  const context = await handler.query(new Request(`http://localhost${path}`, { method: 'POST', body: new FormData() }))
  if (context instanceof Response) throw new Error(`rendering ${path} answered ${context.status}`)
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }))
}

const loadMyModeration = async (userId: number) => bodyOf(await get(myModeration.loader, '/me/moderation', userId))
const postMyModeration = (userId: number, form: Form) => post(myModeration.action, '/me/moderation', userId, form)

/** The pending report item about a post or profile: the queue page links to it by this id. */
async function pendingReportItem(targetKind: 'question' | 'answer' | 'user', targetId: number) {
  const [row] = await db
    .select({ id: reviewItems.id })
    .from(reviewItems)
    .where(and(eq(reviewItems.kind, 'report'), eq(reviewItems.status, 'pending'), eq(reviewItems.targetKind, targetKind), eq(reviewItems.targetId, targetId)))
  return row?.id ?? null
}

async function reportedItem(targetKind: 'question' | 'answer' | 'user', targetId: number) {
  const id = await pendingReportItem(targetKind, targetId)
  if (!id) throw new Error(`no pending report item for ${targetKind}:${targetId}`)
  return id
}

const moderator = () => createTestUser({ role: 'moderator' })

/** A question by one member with an answer by another. */
async function threadWithAnswer(asker?: TestUser, answerer?: TestUser) {
  asker ??= await createTestUser()
  answerer ??= await createTestUser()
  const question = await createTestQuestion({ authorId: asker.id })
  const answer = await createTestAnswer({ questionId: question.id, authorId: answerer.id })
  return { asker, answerer, question, answer }
}

/** A member reports the target through the route; a moderator then decides through the queue. */
async function reportAndDecide(target: string, reporterId: number, moderatorId: number, form: Form) {
  expect((await fileReportAs(target, reporterId, { reason: 'harassment' })).status).toBe(302)
  const [kind, id] = target.split(':') as ['question' | 'answer' | 'user', string]
  const itemId = await reportedItem(kind, Number(id))
  const res = await decide(itemId, moderatorId, 'decide-report', form)
  expect(res.status, await res.clone().text()).toBe(302)
  return itemId
}

// ---------------------------------------------------------------------------------------------
// 1. Who may do what

type Viewer = 'anonymous' | 'author' | 'asker' | 'member' | 'moderator' | 'agent' | 'admin'
const VIEWERS: Viewer[] = ['anonymous', 'author', 'asker', 'member', 'moderator', 'agent', 'admin']
/** A status, or a status with where it redirects to (a prefix) and words the body must contain. */
type Outcome = number | { status: number; location?: string; says?: string }
const LOGIN: Outcome = { status: 302, location: '/login?redirectTo=' }

type World = {
  users: Record<Exclude<Viewer, 'anonymous'>, TestUser>
  answerId: number
  reviewItemId: number
  conflictId: number
}

/**
 * The permission matrix. `author` wrote the answer under test, `asker` asked the question; the
 * conflict case is between the two of them. `member` is anyone else.
 */
const MATRIX: { route: string; run: (world: World, userId: number | undefined) => Promise<Response>; expect: Record<Viewer, Outcome> }[] = [
  {
    route: 'GET /mod/queue',
    run: (_, userId) => get(queue.loader, '/mod/queue', userId),
    expect: { anonymous: LOGIN, author: 403, asker: 403, member: 403, moderator: 200, agent: 403, admin: 200 },
  },
  {
    route: 'GET /mod/queue/:id',
    run: (w, userId) => get(queueItem.loader, `/mod/queue/${w.reviewItemId}`, userId, { id: String(w.reviewItemId) }),
    expect: { anonymous: LOGIN, author: 403, asker: 403, member: 403, moderator: 200, agent: 403, admin: 200 },
  },
  {
    route: 'POST /mod/queue/:id intent=decide-report',
    // A fresh report item for every viewer, so a moderator's decision does not decide the next one's.
    run: async (w, userId) => {
      const { answer } = await threadWithAnswer(w.users.asker, w.users.author)
      const filed = await fileReport({ reporterId: w.users.member.id, targetKind: 'answer', targetId: answer.id, reason: 'spam', note: '' })
      if (!filed.ok) throw new Error('report not filed')
      const { item } = (await getReviewItem({ id: filed.reviewItemId }))!
      return postItem(filed.reviewItemId, userId, { intent: 'decide-report', version: String(item.version), action: 'dismiss', reason: 'Not spam, a real answer.' })
    },
    expect: { anonymous: LOGIN, author: 403, asker: 403, member: 403, moderator: { status: 302, location: '/mod/queue/' }, agent: 403, admin: { status: 302, location: '/mod/queue/' } },
  },
  {
    route: 'GET /mod/audit',
    run: (_, userId) => get(auditLog.loader, '/mod/audit', userId),
    expect: { anonymous: LOGIN, author: 403, asker: 403, member: 403, moderator: 200, agent: 403, admin: 200 },
  },
  {
    route: 'GET /report?target=answer:ID',
    run: (w, userId) => get(report.loader, reportPath(`answer:${w.answerId}`), userId),
    expect: { anonymous: LOGIN, author: { status: 400, says: 'cannot report your own' }, asker: 200, member: 200, moderator: 200, agent: 200, admin: 200 },
  },
  {
    route: 'POST /report?target=answer:ID',
    // A fresh answer for every viewer: reports from several would hide it and merge into one item.
    run: async (w, userId) => {
      const { answer } = await threadWithAnswer(w.users.asker, w.users.author)
      return fileReportAs(`answer:${answer.id}`, userId, { reason: 'off-topic' })
    },
    expect: {
      anonymous: LOGIN,
      author: { status: 400, says: 'cannot report your own' },
      asker: { status: 302, location: '/me/moderation' },
      member: { status: 302, location: '/me/moderation' },
      moderator: { status: 302, location: '/me/moderation' },
      agent: { status: 302, location: '/me/moderation' },
      admin: { status: 302, location: '/me/moderation' },
    },
  },
  {
    route: 'GET /me/moderation',
    run: (_, userId) => get(myModeration.loader, '/me/moderation', userId),
    expect: { anonymous: LOGIN, author: 200, asker: 200, member: 200, moderator: 200, agent: 200, admin: 200 },
  },
  {
    route: 'GET /conflicts/:id',
    run: (w, userId) => get(conflictCase.loader, `/conflicts/${w.conflictId}`, userId, { id: String(w.conflictId) }),
    expect: { anonymous: LOGIN, author: 200, asker: 200, member: 404, moderator: 200, agent: 404, admin: 200 },
  },
  {
    route: 'POST /conflicts/:id (a message)',
    run: (w, userId) => post(conflictCase.action, `/conflicts/${w.conflictId}`, userId, { body: 'Could we talk this through calmly?' }, { id: String(w.conflictId) }),
    expect: {
      anonymous: LOGIN,
      author: { status: 302, location: '/conflicts/' },
      asker: { status: 302, location: '/conflicts/' },
      member: 404,
      moderator: { status: 302, location: '/conflicts/' },
      agent: 404,
      admin: { status: 302, location: '/conflicts/' },
    },
  },
  {
    route: 'GET /conflicts/new',
    run: (_, userId) => get(newConflict.loader, '/conflicts/new', userId),
    expect: { anonymous: LOGIN, author: 200, asker: 200, member: 200, moderator: 200, agent: 200, admin: 200 },
  },
]

describe('permission matrix', () => {
  let world: World
  beforeAll(async () => {
    const users = {
      author: await createTestUser(),
      asker: await createTestUser(),
      member: await createTestUser(),
      moderator: await moderator(),
      agent: await createTestUser({ role: 'agent', supportTier: 1 }),
      admin: await createTestUser({ role: 'admin' }),
    }
    const { answer } = await threadWithAnswer(users.asker, users.author)
    const filed = await fileReport({ reporterId: users.member.id, targetKind: 'answer', targetId: answer.id, reason: 'spam', note: '' })
    const conflict = await openConflict({ openerId: users.author.id, otherUsername: users.asker.username, description: 'We keep arguing in the comments of every thread.', links: '' })
    if (!filed.ok || !conflict.ok) throw new Error('world not set up')
    world = { users, answerId: answer.id, reviewItemId: filed.reviewItemId, conflictId: conflict.id }
  })

  for (const row of MATRIX) {
    test(row.route, async () => {
      for (const viewer of VIEWERS) {
        const expected = typeof row.expect[viewer] === 'number' ? { status: row.expect[viewer] as number } : (row.expect[viewer] as Exclude<Outcome, number>)
        const res = await row.run(world, viewer === 'anonymous' ? undefined : world.users[viewer].id)
        const text = await res.text()
        const as = `${row.route} as ${viewer}: ${text.slice(0, 200)}`
        expect(res.status, as).toBe(expected.status)
        if (expected.location) expect(res.headers.get('Location'), as).toMatch(new RegExp(`^${expected.location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
        if (expected.says) expect(text, as).toContain(expected.says)
      }
    })
  }
})

// ---------------------------------------------------------------------------------------------
// 2. Reports

describe('reporting through /report', () => {
  test('a missing reason is a 400 with the error beside the reason', async () => {
    const { answer } = await threadWithAnswer()
    const reporter = await createTestUser()
    const data = await bodyOf(await fileReportAs(`answer:${answer.id}`, reporter.id, { note: 'Looks bad.' }), 400)
    expect(data.result.error.reason).toEqual(['Choose why you are reporting this.'])
    expect(await pendingReportItem('answer', answer.id)).toBeNull()
  })

  test("'other' and 'copyright' need a note", async () => {
    const { answer } = await threadWithAnswer()
    const reporter = await createTestUser()
    const other = await bodyOf(await fileReportAs(`answer:${answer.id}`, reporter.id, { reason: 'other', note: '' }), 400)
    expect(other.result.error.note).toEqual(['Tell the moderators what is wrong.'])
    const copyright = await bodyOf(await fileReportAs(`answer:${answer.id}`, reporter.id, { reason: 'copyright' }), 400)
    expect(copyright.result.error.note).toEqual(['Say whose work this is and where the original is.'])
    expect(await pendingReportItem('answer', answer.id)).toBeNull()
    // With a note, the same reason is accepted.
    expect((await fileReportAs(`answer:${answer.id}`, reporter.id, { reason: 'copyright', note: 'Copied from the vendor manual, page 12.' })).status).toBe(302)
    expect(await pendingReportItem('answer', answer.id)).not.toBeNull()
  })

  test('a malformed or unknown target is a 404, for the form and for sending it', async () => {
    const reporter = await createTestUser()
    for (const target of ['foo', 'answer:999999', 'question:999999', 'user:999999', 'answer:abc', 'post:1']) {
      expect((await get(report.loader, reportPath(target), reporter.id)).status, target).toBe(404)
      expect((await fileReportAs(target, reporter.id)).status, target).toBe(404)
    }
    expect((await get(report.loader, '/report', reporter.id)).status).toBe(404)
  })

  test('reporting the same thing twice is a 400 with an error for the form', async () => {
    const { answer } = await threadWithAnswer()
    const reporter = await createTestUser()
    expect((await fileReportAs(`answer:${answer.id}`, reporter.id)).status).toBe(302)
    const data = await bodyOf(await fileReportAs(`answer:${answer.id}`, reporter.id, { reason: 'harassment' }), 400)
    expect(data.result.error['']).toEqual(['You have already reported this. You can withdraw that report on your moderation page.'])
  })

  test('three reports hide an answer from visitors; its author still sees it, with the reason', async () => {
    const { question, answer, answerer } = await threadWithAnswer()
    for (let i = 0; i < 3; i++) {
      expect((await loadThread(question.id)).answers.map((a: { id: number }) => a.id), `before report ${i + 1}`).toEqual([answer.id])
      expect((await fileReportAs(`answer:${answer.id}`, (await createTestUser()).id)).status).toBe(302)
    }
    expect((await loadThread(question.id)).answers).toEqual([])
    expect((await loadThread(question.id, (await createTestUser()).id)).answers).toEqual([])
    const own = await loadThread(question.id, answerer.id)
    expect(own.answers).toHaveLength(1)
    expect(own.answers[0]).toMatchObject({ id: answer.id, hiddenReason: expect.stringContaining('several reports') })
    expect(own.answers[0].hiddenAt).not.toBeNull()
  })

  test('a member withdraws their own report; another member cannot withdraw it', async () => {
    const { answer } = await threadWithAnswer()
    const reporter = await createTestUser()
    const stranger = await createTestUser()
    const res = await fileReportAs(`answer:${answer.id}`, reporter.id, { reason: 'inappropriate' })
    expect(res.headers.get('Location')).toBe('/me/moderation?reported=1#reports')
    const [filed] = (await loadMyModeration(reporter.id)).reports
    expect(filed).toMatchObject({ targetKind: 'answer', targetId: answer.id, reason: 'inappropriate', status: 'open' })

    expect((await postMyModeration(stranger.id, { intent: 'withdraw', reportId: String(filed.id) })).status).toBe(404)
    expect((await loadMyModeration(reporter.id)).reports[0].status).toBe('open')

    const withdrawn = await postMyModeration(reporter.id, { intent: 'withdraw', reportId: String(filed.id) })
    expect(withdrawn.status).toBe(302)
    expect((await loadMyModeration(reporter.id)).reports[0]).toMatchObject({ id: filed.id, status: 'withdrawn' })
    // The only report is gone, so the item left the queue.
    expect(await pendingReportItem('answer', answer.id)).toBeNull()
    // Withdrawing twice finds no open report.
    expect((await postMyModeration(reporter.id, { intent: 'withdraw', reportId: String(filed.id) })).status).toBe(404)
  })
})

// ---------------------------------------------------------------------------------------------
// 3. The queue

describe('deciding in /mod/queue/:id', () => {
  async function reportedAnswer() {
    const { answer, answerer } = await threadWithAnswer()
    expect((await fileReportAs(`answer:${answer.id}`, (await createTestUser()).id)).status).toBe(302)
    return { answer, answerer, itemId: await reportedItem('answer', answer.id) }
  }

  test('a decision without a reason is a 400 with the error beside the reason, and nothing is decided', async () => {
    const { itemId } = await reportedAnswer()
    const mod = await moderator()
    const data = await bodyOf(await decide(itemId, mod.id, 'decide-report', { action: 'hide' }), 400)
    expect(data.result.error.reason).toEqual(['Give a reason; the member will see it.'])
    expect(data.intent).toBe('decide-report')
    const short = await bodyOf(await decide(itemId, mod.id, 'decide-report', { action: 'hide', reason: 'no' }), 400)
    expect(short.result.error.reason[0]).toMatch(/at least 5 characters/)
    expect((await loadItem(itemId, mod.id)).item.status).toBe('pending')
  })

  test('a suspension without days is a 400 with the error beside days', async () => {
    const { itemId, answerer } = await reportedAnswer()
    const mod = await moderator()
    const data = await bodyOf(await decide(itemId, mod.id, 'decide-report', { action: 'suspend', reason: 'Repeated harassment of other members.' }), 400)
    expect(data.result.error.days).toEqual(['Enter how many days to suspend for.'])
    expect((await loadItem(itemId, mod.id)).item.status).toBe('pending')
    expect((await loadMyModeration(answerer.id)).restriction.suspendedUntil).toBeNull()
  })

  test('of two moderators deciding the same version, the first wins and the second is told who did', async () => {
    const { itemId, answer } = await reportedAnswer()
    const first = await moderator()
    const second = await moderator()
    const { item } = await loadItem(itemId, second.id)
    const sawVersion = String(item.version)

    const won = await postItem(itemId, first.id, { intent: 'decide-report', version: sawVersion, action: 'hide', reason: 'Spam link to a shop.' })
    expect(won.status).toBe(302)
    expect(won.headers.get('Location')).toBe(`/mod/queue/${itemId}`)
    const lost = await bodyOf(await postItem(itemId, second.id, { intent: 'decide-report', version: sawVersion, action: 'dismiss', reason: 'Looks fine to me.' }), 400)
    expect(lost.conflict).toBe(true)
    expect(lost.result.error[''][0]).toContain(first.username)
    // The loser's dismissal was not applied: the answer stays hidden.
    const after = await loadItem(itemId, second.id)
    expect(after.item).toMatchObject({ status: 'resolved', resolution: 'hide', resolvedByUsername: first.username })
    expect(after.target).toMatchObject({ id: answer.id, hiddenAt: expect.any(String) })
  })

  test('the moderator who lost the race reads who won on the page, though the item is no longer pending', async () => {
    const { itemId } = await reportedAnswer()
    const first = await moderator()
    const second = await moderator()
    const sawVersion = String((await loadItem(itemId, second.id)).item.version)
    expect((await postItem(itemId, first.id, { intent: 'decide-report', version: sawVersion, action: 'hide', reason: 'Spam link to a shop.' })).status).toBe(302)

    const lost = await bodyOf(await postItem(itemId, second.id, { intent: 'decide-report', version: sawVersion, action: 'dismiss', reason: 'Looks fine to me.' }), 400)
    const html = await renderPage(ReviewItemPage, `/mod/queue/${itemId}`, await loadItem(itemId, second.id), lost)
    expect(html).toContain('Resolved: hide')
    expect(html).toContain(`Someone was quicker: ${first.username} already decided this item (hide). Nothing you sent was applied.`)
    // Said once, even where the item is still pending and its form is drawn.
    expect(html.split('Someone was quicker').length).toBe(2)
  })

  test('a decision on an item that changed meanwhile is refused above the form, once, and keeps what was typed', async () => {
    const { itemId, answer } = await reportedAnswer()
    const mod = await moderator()
    const sawVersion = String((await loadItem(itemId, mod.id)).item.version)
    // A second report arrives while the moderator reads: the version moves on.
    expect((await fileReportAs(`answer:${answer.id}`, (await createTestUser()).id)).status).toBe(302)
    const stale = await bodyOf(await postItem(itemId, mod.id, { intent: 'decide-report', version: sawVersion, action: 'hide', reason: 'Spam link to a shop.' }), 400)
    expect(stale.conflict).toBe(true)
    const html = await renderPage(ReviewItemPage, `/mod/queue/${itemId}`, await loadItem(itemId, mod.id), stale)
    expect(html.split('This item changed while you were looking at it').length).toBe(2)
    expect(html).toContain('Spam link to a shop.')
  })

  test('an action that does not fit the target is a 400 with a form error, and nothing is decided', async () => {
    const mod = await moderator()
    const reported = await createTestUser()
    expect((await fileReportAs(`user:${reported.id}`, (await createTestUser()).id, { reason: 'harassment' })).status).toBe(302)
    const profileItem = await reportedItem('user', reported.id)
    const hideProfile = await bodyOf(await decide(profileItem, mod.id, 'decide-report', { action: 'hide', reason: 'Offensive profile text.' }), 400)
    expect(hideProfile.result.error[''][0]).toMatch(/A profile cannot be hidden/)
    expect(hideProfile.conflict).toBe(false)

    const { answer } = await threadWithAnswer(undefined, await createTestUser({ role: 'agent', supportTier: 1 }))
    expect((await fileReportAs(`answer:${answer.id}`, (await createTestUser()).id)).status).toBe(302)
    const staffItem = await reportedItem('answer', answer.id)
    const suspendStaff = await bodyOf(await decide(staffItem, mod.id, 'decide-report', { action: 'suspend', days: '3', reason: 'Rude to a customer.' }), 400)
    expect(suspendStaff.result.error[''][0]).toMatch(/Staff accounts are not/)
    for (const id of [profileItem, staffItem]) expect((await loadItem(id, mod.id)).item.status).toBe('pending')
  })

  test('a claimed item shows who claimed it to other moderators, in the item and in the list', async () => {
    const { itemId } = await reportedAnswer()
    const claimer = await moderator()
    const other = await moderator()
    expect((await loadItem(itemId, other.id)).item.claimedByUsername).toBeNull()
    const res = await postItem(itemId, claimer.id, { intent: 'claim' })
    expect(res.status).toBe(302)
    expect((await loadItem(itemId, other.id)).item.claimedByUsername).toBe(claimer.username)
    const list = await bodyOf(await get(queue.loader, '/mod/queue?claimed=others', other.id))
    expect(list.items.find((i: { id: number }) => i.id === itemId)).toMatchObject({ claimedByUsername: claimer.username })

    expect((await postItem(itemId, claimer.id, { intent: 'release' })).status).toBe(302)
    expect((await loadItem(itemId, other.id)).item.claimedByUsername).toBeNull()
  })
})

// ---------------------------------------------------------------------------------------------
// 4. Appeals

describe('an appeal, from hiding to overturning', () => {
  test('the author appeals once; the hiding moderator may not decide; another overturns and the answer is back', async () => {
    const { question, answer, answerer: author } = await threadWithAnswer()
    const modA = await moderator()
    const modB = await moderator()
    const reportItemId = await reportAndDecide(`answer:${answer.id}`, (await createTestUser()).id, modA.id, { action: 'hide', reason: 'Personal attack on another member.' })
    expect((await loadThread(question.id)).answers).toEqual([])

    // The author sees the decision, its reason, and that it can be appealed.
    const hide = (await loadMyModeration(author.id)).actions.find((a: { action: string }) => a.action === 'hide')
    expect(hide).toMatchObject({ targetKind: 'answer', targetId: answer.id, reason: 'Personal attack on another member.', appealable: true })

    const short = await bodyOf(await postMyModeration(author.id, { intent: 'appeal', actionId: String(hide.id), statement: 'Unfair.' }), 400)
    expect(short.result.error.statement).toEqual(['Explain in at least 20 characters why the decision should change.'])
    // Only the member a decision is about may appeal it.
    const stranger = await createTestUser()
    expect((await postMyModeration(stranger.id, { intent: 'appeal', actionId: String(hide.id), statement: 'Appealing on behalf of somebody else here.' })).status).toBe(404)
    const filed = await postMyModeration(author.id, { intent: 'appeal', actionId: String(hide.id), statement: 'I was quoting the other member, not attacking anyone.' })
    expect(filed.status).toBe(302)
    expect(filed.headers.get('Location')).toBe('/me/moderation?appealed=1')
    const again = await bodyOf(await postMyModeration(author.id, { intent: 'appeal', actionId: String(hide.id), statement: 'Please look at this again, it really was a quote.' }), 400)
    expect(again.result.error['']).toEqual(['You have already appealed this decision.'])
    expect((await loadMyModeration(author.id)).actions.find((a: { id: number }) => a.id === hide.id)).toMatchObject({ appealable: false, appealStatus: 'pending' })

    // The appeal is in the queue; moderator A took the action under appeal.
    const appeals = await bodyOf(await get(queue.loader, '/mod/queue?kind=appeal', modA.id))
    const appeal = appeals.items.find((i: { openedByUsername: string }) => i.openedByUsername === author.username)
    expect(appeal).toMatchObject({ kind: 'appeal' })
    const pageForA = await loadItem(appeal.id, modA.id)
    expect(pageForA.appealedAction).toMatchObject({ action: 'hide', moderatorId: modA.id })
    const htmlForA = await renderPage(ReviewItemPage, `/mod/queue/${appeal.id}`, pageForA)
    expect(htmlForA).toContain('You took this action, so another moderator must decide the appeal.')
    expect(htmlForA).not.toContain('value="decide-appeal"')
    const refused = await bodyOf(await postItem(appeal.id, modA.id, { intent: 'decide-appeal', version: String(pageForA.item.version), outcome: 'overturned', reason: 'I got this one wrong.' }), 400)
    expect(refused.result.error[''][0]).toMatch(/another moderator/)
    expect(refused.conflict).toBe(false)
    expect((await loadThread(question.id)).answers).toEqual([])

    const pageForB = await loadItem(appeal.id, modB.id)
    const htmlForB = await renderPage(ReviewItemPage, `/mod/queue/${appeal.id}`, pageForB)
    expect(htmlForB).toContain('value="decide-appeal"')
    expect(htmlForB).not.toContain('You took this action')
    const overturned = await decide(appeal.id, modB.id, 'decide-appeal', { outcome: 'overturned', reason: 'It was a quote; the answer is fine.' })
    expect(overturned.status, await overturned.clone().text()).toBe(302)

    expect((await loadThread(question.id)).answers.map((a: { id: number }) => a.id)).toEqual([answer.id])
    expect((await loadMyModeration(author.id)).actions.find((a: { id: number }) => a.id === hide.id)).toMatchObject({ reversedAt: expect.any(String), appealResolution: 'overturned' })

    const audit = await bodyOf(await get(auditLog.loader, `/mod/audit?member=${author.username}`, modB.id))
    const entries = audit.entries as { id: number; action: string; reversesActionId: number | null; moderatorUsername: string | null; reviewItemId: number | null }[]
    expect(entries.map((e) => e.action).sort()).toEqual(['appeal-overturned', 'hide', 'unhide'])
    expect(entries.find((e) => e.action === 'hide')).toMatchObject({ id: hide.id, moderatorUsername: modA.username, reviewItemId: reportItemId })
    expect(entries.find((e) => e.action === 'unhide')).toMatchObject({ reversesActionId: hide.id, moderatorUsername: modB.username, reviewItemId: appeal.id })
    expect(entries.find((e) => e.action === 'appeal-overturned')).toMatchObject({ moderatorUsername: modB.username, reviewItemId: appeal.id })
  })
})

describe('after an appeal, the reporters and the audit log', () => {
  test('an overturned appeal shows reporters the current outcome and tells them so', async () => {
    const { answer, answerer: author } = await threadWithAnswer()
    const reporter = await createTestUser()
    const [modA, modB] = [await moderator(), await moderator()]
    const reportItemId = await reportAndDecide(`answer:${answer.id}`, reporter.id, modA.id, { action: 'hide', reason: 'Personal attack on another member.' })
    const reportOutcomes = async () =>
      db.select({ text: notifications.text }).from(notifications).where(and(eq(notifications.userId, reporter.id), eq(notifications.kind, 'report-outcome'))).orderBy(asc(notifications.id))
    expect(await reportOutcomes()).toHaveLength(1)

    const [hide] = await db.select({ id: moderationActions.id }).from(moderationActions).where(and(eq(moderationActions.reviewItemId, reportItemId), eq(moderationActions.action, 'hide')))
    expect((await postMyModeration(author.id, { intent: 'appeal', actionId: String(hide.id), statement: 'I was quoting the other member, not attacking anyone.' })).status).toBe(302)
    const [appeal] = await db.select({ id: reviewItems.id }).from(reviewItems).where(eq(reviewItems.moderationActionId, hide.id))
    const overturned = await decide(appeal.id, modB.id, 'decide-appeal', { outcome: 'overturned', reason: 'It was a quote; the answer is fine.' })
    expect(overturned.status, await overturned.clone().text()).toBe(302)

    const mine = await loadMyModeration(reporter.id)
    expect(mine.reports).toEqual([expect.objectContaining({ status: 'upheld', outcome: 'hide', overturnedAt: expect.any(String) })])
    const html = await renderPage(myModeration.default, '/me/moderation', mine)
    expect(html).toContain('overturned on appeal')
    expect(html).not.toContain('upheld (hide)')
    const told = await reportOutcomes()
    expect(told).toHaveLength(2)
    expect(told[1].text).toMatch(/reversed on appeal/)
    // The author hears of their appeal, not of the reporter's outcome.
    expect(await db.select().from(notifications).where(and(eq(notifications.userId, author.id), eq(notifications.kind, 'report-outcome')))).toEqual([])
  })

  test('an upheld appeal changes nothing for the reporters', async () => {
    const { answer, answerer: author } = await threadWithAnswer()
    const reporter = await createTestUser()
    const [modA, modB] = [await moderator(), await moderator()]
    const reportItemId = await reportAndDecide(`answer:${answer.id}`, reporter.id, modA.id, { action: 'hide', reason: 'Personal attack on another member.' })
    const [hide] = await db.select({ id: moderationActions.id }).from(moderationActions).where(and(eq(moderationActions.reviewItemId, reportItemId), eq(moderationActions.action, 'hide')))
    expect((await postMyModeration(author.id, { intent: 'appeal', actionId: String(hide.id), statement: 'I was quoting the other member, not attacking anyone.' })).status).toBe(302)
    const [appeal] = await db.select({ id: reviewItems.id }).from(reviewItems).where(eq(reviewItems.moderationActionId, hide.id))
    expect((await decide(appeal.id, modB.id, 'decide-appeal', { outcome: 'upheld', reason: 'It reads as an attack, quote or not.' })).status).toBe(302)
    const mine = await loadMyModeration(reporter.id)
    expect(mine.reports).toEqual([expect.objectContaining({ status: 'upheld', outcome: 'hide', overturnedAt: null })])
    expect(await renderPage(myModeration.default, '/me/moderation', mine)).toContain('upheld (hide)')
    expect(await db.select().from(notifications).where(and(eq(notifications.userId, reporter.id), eq(notifications.kind, 'report-outcome')))).toHaveLength(1)
  })

  test('a restore made from a queue item is logged with that item', async () => {
    const { answer } = await threadWithAnswer()
    const mod = await moderator()
    const itemId = await reportAndDecide(`answer:${answer.id}`, (await createTestUser()).id, mod.id, { action: 'remove', reason: 'Spam link to a shop, removed.' })
    const { item } = await loadItem(itemId, mod.id)
    expect(item.removalActionId).toEqual(expect.any(Number))
    const restored = await postItem(itemId, mod.id, { intent: 'reverse', actionId: String(item.removalActionId), reason: 'Removed by mistake.' })
    expect(restored.status, await restored.clone().text()).toBe(302)
    const [restore] = await db.select().from(moderationActions).where(eq(moderationActions.reversesActionId, item.removalActionId))
    expect(restore).toMatchObject({ action: 'restore', reviewItemId: itemId })
  })

  test('a queue item restores only its own removal', async () => {
    const mod = await moderator()
    const removedElsewhere = await reportAndDecide(`answer:${(await threadWithAnswer()).answer.id}`, (await createTestUser()).id, mod.id, { action: 'remove', reason: 'Spam link to a shop, removed.' })
    const otherItem = await reportAndDecide(`answer:${(await threadWithAnswer()).answer.id}`, (await createTestUser()).id, mod.id, { action: 'remove', reason: 'Spam link to a shop, removed.' })
    const { item } = await loadItem(removedElsewhere, mod.id)
    const refused = await bodyOf(await postItem(otherItem, mod.id, { intent: 'reverse', actionId: String(item.removalActionId), reason: 'Removed by mistake.' }), 400)
    expect(refused.result.error[''][0]).toMatch(/not taken on this item/)
    expect(await db.select().from(moderationActions).where(eq(moderationActions.reversesActionId, item.removalActionId))).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// 5. Suspended and banned members

describe('a suspended member', () => {
  let suspect: TestUser
  let other: TestUser
  let ownQuestion: { id: number }
  let answerToOwnQuestion: { id: number }
  let ownAnswer: { id: number }
  let othersQuestion: { id: number }
  let othersAnswer: { id: number }

  beforeAll(async () => {
    suspect = await createTestUser()
    other = await createTestUser()
    ownQuestion = await createTestQuestion({ authorId: suspect.id })
    answerToOwnQuestion = await createTestAnswer({ questionId: ownQuestion.id, authorId: other.id })
    othersQuestion = await createTestQuestion({ authorId: other.id })
    ownAnswer = await createTestAnswer({ questionId: othersQuestion.id, authorId: suspect.id })
    othersAnswer = await createTestAnswer({ questionId: othersQuestion.id, authorId: (await createTestUser()).id })
    await reportAndDecide(`user:${suspect.id}`, other.id, (await moderator()).id, { action: 'suspend', days: '7', reason: 'Insulted other members repeatedly.' })
  })

  const WRITES: [string, () => Promise<Response>][] = [
    ['POST /questions/new', async () => post(newQuestion.action, '/questions/new', suspect.id, { intent: 'save', title: 'Why does my widget blink?', body: 'It blinks twice every time I open the lid.', categoryId: String(await categoryId()), tags: '' })],
    ['POST thread intent=answer', () => answerThread(othersQuestion.id, suspect.id)],
    ['POST thread intent=vote', () => postThread(othersQuestion.id, suspect.id, { intent: 'vote', answerId: String(othersAnswer.id), value: 'up' })],
    ['POST thread intent=accept (own question)', () => postThread(ownQuestion.id, suspect.id, { intent: 'accept', answerId: String(answerToOwnQuestion.id) })],
    [
      'POST /questions/:id/edit (own question)',
      async () => post(editQuestion.action, `/questions/${ownQuestion.id}/edit`, suspect.id, { intent: 'save', title: 'An edited title that is long enough', body: 'An edited body that is long enough to save.', categoryId: String(await categoryId()), tags: '' }, { id: String(ownQuestion.id) }),
    ],
    ['POST /answers/:id/edit (own answer)', () => post(editAnswer.action, `/answers/${ownAnswer.id}/edit`, suspect.id, { body: 'An edited answer that is long enough.' }, { id: String(ownAnswer.id) })],
    ['POST /report', () => fileReportAs(`answer:${othersAnswer.id}`, suspect.id, { reason: 'spam' })],
    ['POST /conflicts/new', () => post(newConflict.action, '/conflicts/new', suspect.id, { username: other.username, description: 'They reported me just because they disagree with me.' })],
  ]

  // The ask and answer forms come back with the reason above them and what was typed still in them.
  const FORMS = new Set(['POST /questions/new', 'POST thread intent=answer'])
  for (const [route, run] of WRITES) {
    test(`gets a 403 saying so from ${route}`, async () => {
      const res = await run()
      const text = await res.text()
      expect(res.status, text).toBe(403)
      const body = JSON.parse(text)
      expect(FORMS.has(route) ? body.result.error[''][0] : body.message).toMatch(/suspended until/)
    })
  }

  test('is shown the restriction instead of the ask form, and a refused question comes back as typed', async () => {
    const page = await bodyOf(await get(newQuestion.loader, '/questions/new', suspect.id))
    expect(page.restriction).toMatch(/^Your account is suspended until .+: you can read your moderation record and appeal at \/me\/moderation, and export or delete your data from your settings, but not use the rest of the site\.$/)
    const html = await renderPage(AskQuestionPage, '/questions/new', page)
    expect(html).toContain(page.restriction)
    expect(html).not.toContain('Post your question')

    const typed = { intent: 'save', title: 'Why does my widget blink twice?', body: 'It blinks twice every time I open the lid, then stops.', categoryId: String(await categoryId()), tags: 'widget' }
    const refused = await bodyOf(await post(newQuestion.action, '/questions/new', suspect.id, typed), 403)
    expect(refused.result).toEqual({ initialValue: typed, error: { '': [page.restriction] } })
    const again = await renderPageWithAction(AskQuestionPage, '/questions/new', page, refused)
    expect(again).toContain('Post your question')
    expect(again).toContain('value="Why does my widget blink twice?"')
    expect(again).toContain('It blinks twice every time I open the lid, then stops.')
  })

  test('is shown the restriction instead of the answer form, and a refused answer comes back as typed', async () => {
    const page = await loadThread(othersQuestion.id, suspect.id)
    expect(page.restriction).toMatch(/^Your account is suspended until /)
    expect((await loadThread(othersQuestion.id, other.id)).restriction).toBeNull()
    const form = (result?: object) => renderPage(() => createElement(AnswerForm, { question: page.question, signedIn: true, restriction: page.restriction, form: formState(result) }), '/questions/1', {})
    const shown = await form()
    expect(shown).toContain(page.restriction)
    expect(shown).not.toContain('Post your answer')

    const refused = await bodyOf(await answerThread(othersQuestion.id, suspect.id, 'Hold the lid down while it boots, then let go.'), 403)
    expect(refused.result).toEqual({ initialValue: { intent: 'answer', body: 'Hold the lid down while it boots, then let go.' }, error: { '': [page.restriction] } })
    const again = await form(refused.result)
    expect(again).toContain('Post your answer')
    expect(again).toContain('Hold the lid down while it boots, then let go.')
  })

  test('the refused writes changed nothing', async () => {
    const own = await loadThread(ownQuestion.id, suspect.id)
    expect(own.question.acceptedAnswerId).toBeNull()
    expect(own.question.editedAt).toBeNull()
    const others = await loadThread(othersQuestion.id, suspect.id)
    expect(others.answers.find((a: { id: number }) => a.id === othersAnswer.id)).toMatchObject({ score: 0, viewerVote: null })
    expect(others.answers.filter((a: { authorId: number }) => a.authorId === suspect.id)).toHaveLength(1)
    expect(others.answers.find((a: { id: number }) => a.id === ownAnswer.id).editedAt).toBeNull()
  })

  test('still reads, sees the suspension, appeals it and uses support tickets', async () => {
    expect((await get(thread.loader, `/questions/${othersQuestion.id}`, suspect.id, { id: String(othersQuestion.id) })).status).toBe(200)
    const mine = await loadMyModeration(suspect.id)
    expect(new Date(mine.restriction.suspendedUntil).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000)
    const suspension = mine.actions.find((a: { action: string }) => a.action === 'suspend')
    expect(suspension).toMatchObject({ durationDays: 7, reason: 'Insulted other members repeatedly.', appealable: true })
    const appeal = await postMyModeration(suspect.id, { intent: 'appeal', actionId: String(suspension.id), statement: 'I apologised to everyone involved the same day.' })
    expect(appeal.status).toBe(302)

    expect((await get(newTicket.loader, '/tickets/new', suspect.id)).status).toBe(200)
    const ticket = await post(newTicket.action, '/tickets/new', suspect.id, { subject: 'I cannot post anymore', priority: 'medium', whatHappened: 'Every answer I send is refused with a 403.' })
    expect(ticket.status, await ticket.clone().text()).toBe(302)
    expect(ticket.headers.get('Location')).toMatch(/^\/tickets\/\d+$/)
  })
})

describe('a banned member', () => {
  test('gets a 403 saying so when answering (the answer still in the form), and may still appeal', async () => {
    const banned = await createTestUser()
    const other = await createTestUser()
    const question = await createTestQuestion({ authorId: other.id })
    await reportAndDecide(`user:${banned.id}`, other.id, (await moderator()).id, { action: 'ban', reason: 'Spam accounts are not welcome.' })
    const res = await answerThread(question.id, banned.id)
    expect(res.status).toBe(403)
    const body = await res.json()
    expect(body.result.error['']).toEqual([expect.stringMatching(/^Your account is banned: /)])
    expect(body.result.initialValue.body).toBe('Here is how I solved the same problem.')
    const ban = (await loadMyModeration(banned.id)).actions.find((a: { action: string }) => a.action === 'ban')
    const appeal = await postMyModeration(banned.id, { intent: 'appeal', actionId: String(ban.id), statement: 'This is my only account and I never posted spam.' })
    expect(appeal.status).toBe(302)
  })

  test('reads the ban on /me/moderation with one full stop after the reason', async () => {
    const banned = await createTestUser()
    await reportAndDecide(`user:${banned.id}`, (await createTestUser()).id, (await moderator()).id, { action: 'ban', reason: 'Spam accounts are not welcome.' })
    const html = await renderPage(MyModerationPage, '/me/moderation', await loadMyModeration(banned.id))
    expect(moderationBanner(html)).toBe('Your account is banned: Spam accounts are not welcome. You can still read your record and appeal below, and export or delete your data from your settings.')

    const suspended = await createTestUser()
    await reportAndDecide(`user:${suspended.id}`, (await createTestUser()).id, (await moderator()).id, { action: 'suspend', days: '7', reason: 'Insulted other members repeatedly' })
    const mine = await loadMyModeration(suspended.id)
    expect(moderationBanner(await renderPage(MyModerationPage, '/me/moderation', mine))).toBe(
      `Your account is suspended until ${formatDateTime(mine.standing.until)}: Insulted other members repeatedly. Until then you can read your record and appeal below, and export or delete your data from your settings; the rest of the site is closed to you.`,
    )
  })
})

/** The text of the standing notice at the top of /me/moderation, as a reader sees it. */
function moderationBanner(html: string) {
  const match = html.match(/<p class="notice notice-moderation" role="status">([\s\S]*?)<\/p>/)
  return match ? match[1].replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&') : null
}

// ---------------------------------------------------------------------------------------------
// 6. Editing hidden and removed content

describe('editing hidden or removed content', () => {
  test('the author of a hidden answer edits it once, which puts it back in the queue; a second edit is a 403', async () => {
    const { answer, answerer: author, question } = await threadWithAnswer()
    const mod = await moderator()
    const firstItem = await reportAndDecide(`answer:${answer.id}`, (await createTestUser()).id, mod.id, { action: 'hide', reason: 'Rude tone towards the asker.' })
    expect(await pendingReportItem('answer', answer.id)).toBeNull()

    const edit = (body: string) => post(editAnswer.action, `/answers/${answer.id}/edit`, author.id, { body }, { id: String(answer.id) })
    const first = await edit('Sorry for my tone. Restarting the service fixed it for me.')
    expect(first.status, await first.clone().text()).toBe(302)

    const itemId = await pendingReportItem('answer', answer.id)
    expect(itemId).not.toBeNull()
    expect(itemId).not.toBe(firstItem)
    const listed = await bodyOf(await get(queue.loader, '/mod/queue', mod.id))
    expect(listed.items.find((i: { id: number }) => i.id === itemId)).toMatchObject({ kind: 'report', targetKind: 'answer', title: question.title, targetUsername: author.username })
    expect((await loadItem(itemId!, mod.id)).item.statement).toMatch(/edited the hidden content/)
    // Still hidden until a moderator looks again.
    expect((await loadThread(question.id)).answers).toEqual([])

    const second = await edit('One more change to the answer, please.')
    expect(second.status).toBe(403)
    expect((await get(editAnswer.loader, `/answers/${answer.id}/edit`, author.id, { id: String(answer.id) })).status).toBe(403)
    const reloaded = await loadThread(question.id, author.id)
    expect(reloaded.htmlOnce[`a${reloaded.answers[0].id}`]).toMatch(/Sorry for my tone/)
  })

  test('a removed answer is gone for its author (404) but a moderator can still open it', async () => {
    const { answer, answerer: author } = await threadWithAnswer()
    const mod = await moderator()
    await reportAndDecide(`answer:${answer.id}`, (await createTestUser()).id, mod.id, { action: 'remove', reason: 'Contains a customer’s private data.' })
    const editPage = (userId: number) => get(editAnswer.loader, `/answers/${answer.id}/edit`, userId, { id: String(answer.id) })
    expect((await editPage(author.id)).status).toBe(404)
    expect((await post(editAnswer.action, `/answers/${answer.id}/edit`, author.id, { body: 'Trying to edit it anyway.' }, { id: String(answer.id) })).status).toBe(404)
    expect((await editPage(mod.id)).status).toBe(200)
  })
})

// ---------------------------------------------------------------------------------------------
// 7. Locked threads

describe('a locked thread', () => {
  test('takes no new answers, and says why', async () => {
    const { question } = await threadWithAnswer()
    const mod = await moderator()
    const member = await createTestUser()
    expect((await answerThread(question.id, member.id)).status).toBe(302)
    await reportAndDecide(`question:${question.id}`, (await createTestUser()).id, mod.id, { action: 'lock', reason: 'The discussion turned into a flame war.' })
    const res = await answerThread(question.id, member.id, 'One more answer after the lock.')
    expect(res.status).toBe(403)
    expect((await res.json()).message).toMatch(/locked/)
    const loaded = await loadThread(question.id)
    expect(loaded.question).toMatchObject({ lockedAt: expect.any(String), lockedReason: 'The discussion turned into a flame war.' })
    expect(loaded.answers).toHaveLength(2)
  })
})

// ---------------------------------------------------------------------------------------------
// 8. Blocks

describe('blocking', () => {
  const block = (blockerId: number, username: string, intent = 'block') => post(profile.action, `/u/${username}`, blockerId, { intent }, { username })

  test('a block works both ways until it is lifted', async () => {
    const a = await createTestUser()
    const b = await createTestUser()
    const questionOfA = await createTestQuestion({ authorId: a.id })
    const questionOfB = await createTestQuestion({ authorId: b.id })

    const blocked = await block(a.id, b.username)
    expect(blocked.status).toBe(302)
    expect(blocked.headers.get('Location')).toBe(`/u/${b.username}`)
    expect((await bodyOf(await get(profile.loader, `/u/${b.username}`, a.id, { username: b.username }))).block).toEqual({ byModerator: false })

    const bAnswersA = await answerThread(questionOfA.id, b.id)
    expect(bAnswersA.status).toBe(403)
    expect((await bAnswersA.json()).message).toMatch(/blocked/)
    const aAnswersB = await answerThread(questionOfB.id, a.id)
    expect(aAnswersB.status).toBe(403)
    expect((await aAnswersB.json()).message).toMatch(/blocked/)
    // Someone else is not affected.
    expect((await answerThread(questionOfA.id, (await createTestUser()).id)).status).toBe(302)

    expect((await block(a.id, b.username, 'unblock')).status).toBe(302)
    expect((await answerThread(questionOfA.id, b.id)).status).toBe(302)
    expect((await answerThread(questionOfB.id, a.id)).status).toBe(302)
  })

  test('staff cannot be blocked', async () => {
    const a = await createTestUser()
    for (const staff of [await moderator(), await createTestUser({ role: 'agent', supportTier: 1 }), await createTestUser({ role: 'admin' })]) {
      const res = await block(a.id, staff.username)
      expect(res.status, staff.role).toBe(400)
      expect((await res.json()).message).toMatch(/Staff cannot be blocked/)
    }
    expect((await loadMyModeration(a.id)).blocks).toEqual([])
  })

  test("a moderator's mutual block from a conflict case cannot be lifted by the members", async () => {
    const a = await createTestUser()
    const b = await createTestUser()
    const mod = await moderator()
    const opened = await post(newConflict.action, '/conflicts/new', a.id, { username: b.username, description: 'They follow me around the forum downvoting everything.' })
    expect(opened.status).toBe(302)
    const caseId = Number(opened.headers.get('Location')!.split('/').at(-1))
    const resolved = await decide(caseId, mod.id, 'decide-conflict', { outcome: 'mutual-block', reason: 'You two are better off apart.' })
    expect(resolved.status, await resolved.clone().text()).toBe(302)

    expect((await loadMyModeration(a.id)).blocks).toEqual([expect.objectContaining({ username: b.username, byModerator: true })])
    expect((await postMyModeration(a.id, { intent: 'unblock', username: b.username })).status).toBe(404)
    expect((await postMyModeration(b.id, { intent: 'unblock', username: a.username })).status).toBe(404)
    expect((await block(a.id, b.username, 'unblock')).status).toBe(400)
    expect((await answerThread((await createTestQuestion({ authorId: a.id })).id, b.id)).status).toBe(403)
  })

  test('a block a member set is lifted from /me/moderation', async () => {
    const a = await createTestUser()
    const b = await createTestUser()
    expect((await block(a.id, b.username)).status).toBe(302)
    expect((await loadMyModeration(a.id)).blocks).toEqual([expect.objectContaining({ username: b.username, byModerator: false })])
    expect((await postMyModeration(a.id, { intent: 'unblock', username: b.username })).status).toBe(302)
    expect((await loadMyModeration(a.id)).blocks).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// 9. Conflict cases

describe('conflict cases', () => {
  const open = (userId: number, username: string) => post(newConflict.action, '/conflicts/new', userId, { username, description: 'We disagree about every answer and it is getting personal.' })

  test('the other member must exist and not be yourself', async () => {
    const a = await createTestUser()
    const unknown = await bodyOf(await open(a.id, 'nobody-by-this-name'), 400)
    expect(unknown.result.error.username).toEqual(['There is no member called nobody-by-this-name.'])
    const self = await bodyOf(await open(a.id, a.username), 400)
    expect(self.result.error.username).toEqual(['Name the other member, not yourself.'])
    const tooShort = await bodyOf(await post(newConflict.action, '/conflicts/new', a.id, { username: 'someone', description: 'Rude.' }), 400)
    expect(tooShort.result.error.description[0]).toMatch(/at least 30 characters/)
    expect((await loadMyModeration(a.id)).cases).toEqual([])
  })

  test('a case is private to its parties and moderators; a warning reaches only the party it names', async () => {
    const a = await createTestUser()
    const b = await createTestUser()
    const stranger = await createTestUser()
    const mod = await moderator()
    const opened = await open(a.id, b.username)
    expect(opened.status).toBe(302)
    expect(opened.headers.get('Location')).toMatch(/^\/conflicts\/\d+$/)
    const id = opened.headers.get('Location')!.split('/').at(-1)!

    const forA = await bodyOf(await get(conflictCase.loader, `/conflicts/${id}`, a.id, { id }))
    expect(forA.parties.map((p: { username: string }) => p.username).sort()).toEqual([a.username, b.username].sort())
    expect((await get(conflictCase.loader, `/conflicts/${id}`, b.id, { id })).status).toBe(200)
    expect((await get(conflictCase.loader, `/conflicts/${id}`, stranger.id, { id })).status).toBe(404)

    const resolved = await decide(Number(id), mod.id, 'decide-conflict', { outcome: 'warning', userIds: [String(b.id)], reason: 'Keep your replies about the question, not the person.' })
    expect(resolved.status, await resolved.clone().text()).toBe(302)

    const warnings = (userId: number) => loadMyModeration(userId).then((m) => m.actions.filter((x: { action: string }) => x.action === 'warn'))
    expect(await warnings(b.id)).toEqual([expect.objectContaining({ reason: 'Keep your replies about the question, not the person.', appealable: true })])
    expect(await warnings(a.id)).toEqual([])
    expect((await loadMyModeration(a.id)).cases).toEqual([expect.objectContaining({ id: Number(id), status: 'resolved', resolution: 'warning' })])
    // A closed case takes no more messages.
    expect((await post(conflictCase.action, `/conflicts/${id}`, a.id, { body: 'One more thing…' }, { id })).status).toBe(400)
  })

  test('a warning or suspension must name a party', async () => {
    const a = await createTestUser()
    const b = await createTestUser()
    const mod = await moderator()
    const id = Number((await open(a.id, b.username)).headers.get('Location')!.split('/').at(-1))
    const none = await bodyOf(await decide(id, mod.id, 'decide-conflict', { outcome: 'warning', reason: 'Keep it civil, both of you.' }), 400)
    expect(none.result.error[''][0]).toMatch(/Choose who/)
    // Two parties named in one submission (repeated userIds fields) are both suspended.
    const both = await decide(id, mod.id, 'decide-conflict', { outcome: 'suspension', days: '3', userIds: [String(a.id), String(b.id)], reason: 'Both of you kept at it after a warning.' })
    expect(both.status, await both.clone().text()).toBe(302)
    for (const party of [a, b]) expect((await loadMyModeration(party.id)).restriction.suspendedUntil, party.username).not.toBeNull()
  })
})

// ---------------------------------------------------------------------------------------------
// 10. The decision form offers exactly what the server accepts

describe('the decision form offers exactly what the server accepts', () => {
  /** The choices the rendered decision form offers (the empty "Choose…" left out). */
  function offered(html: string) {
    const select = html.match(/<select[^>]*name="(?:action|outcome)"[^>]*>([\s\S]*?)<\/select>/)
    return select ? [...select[1].matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter(Boolean) : []
  }

  /** The loader's allowed actions and the rendered form's options are both exactly `expected`. */
  async function expectOffers(id: number, viewerId: number, expected: string[]) {
    const data = await loadItem(id, viewerId)
    expect(data.decisions.actions).toEqual(expected)
    const html = await renderPage(ReviewItemPage, `/mod/queue/${id}`, data)
    expect(offered(html)).toEqual(expected)
    if (expected.length === 0) expect(html).not.toMatch(/value="decide-(report|appeal|conflict)"/)
    return html
  }

  /** Everything a decision could have written about the item and the member it is about. */
  async function snapshot(id: number, viewerId: number) {
    const { item, target } = await loadItem(id, viewerId)
    const audit = await db.select({ id: moderationActions.id }).from(moderationActions).where(eq(moderationActions.reviewItemId, id)).orderBy(asc(moderationActions.id))
    const [member] = item.targetUserId ? await db.select({ suspendedUntil: users.suspendedUntil, bannedAt: users.bannedAt }).from(users).where(eq(users.id, item.targetUserId)) : []
    const blocks = item.targetUserId
      ? await db.select({ blockerId: userBlocks.blockerId }).from(userBlocks).where(or(eq(userBlocks.blockerId, item.targetUserId), eq(userBlocks.blockedId, item.targetUserId)))
      : []
    return { item, target, audit, member, blocks }
  }

  /** Posting a choice the page did not offer: a 400 saying why, and nothing written. */
  async function expectRefused(id: number, viewerId: number, intent: 'decide-report' | 'decide-appeal' | 'decide-conflict', form: Form, message: RegExp) {
    const before = await snapshot(id, viewerId)
    const res = await bodyOf(await postItem(id, viewerId, { intent, version: String(before.item.version), reason: 'A reason the member would read.', ...form }), 400)
    expect(res.result.error[''][0]).toMatch(message)
    expect(res.conflict).toBe(false)
    expect(await snapshot(id, viewerId)).toEqual(before)
  }

  const reportedBy = async (target: string) => {
    expect((await fileReportAs(target, (await createTestUser()).id)).status).toBe(302)
    const [kind, id] = target.split(':') as ['question' | 'answer' | 'user', string]
    return reportedItem(kind, Number(id))
  }

  test('a report on a member’s answer: no lock, which the server refuses too', async () => {
    const { answer } = await threadWithAnswer()
    const id = await reportedBy(`answer:${answer.id}`)
    const mod = await moderator()
    await expectOffers(id, mod.id, ['dismiss', 'ignore', 'hide', 'remove', 'warn', 'silence', 'suspend', 'hide-silence', 'hide-suspend', 'ban'])
    await expectRefused(id, mod.id, 'decide-report', { action: 'lock' }, /Only a reported question locks its thread/)
  })

  test('a report on a member’s question: every action, lock included', async () => {
    const { question } = await threadWithAnswer()
    const id = await reportedBy(`question:${question.id}`)
    await expectOffers(id, (await moderator()).id, ['dismiss', 'ignore', 'hide', 'remove', 'lock', 'warn', 'silence', 'suspend', 'hide-silence', 'hide-suspend', 'ban'])
  })

  test('a report on a profile: nothing to hide, remove or lock', async () => {
    const id = await reportedBy(`user:${(await createTestUser()).id}`)
    const mod = await moderator()
    await expectOffers(id, mod.id, ['dismiss', 'ignore', 'warn', 'silence', 'suspend', 'ban'])
    await expectRefused(id, mod.id, 'decide-report', { action: 'remove' }, /A profile cannot be hidden/)
  })

  test('a report on a staff member’s answer: no warning, suspension or ban', async () => {
    const { answer } = await threadWithAnswer(undefined, await createTestUser({ role: 'agent', supportTier: 1 }))
    const id = await reportedBy(`answer:${answer.id}`)
    const admin = await createTestUser({ role: 'admin' })
    await expectOffers(id, admin.id, ['dismiss', 'ignore', 'hide', 'remove'])
    await expectRefused(id, admin.id, 'decide-report', { action: 'ban' }, /Staff accounts are not/)
  })

  test('an item another moderator claimed is theirs to decide until it is taken over; a decided item offers nothing', async () => {
    const { answer } = await threadWithAnswer()
    const id = await reportedBy(`answer:${answer.id}`)
    const [claimer, other] = [await moderator(), await moderator()]
    expect((await postItem(id, claimer.id, { intent: 'claim' })).status).toBe(302)
    const html = await expectOffers(id, other.id, [])
    expect(html).toContain(`${claimer.username} claimed this item; take it over to decide it.`)
    await expectRefused(id, other.id, 'decide-report', { action: 'hide' }, /claimed this item/)

    expect((await postItem(id, other.id, { intent: 'claim' })).status).toBe(302)
    await expectOffers(id, claimer.id, [])
    await expectOffers(id, other.id, ['dismiss', 'ignore', 'hide', 'remove', 'warn', 'silence', 'suspend', 'hide-silence', 'hide-suspend', 'ban'])
    expect((await decide(id, other.id, 'decide-report', { action: 'hide', reason: 'Spam link to a shop.' })).status).toBe(302)
    await expectOffers(id, other.id, [])
  })

  test('an appeal: nothing for the moderator who acted, both outcomes for others, only upholding once the action was reversed', async () => {
    const { answer, answerer: author } = await threadWithAnswer()
    const [modA, modB] = [await moderator(), await moderator()]
    const reportItemId = await reportAndDecide(`answer:${answer.id}`, (await createTestUser()).id, modA.id, { action: 'hide', reason: 'Personal attack on another member.' })
    const hide = (await loadMyModeration(author.id)).actions.find((a: { action: string }) => a.action === 'hide')
    expect((await postMyModeration(author.id, { intent: 'appeal', actionId: String(hide.id), statement: 'I was quoting the other member, not attacking anyone.' })).status).toBe(302)
    const [{ id: appealId }] = await db.select({ id: reviewItems.id }).from(reviewItems).where(eq(reviewItems.moderationActionId, hide.id))

    expect(await expectOffers(appealId, modA.id, [])).toContain('You took this action, so another moderator must decide the appeal.')
    await expectRefused(appealId, modA.id, 'decide-appeal', { outcome: 'upheld' }, /another moderator/)
    await expectOffers(appealId, modB.id, ['upheld', 'overturned'])

    // A moderator lifts the hide outside the appeal: there is nothing left to overturn.
    expect((await postItem(reportItemId, modB.id, { intent: 'reverse', actionId: String(hide.id), reason: 'On second look it was a quote.' })).status).toBe(302)
    await expectOffers(appealId, modB.id, ['upheld'])
    await expectRefused(appealId, modB.id, 'decide-appeal', { outcome: 'overturned' }, /already reversed/)
  })

  describe('conflict cases', () => {
    const openCase = async (openerId: number, username: string) => {
      const res = await post(newConflict.action, '/conflicts/new', openerId, { username, description: 'We disagree about every answer and it is getting personal.' })
      expect(res.status).toBe(302)
      return Number(res.headers.get('Location')!.split('/').at(-1))
    }

    test('between two members: every outcome', async () => {
      const id = await openCase((await createTestUser()).id, (await createTestUser()).username)
      await expectOffers(id, (await moderator()).id, ['agreement', 'warning', 'mutual-block', 'suspension'])
    })

    test('about a staff member: no mutual block', async () => {
      const agent = await createTestUser({ role: 'agent', supportTier: 1 })
      const id = await openCase((await createTestUser()).id, agent.username)
      const mod = await moderator()
      await expectOffers(id, mod.id, ['agreement', 'warning', 'suspension'])
      await expectRefused(id, mod.id, 'decide-conflict', { outcome: 'mutual-block' }, /A mutual block needs/)
    })

    test('a moderator who is a party does not decide it; another moderator does', async () => {
      const party = await moderator()
      const id = await openCase((await createTestUser()).id, party.username)
      expect(await expectOffers(id, party.id, [])).toContain('You are a party to this case')
      await expectRefused(id, party.id, 'decide-conflict', { outcome: 'agreement' }, /You are a party to this case/)
      await expectOffers(id, (await moderator()).id, ['agreement', 'warning', 'suspension'])
    })
  })
})
