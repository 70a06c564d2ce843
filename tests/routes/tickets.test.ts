import { eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { ticketMailIds, ticketMessages, tickets } from '#db/schema/index'
import { drainQueue } from '~/platform/jobs/boss.server'
import { sendMailJob } from '~/platform/mail-jobs.server'
import { recomputeSlaJob } from '~/tickets/jobs.server'
import { updateSlaPolicies } from '~/tickets/sla-settings.server'
import { addTicketMessage, changeTicketStatus } from '~/tickets/changes.server'
import { createTicket } from '~/tickets/open.server'
import { rateTicket } from '~/tickets/rating.server'
import { recomputeSla } from '~/tickets/sla-clock.server'
import * as adminOutbox from '~/routes/admin.outbox'
import * as adminSla from '~/routes/admin.sla'
import * as inboundEmail from '~/routes/api.inbound-email'
import * as thread from '~/routes/questions.$id.($slug)'
import * as staffSla from '~/routes/staff.sla'
import * as ticketPage from '~/routes/tickets.$number'
import * as ratePage from '~/routes/tickets_.$number.rate'
import * as ticketList from '~/routes/tickets._index'
import * as newTicket from '~/routes/tickets.new'
import type { TicketPriority } from '~/tickets/sla/engine'
import { createUser } from '~/accounts/users.server'
import { createTestQuestion, createTestUser, responseOf, routeArgs, TEST_PASSWORD, uniqueName } from '../factories'
import { routesMatching } from './route-tree'

// Mail goes to the outbox here (no SMTP_URL); tests/routes/ticket-mail.test.ts sends it through SMTP.
const savedEnv = { SMTP_URL: process.env.SMTP_URL, INBOUND_EMAIL_SECRET: process.env.INBOUND_EMAIL_SECRET }
function restoreEnv(key: keyof typeof savedEnv) {
  if (savedEnv[key] === undefined) delete process.env[key]
  else process.env[key] = savedEnv[key]
}
beforeAll(() => {
  delete process.env.SMTP_URL
  delete process.env.INBOUND_EMAIL_SECRET
})
afterAll(() => {
  restoreEnv('SMTP_URL')
  restoreEnv('INBOUND_EMAIL_SECRET')
})

const details = {
  whatHappened: 'The export button shows an error every time I press it.',
  stepsTried: 'Reloaded the page.',
  environment: 'Firefox 140 on Linux',
  accountDetails: 'Workspace acme',
}

async function openTicket(requesterId: number, { subject = 'The export button fails', priority = 'medium' as TicketPriority } = {}) {
  return (await createTicket({ requesterId, subject, priority, details })).number
}

async function storedTicket(number: number) {
  const [row] = await db.select().from(tickets).where(eq(tickets.number, number))
  return row
}

/** As if the customer had been waiting `ms` longer: moves the SLA start back and recomputes the due times. */
async function backdate(number: number, ms: number) {
  const row = await storedTicket(number)
  await db.update(tickets).set({ slaStartedAt: new Date(row.slaStartedAt.getTime() - ms) }).where(eq(tickets.id, row.id))
  await db.transaction((tx) => recomputeSla(tx, row.id))
}

const HOUR = 3600_000
const DAY = 24 * HOUR

const loadTicket = async (number: number | string, userId?: number) =>
  responseOf(async () => ticketPage.loader(await routeArgs({ path: `/tickets/${number}`, userId, params: { number: String(number) } })))
const postTicket = async (number: number | string, userId: number | undefined, form: Record<string, string>) =>
  responseOf(async () => ticketPage.action(await routeArgs({ path: `/tickets/${number}`, method: 'POST', userId, form, params: { number: String(number) } })))
const ticketAs = async (number: number, userId: number) => {
  const res = await loadTicket(number, userId)
  expect(res.status).toBe(200)
  return res.json()
}

describe('/tickets/new', () => {
  test('a visitor is sent to log in, for the form and for submitting it', async () => {
    const login = `/login?redirectTo=${encodeURIComponent('/tickets/new')}`
    const page = await responseOf(async () => newTicket.loader(await routeArgs({ path: '/tickets/new' })))
    expect(page.status).toBe(302)
    expect(page.headers.get('Location')).toBe(login)
    const submit = await responseOf(async () =>
      newTicket.action(await routeArgs({ path: '/tickets/new', method: 'POST', form: { subject: 'Export fails again', priority: 'high', whatHappened: details.whatHappened } })),
    )
    expect(submit.status).toBe(302)
    expect(submit.headers.get('Location')).toBe(login)
  })

  test('an empty or too short subject or description is a 400 with errors beside the fields, and no ticket is opened', async () => {
    const member = await createTestUser()
    const submit = async (form: Record<string, string>) =>
      responseOf(async () => newTicket.action(await routeArgs({ path: '/tickets/new', method: 'POST', userId: member.id, form })))

    const empty = await submit({ subject: '', priority: 'medium', whatHappened: '' })
    expect(empty.status).toBe(400)
    const emptyErrors = (await empty.json()).result.error
    expect(emptyErrors.subject).toEqual(['Give your request a subject.'])
    expect(emptyErrors.whatHappened).toEqual(['Tell us what happened.'])

    const short = await submit({ subject: 'Hi', priority: 'medium', whatHappened: 'It broke.' })
    expect(short.status).toBe(400)
    const shortData = await short.json()
    expect(shortData.result.error.subject).toEqual(['Make the subject at least 5 characters.'])
    expect(shortData.result.error.whatHappened).toEqual(['Tell us a little more about what happened: at least 20 characters.'])
    // What the member typed comes back, so nothing is lost.
    expect(shortData.result.initialValue).toMatchObject({ subject: 'Hi', whatHappened: 'It broke.' })

    expect(await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.requesterId, member.id))).toEqual([])
  })

  test('a valid request opens a ticket and goes to its page', async () => {
    const member = await createTestUser()
    const res = await responseOf(async () =>
      newTicket.action(
        await routeArgs({
          path: '/tickets/new',
          method: 'POST',
          userId: member.id,
          form: { subject: 'Invoices are missing', priority: 'high', whatHappened: 'The billing page lists no invoices since Monday.', environment: 'Safari 17 on macOS' },
        }),
      ),
    )
    expect(res.status).toBe(302)
    const [row] = await db.select().from(tickets).where(eq(tickets.requesterId, member.id))
    expect(res.headers.get('Location')).toBe(`/tickets/${row.number}`)
    const data = await ticketAs(row.number, member.id)
    expect(data.ticket).toMatchObject({ subject: 'Invoices are missing', priority: 'high', status: 'open', source: 'web' })
    expect(data.messages[0].bodyHtml).toContain('The billing page lists no invoices since Monday.')
    expect(data.messages[0].bodyHtml).toContain('Safari 17 on macOS')
  })

  test('the device field is filled in from the browser’s User-Agent', async () => {
    const member = await createTestUser()
    const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
    const res = await responseOf(async () => newTicket.loader(await routeArgs({ path: '/tickets/new', userId: member.id, headers: { 'User-Agent': ua } })))
    expect(res.status).toBe(200)
    expect((await res.json()).environment).toBe('Firefox 128 on Linux (desktop)')
    const without = await responseOf(async () => newTicket.loader(await routeArgs({ path: '/tickets/new', userId: member.id })))
    expect((await without.json()).environment).toBe('')
  })
})

describe('/tickets/:number', () => {
  async function setup({ premium = false } = {}) {
    const requester = await createTestUser({ isPremium: premium })
    const other = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const colleague = await createTestUser({ role: 'agent', supportTier: 2 })
    const number = await openTicket(requester.id)
    return { requester, other, agent, colleague, number }
  }

  const staffIntents = (agentId: number): Record<string, string>[] => [
    { intent: 'note', body: 'Checking the logs for this one.' },
    { intent: 'status', status: 'solved' },
    { intent: 'priority', priority: 'critical' },
    { intent: 'escalate', reason: 'Needs the database team' },
    { intent: 'assign', assigneeId: String(agentId) },
    { intent: 'assign-me' },
  ]

  test('someone else’s ticket looks exactly like one that does not exist, for the page and every action', async () => {
    const { requester, other, agent, number } = await setup()
    await changeTicketStatus({ number, staff: { id: agent.id, role: 'agent' }, status: 'solved' })
    const before = await storedTicket(number)
    expect((await loadTicket(number, other.id)).status).toBe(404)

    const memberIntents: Record<string, string>[] = [
      { intent: 'reply', body: 'Let me add something here.' },
      { intent: 'request-escalation', reason: 'Nobody is helping me' },
      { intent: 'rate', score: '1', comment: 'Bad' },
    ]
    for (const form of memberIntents) {
      expect((await postTicket(number, other.id, form)).status, form.intent).toBe(404)
    }
    // Staff-only actions are refused before any lookup, so they say nothing about the number either.
    for (const form of staffIntents(other.id)) {
      const status = (await postTicket(number, other.id, form)).status
      expect(status, form.intent).toBe((await postTicket(999_999, other.id, form)).status)
      expect(status, form.intent).not.toBe(302)
    }

    const after = await storedTicket(number)
    expect(after).toMatchObject({ status: before.status, priority: before.priority, tier: before.tier, assigneeId: null, escalationRequestedAt: null })
    expect((await ticketAs(number, requester.id)).ticket.ratingScore).toBeNull()
    const messages = await db.select({ id: ticketMessages.id }).from(ticketMessages).where(eq(ticketMessages.ticketId, after.id))
    expect(messages).toHaveLength(1)
  })

  test('the requester sees their ticket and the public replies, never the internal notes', async () => {
    const { requester, agent, number } = await setup()
    expect((await postTicket(number, agent.id, { intent: 'note', body: 'Customer owes us two invoices; be careful.' })).status).toBe(302)
    expect((await postTicket(number, agent.id, { intent: 'reply', body: 'Could you send us a screenshot?', statusAfter: 'pending' })).status).toBe(302)

    const forRequester = await loadTicket(number, requester.id)
    expect(forRequester.status).toBe(200)
    const requesterJson = await forRequester.text()
    expect(requesterJson).toContain('Could you send us a screenshot?')
    expect(requesterJson).not.toContain('owes us two invoices')
    expect(JSON.parse(requesterJson)).toMatchObject({ staff: false, ticket: { status: 'pending' } })
    // Who works the ticket, its tier and its SLA clocks are the team's business.
    await postTicket(number, agent.id, { intent: 'assign-me' })
    const again = JSON.parse(await (await loadTicket(number, requester.id)).text())
    expect(again.ticket).toMatchObject({ assigneeUsername: null, assigneeId: null, tier: null, slaBadge: null, firstResponseDueAt: null, resolutionDueAt: null })
    expect(again.events.map((e: { kind: string }) => e.kind)).not.toContain('assignee')

    const agentJson = await (await loadTicket(number, agent.id)).text()
    expect(agentJson).toContain('owes us two invoices')
  })

  test('a member cannot use the staff actions on their own ticket', async () => {
    const { requester, colleague, number } = await setup()
    for (const form of staffIntents(colleague.id)) {
      expect((await postTicket(number, requester.id, form)).status, form.intent).toBe(403)
    }
    const data = await ticketAs(number, colleague.id)
    expect(data.ticket).toMatchObject({ status: 'open', priority: 'medium', tier: 1, assigneeId: null })
    expect(data.messages).toHaveLength(1)
  })

  test('an agent changes status and priority, escalates and assigns', async () => {
    const { agent, colleague, number } = await setup()
    const ok = async (form: Record<string, string>) => {
      const res = await postTicket(number, agent.id, form)
      expect(res.status, form.intent).toBe(302)
      expect(res.headers.get('Location')).toBe(`/tickets/${number}`)
    }
    await ok({ intent: 'status', status: 'pending' })
    await ok({ intent: 'priority', priority: 'high' })
    await ok({ intent: 'escalate', reason: 'Needs the database team' })
    await ok({ intent: 'assign', assigneeId: String(colleague.id) })
    let data = await ticketAs(number, agent.id)
    expect(data.ticket).toMatchObject({ status: 'pending', priority: 'high', tier: 2, assigneeUsername: colleague.username })
    expect(data.events.find((e: { kind: string }) => e.kind === 'tier')).toMatchObject({ fromValue: '1', toValue: '2', reason: 'Needs the database team', actorUsername: agent.username })

    await ok({ intent: 'assign-me' })
    data = await ticketAs(number, agent.id)
    expect(data.ticket.assigneeUsername).toBe(agent.username)
    await ok({ intent: 'assign', assigneeId: 'none' })
    expect((await ticketAs(number, agent.id)).ticket.assigneeUsername).toBeNull()
  })

  test('escalating needs a reason, goes past tier 3 to support management, and stops there', async () => {
    const { agent, number } = await setup({ premium: true })
    expect((await storedTicket(number)).tier).toBe(2)

    const noReason = await postTicket(number, agent.id, { intent: 'escalate', reason: '' })
    expect(noReason.status).toBe(400)
    const noReasonData = await noReason.json()
    expect(noReasonData.intent).toBe('escalate')
    expect(noReasonData.result.error.reason).toEqual(['Give a reason.'])
    expect((await storedTicket(number)).tier).toBe(2)

    expect((await postTicket(number, agent.id, { intent: 'escalate', reason: 'Needs an engineer' })).status).toBe(302)
    expect((await storedTicket(number)).tier).toBe(3)
    expect((await postTicket(number, agent.id, { intent: 'escalate', reason: 'Even higher please' })).status).toBe(302)
    const managed = await storedTicket(number)
    expect(managed.tier).toBe(3)
    expect(managed.managementEscalatedAt).toBeInstanceOf(Date)
    expect((await ticketAs(number, agent.id)).events.at(-1)).toMatchObject({ kind: 'management', reason: 'Even higher please' })
    const top = await postTicket(number, agent.id, { intent: 'escalate', reason: 'Higher than management?' })
    expect(top.status).toBe(400)
    expect((await top.json()).result.error['']).toEqual(['This ticket is already with support management, or closed.'])
  })

  test('the requester can rate only once the ticket is solved', async () => {
    const { requester, agent, number } = await setup()
    const early = await postTicket(number, requester.id, { intent: 'rate', score: '5' })
    expect(early.status).toBe(400)
    expect((await early.json()).result.error['']).toEqual(['You can rate a ticket once it is solved, until it closes.'])
    expect((await ticketAs(number, requester.id)).ticket.ratingScore).toBeNull()

    await postTicket(number, agent.id, { intent: 'status', status: 'solved' })
    const rated = await postTicket(number, requester.id, { intent: 'rate', score: '4', comment: 'Quick and kind.' })
    expect(rated.status).toBe(302)
    expect(rated.headers.get('Location')).toBe(`/tickets/${number}#rating`)
    expect((await ticketAs(number, requester.id)).ticket).toMatchObject({ ratingScore: 4, ratingComment: 'Quick and kind.' })
  })

  test('a malformed or unknown number is a 404', async () => {
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    for (const number of ['abc', '1.5', '0', '-3', '999999']) {
      expect((await loadTicket(number, agent.id)).status, number).toBe(404)
      expect((await postTicket(number, agent.id, { intent: 'status', status: 'solved' })).status, number).toBe(404)
    }
  })

  test('a visitor (or a crawler) is sent to log in, and told not to index the address', async () => {
    const { number } = await setup()
    const res = await loadTicket(number)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/tickets/${number}`)}`)
    expect(res.headers.get('X-Robots-Tag')).toBe('noindex')
  })
})

describe('/tickets', () => {
  type QueueData = { view: string; form: Record<string, string> | null; numbers: number[] }

  /** Every page of the list, following nextCursor as the "next page" link does. */
  async function list(userId: number, query = ''): Promise<QueueData> {
    const numbers: number[] = []
    let after: string | null = null
    for (let page = 0; page < 50; page++) {
      const params = new URLSearchParams(query)
      if (after) params.set('after', after)
      const res = await responseOf(async () => ticketList.loader(await routeArgs({ path: `/tickets?${params}`, userId })))
      expect(res.status).toBe(200)
      const data = await res.json()
      const rows: { number: number }[] = data.view === 'mine' ? data.mine.tickets : data.tickets
      numbers.push(...rows.map((t) => t.number))
      after = data.view === 'mine' ? data.mine.nextCursor : data.nextCursor
      if (!after) return { view: data.view, form: data.form, numbers }
    }
    throw new Error('too many pages')
  }

  test('a member sees only their own requests', async () => {
    const member = await createTestUser()
    const other = await createTestUser()
    const mine = await openTicket(member.id, { subject: 'Mine' })
    const theirs = await openTicket(other.id, { subject: 'Theirs' })
    const result = await list(member.id)
    expect(result.view).toBe('mine')
    expect(result.numbers).toEqual([mine])
    expect(result.numbers).not.toContain(theirs)
  })

  test('an agent’s queue shows their own tier unless they ask for all tiers', async () => {
    const member = await createTestUser()
    const premium = await createTestUser({ isPremium: true })
    const tier2Agent = await createTestUser({ role: 'agent', supportTier: 2 })
    const tier1Ticket = await openTicket(member.id)
    const tier2Ticket = await openTicket(premium.id)

    const own = await list(tier2Agent.id)
    expect(own.view).toBe('queue')
    expect(own.form?.tier).toBe('2')
    expect(own.numbers).toContain(tier2Ticket)
    expect(own.numbers).not.toContain(tier1Ticket)

    const all = await list(tier2Agent.id, 'tier=all')
    expect(all.numbers).toEqual(expect.arrayContaining([tier1Ticket, tier2Ticket]))
    const tier1 = await list(tier2Agent.id, 'tier=1')
    expect(tier1.numbers).toContain(tier1Ticket)
    expect(tier1.numbers).not.toContain(tier2Ticket)
  })

  test('the queue filters by priority, status, assignee and SLA state from the query string', async () => {
    const member = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const staff = { id: agent.id, role: 'agent' as const, username: agent.username }
    const low = await openTicket(member.id, { priority: 'low', subject: 'Low one' })
    const critical = await openTicket(member.id, { priority: 'critical', subject: 'Critical one' })
    const pending = await openTicket(member.id, { priority: 'medium', subject: 'Pending one' })
    const assigned = await openTicket(member.id, { priority: 'medium', subject: 'Assigned one' })
    const solved = await openTicket(member.id, { priority: 'medium', subject: 'Solved one' })
    await addTicketMessage({ number: pending, author: staff, bodySource: 'Which browser do you use?', statusAfter: 'pending' })
    await postTicket(assigned, agent.id, { intent: 'assign-me' })
    await changeTicketStatus({ number: solved, staff, status: 'solved' })
    // The critical ticket's customer has waited an hour: its 15-minute first response is missed.
    await backdate(critical, HOUR)
    const ours = [low, critical, pending, assigned, solved]
    const matching = async (query: string) => (await list(agent.id, query)).numbers.filter((n) => ours.includes(n)).sort()

    expect(await matching('')).toEqual([low, critical, pending, assigned].sort())
    expect(await matching('priority=critical')).toEqual([critical])
    expect(await matching('priority=low')).toEqual([low])
    expect(await matching('status=pending')).toEqual([pending])
    expect(await matching('status=solved')).toEqual([solved])
    expect(await matching('status=all')).toEqual([...ours].sort())
    expect(await matching('assignee=me')).toEqual([assigned])
    expect(await matching('assignee=unassigned')).toEqual([low, critical, pending].sort())
    expect(await matching('sla=breached')).toEqual([critical])
    expect(await matching('sla=paused')).toEqual([pending])
    // Unknown values fall back to the defaults instead of failing.
    expect(await matching('priority=urgent&status=everything')).toEqual([low, critical, pending, assigned].sort())
  })

  test('a moderator is not support staff: only their own requests, and another’s ticket is a 404', async () => {
    const moderator = await createTestUser({ role: 'moderator' })
    const member = await createTestUser()
    const own = await openTicket(moderator.id, { subject: 'Moderator needs help' })
    const theirs = await openTicket(member.id)
    const result = await list(moderator.id)
    expect(result.view).toBe('mine')
    expect(result.numbers).toEqual([own])
    expect((await loadTicket(theirs, moderator.id)).status).toBe(404)
    expect((await postTicket(theirs, moderator.id, { intent: 'reply', body: 'Moderating your ticket.' })).status).toBe(404)
    expect((await postTicket(theirs, moderator.id, { intent: 'status', status: 'solved' })).status).toBe(403)
    expect((await storedTicket(theirs)).status).toBe('open')
  })
})

describe('converting a thread to a ticket', () => {
  const convert = async (questionId: number, userId: number, priority = 'high') =>
    responseOf(async () =>
      thread.action(await routeArgs({ path: `/questions/${questionId}`, method: 'POST', userId, form: { intent: 'convert-to-ticket', priority }, params: { id: String(questionId) } })),
    )
  const threadAs = async (questionId: number, userId?: number) => {
    const res = await responseOf(async () => thread.loader(await routeArgs({ path: `/questions/${questionId}`, userId, params: { id: String(questionId) } })))
    expect(res.status).toBe(200)
    return res.json()
  }

  test('only staff convert, once; the thread tells the asker and staff where it went, and no one else', async () => {
    const asker = await createTestUser()
    const other = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const question = await createTestQuestion({ authorId: asker.id, title: 'My invoices vanished from the billing page' })

    expect((await convert(question.id, other.id)).status).toBe(403)
    expect((await convert(question.id, asker.id)).status).toBe(403)
    expect((await threadAs(question.id, asker.id)).ticketNumber).toBeNull()

    const converted = await convert(question.id, agent.id)
    expect(converted.status).toBe(302)
    const number = Number(converted.headers.get('Location')?.match(/^\/tickets\/(\d+)$/)?.[1])
    expect(number).toBeGreaterThan(0)
    const ticket = await ticketAs(number, asker.id)
    expect(ticket.ticket).toMatchObject({ subject: 'My invoices vanished from the billing page', source: 'thread', priority: 'high', questionId: question.id })

    const again = await convert(question.id, agent.id, 'low')
    expect(again.status).toBe(400)
    const againData = await again.json()
    expect(againData.result.error['']).toEqual([`This thread is already ticket #${number}.`])
    expect(againData.existingTicket).toBe(number)
    expect((await storedTicket(number)).priority).toBe('high')

    expect((await threadAs(question.id, asker.id)).ticketNumber).toBe(number)
    expect((await threadAs(question.id, agent.id)).ticketNumber).toBe(number)
    expect((await threadAs(question.id, other.id)).ticketNumber).toBeNull()
    expect((await threadAs(question.id)).ticketNumber).toBeNull()
  })
})

describe('/tickets/:number/rate (the survey link)', () => {
  const rateLoader = async (number: number, token: string) =>
    responseOf(async () => ratePage.loader(await routeArgs({ path: `/tickets/${number}/rate?token=${encodeURIComponent(token)}`, params: { number: String(number) } })))
  const ratePost = async (number: number, form: Record<string, string>) =>
    responseOf(async () => ratePage.action(await routeArgs({ path: `/tickets/${number}/rate`, method: 'POST', form, params: { number: String(number) } })))

  test('the token stands in for a login: a wrong one is a 404, the right one rates once', async () => {
    const requester = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const number = await openTicket(requester.id, { subject: 'Survey me' })
    await changeTicketStatus({ number, staff: { id: agent.id, role: 'agent' }, status: 'solved' })
    const { ratingToken } = await storedTicket(number)
    const wrong = ratingToken.slice(0, -1) + (ratingToken.endsWith('A') ? 'B' : 'A')

    expect((await rateLoader(number, wrong)).status).toBe(404)
    expect((await rateLoader(number, '')).status).toBe(404)
    expect((await ratePost(number, { token: wrong, score: '1' })).status).toBe(404)

    const page = await rateLoader(number, ratingToken)
    expect(page.status).toBe(200)
    expect((await page.json()).ticket).toEqual({ number, subject: 'Survey me', status: 'solved', rated: false })

    const first = await ratePost(number, { token: ratingToken, score: '5', comment: 'Fixed within the hour.' })
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ thanks: true })
    expect((await ticketAs(number, requester.id)).ticket).toMatchObject({ ratingScore: 5, ratingComment: 'Fixed within the hour.' })
    expect((await (await rateLoader(number, ratingToken)).json()).ticket.rated).toBe(true)

    const second = await ratePost(number, { token: ratingToken, score: '1' })
    expect(second.status).toBe(400)
    expect((await second.json()).result.error['']).toEqual(['This request has already been rated. Thank you!'])
    expect((await ticketAs(number, requester.id)).ticket.ratingScore).toBe(5)
  })

  test('the link works without a session: every loader Remix runs for it answers 200, none sends to /login', async () => {
    const requester = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const number = await openTicket(requester.id, { subject: 'Rate me from my inbox' })
    await changeTicketStatus({ number, staff: { id: agent.id, role: 'agent' }, status: 'solved' })
    const { ratingToken } = await storedTicket(number)
    const url = `/tickets/${number}/rate?token=${encodeURIComponent(ratingToken)}`

    const routes = await routesMatching(url)
    expect(routes.at(-1)?.module).toBe(ratePage)
    for (const route of routes) {
      if (!route.module.loader) continue
      const response = await responseOf(async () => route.module.loader!(await routeArgs({ path: url, params: route.params as Record<string, string> })))
      expect({ route: route.id, status: response.status, location: response.headers.get('Location') }).toEqual({ route: route.id, status: 200, location: null })
    }
  })
})

describe('/api/inbound-email', () => {
  const SECRET = 'inbound-test-secret-7c1f'
  beforeEach(() => {
    process.env.INBOUND_EMAIL_SECRET = SECRET
  })
  afterEach(() => {
    delete process.env.INBOUND_EMAIL_SECRET
  })

  let mailCounter = 0
  const messageId = () => `<inbound-${process.pid}-${++mailCounter}-${Math.random().toString(36).slice(2)}@mail.example.test>`

  async function inbound(body: unknown, { authorization = `Bearer ${SECRET}` }: { authorization?: string | null } = {}) {
    const headers = new Headers({ 'Content-Type': 'application/json' })
    if (authorization !== null) headers.set('Authorization', authorization)
    const request = new Request('http://localhost/api/inbound-email', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
    return responseOf(() => inboundEmail.action({ request, params: {}, context: { user: null, session: null, clientIp: '198.51.100.4' } }))
  }

  const mail = (fields: { from: string; subject: string; text?: string; inReplyTo?: string }) => ({
    from: fields.from,
    subject: fields.subject,
    text: fields.text ?? 'Here is more about the problem.',
    'message-id': messageId(),
    ...(fields.inReplyTo ? { 'in-reply-to': fields.inReplyTo } : {}),
  })

  async function messagesOf(number: number) {
    const row = await storedTicket(number)
    return db.select({ bodySource: ticketMessages.bodySource, authorId: ticketMessages.authorId }).from(ticketMessages).where(eq(ticketMessages.ticketId, row.id)).orderBy(ticketMessages.id)
  }

  test('without INBOUND_EMAIL_SECRET the endpoint does not exist', async () => {
    delete process.env.INBOUND_EMAIL_SECRET
    const res = await inbound(mail({ from: 'ann@example.test', subject: 'Hello' }))
    expect(res.status).toBe(404)
  })

  test('a wrong or missing secret is a 401; a body that is not JSON is a 400', async () => {
    expect((await inbound(mail({ from: 'ann@example.test', subject: 'Hello' }), { authorization: 'Bearer not-the-secret' })).status).toBe(401)
    expect((await inbound(mail({ from: 'ann@example.test', subject: 'Hello' }), { authorization: null })).status).toBe(401)
    expect((await inbound(mail({ from: 'ann@example.test', subject: 'Hello' }), { authorization: `Bearer ${SECRET}x` })).status).toBe(401)
    expect((await inbound(mail({ from: 'ann@example.test', subject: 'Hello' }), { authorization: `Basic ${SECRET}` })).status).toBe(401)
    expect((await inbound('{"from": "ann@example.test", ')).status).toBe(400)
    expect((await inbound({ subject: 'no sender or id' })).status).toBe(400)
  })

  test('mail from a known member opens a medium-priority email ticket for their account', async () => {
    const member = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const res = await inbound(mail({ from: `Ann Member <${member.email.toUpperCase()}>`, subject: 'Fwd: Cannot log in on my phone', text: 'The app says my password is wrong.' }))
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body.action).toBe('created')
    const data = await ticketAs(body.ticket, agent.id)
    expect(data.ticket).toMatchObject({ subject: 'Cannot log in on my phone', priority: 'medium', source: 'email', requesterUsername: member.username, needsTriage: false })
    expect(data.messages.map((m: { bodyHtml: string }) => m.bodyHtml).join()).toContain('The app says my password is wrong.')
    // The member finds it among their requests.
    expect((await ticketAs(body.ticket, member.id)).ticket.number).toBe(body.ticket)
  })

  test('[#N] in the subject from the requester appends to N and reopens it; the same Message-ID twice is stored once', async () => {
    const requester = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const number = await openTicket(requester.id)
    await addTicketMessage({ number, author: { id: agent.id, role: 'agent', username: agent.username }, bodySource: 'Which version do you run?', statusAfter: 'pending' })
    expect((await storedTicket(number)).status).toBe('pending')

    const reply = mail({ from: requester.email, subject: `Re: [#${number}] The export button fails`, text: 'Version 4.2 on Windows.' })
    const res = await inbound(reply)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ticket: number, action: 'appended' })
    expect((await storedTicket(number)).status).toBe('open')
    expect((await messagesOf(number)).filter((m) => m.bodySource === 'Version 4.2 on Windows.')).toEqual([{ bodySource: 'Version 4.2 on Windows.', authorId: requester.id }])

    const again = await inbound(reply)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ ticket: number, action: 'duplicate' })
    expect((await messagesOf(number)).filter((m) => m.bodySource === 'Version 4.2 on Windows.')).toHaveLength(1)
  })

  test('a new mail delivered twice opens one ticket', async () => {
    const member = await createTestUser()
    const first = mail({ from: member.email, subject: 'Delivered twice', text: 'Only once please.' })
    const created = await (await inbound(first)).json()
    const again = await inbound(first)
    expect(await again.json()).toEqual({ ticket: created.ticket, action: 'duplicate' })
    expect(await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.requesterId, member.id))).toHaveLength(1)
  })

  test('a “reply” from anyone but the requester never lands on the ticket', async () => {
    const requester = await createTestUser()
    const stranger = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const number = await openTicket(requester.id)
    const { id } = await storedTicket(number)
    const [ourMail] = await db.select({ messageId: ticketMailIds.messageId }).from(ticketMailIds).where(eq(ticketMailIds.ticketId, id))

    const fromMember = await inbound(mail({ from: stranger.email, subject: `Re: [#${number}] The export button fails`, text: 'Known user trying to get in.', inReplyTo: ourMail.messageId }))
    expect(fromMember.status).toBe(201)
    const memberTicket = await fromMember.json()
    expect(memberTicket.action).toBe('created')
    expect(memberTicket.ticket).not.toBe(number)
    expect((await ticketAs(memberTicket.ticket, agent.id)).ticket).toMatchObject({ requesterUsername: stranger.username, needsTriage: false })

    const fromUnknown = await inbound(mail({ from: 'Mallory <mallory@attacker.test>', subject: `Re: [#${number}] The export button fails`, text: 'Unknown sender trying to get in.', inReplyTo: ourMail.messageId }))
    expect(fromUnknown.status).toBe(201)
    const unknownTicket = await fromUnknown.json()
    expect(unknownTicket.ticket).not.toBe(number)
    const unknown = (await ticketAs(unknownTicket.ticket, agent.id)).ticket
    expect(unknown).toMatchObject({ requesterId: null, requesterUsername: null, requesterEmail: 'mallory@attacker.test', needsTriage: true, source: 'email' })

    const onTicket = (await messagesOf(number)).map((m) => m.bodySource).join('\n')
    expect(onTicket).not.toContain('trying to get in')
    expect(await messagesOf(number)).toHaveLength(1)
  })

  test('In-Reply-To one of the Message-IDs we mailed for a ticket appends to it', async () => {
    const requester = await createTestUser()
    const number = await openTicket(requester.id)
    const { id } = await storedTicket(number)
    const ours = await db.select({ messageId: ticketMailIds.messageId }).from(ticketMailIds).where(eq(ticketMailIds.ticketId, id))
    expect(ours).toHaveLength(1)

    const res = await inbound(mail({ from: requester.email, subject: 'Re: your mail', text: 'Replying from my mail client.', inReplyTo: ours[0].messageId }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ticket: number, action: 'appended' })
    expect((await messagesOf(number)).map((m) => m.bodySource)).toContain('Replying from my mail client.')
  })

  test('after writing in without an account and then registering with that address, a reply still lands on the ticket', async () => {
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const username = uniqueName('late')
    const email = `${username}@example.test`
    const opened = await (await inbound(mail({ from: email, subject: 'Printing is broken', text: 'Nothing comes out of the printer.' }))).json()
    expect(opened.action).toBe('created')
    expect((await storedTicket(opened.ticket)).requesterId).toBeNull()
    expect((await createUser({ username, email, password: TEST_PASSWORD })).ok).toBe(true)

    for (const text of ['Still nothing.', 'And again nothing.']) {
      const res = await inbound(mail({ from: email, subject: `Re: [#${opened.ticket}] Printing is broken`, text }))
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ ticket: opened.ticket, action: 'appended' })
    }
    expect((await messagesOf(opened.ticket)).map((m) => m.bodySource)).toEqual(['Nothing comes out of the printer.', 'Still nothing.', 'And again nothing.'])
    expect(await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.requesterEmail, email))).toHaveLength(1)
    expect((await ticketAs(opened.ticket, agent.id)).messages).toHaveLength(3)
  })

  test('a reply by mail to a recently closed ticket reopens it; the ticket page says the reply will', async () => {
    const requester = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const number = await openTicket(requester.id, { subject: 'Sync stopped' })
    await changeTicketStatus({ number, staff: { id: agent.id, role: 'agent' }, status: 'closed' })
    expect((await ticketAs(number, requester.id)).ticket).toMatchObject({ status: 'closed', replyOpensFollowUp: false })

    const res = await inbound(mail({ from: requester.email, subject: `Re: [#${number}] Sync stopped`, text: 'It stopped again today.' }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ticket: number, action: 'appended' })
    const reopened = await ticketAs(number, requester.id)
    expect(reopened.ticket).toMatchObject({ status: 'open', followUpNumbers: [] })
    expect(reopened.messages.map((m: { bodyHtml: string }) => m.bodyHtml).join()).toContain('It stopped again today.')
    expect((await storedTicket(number)).nextDueAt).toBeInstanceOf(Date)
  })

  test('a reply to a ticket closed longer than TICKET_REOPEN_DAYS opens a follow-up linked to it', async () => {
    const requester = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const number = await openTicket(requester.id, { subject: 'Sync stopped' })
    await changeTicketStatus({ number, staff: { id: agent.id, role: 'agent' }, status: 'closed' })
    await db.update(tickets).set({ closedAt: new Date(Date.now() - 31 * DAY) }).where(eq(tickets.number, number))
    expect((await ticketAs(number, requester.id)).ticket.replyOpensFollowUp).toBe(true)

    const res = await inbound(mail({ from: requester.email, subject: `Re: [#${number}] Sync stopped`, text: 'It stopped again today.' }))
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body.action).toBe('follow-up')
    expect(body.ticket).not.toBe(number)
    const followUp = await ticketAs(body.ticket, requester.id)
    expect(followUp.ticket).toMatchObject({ subject: 'Follow-up: Sync stopped', followUpOfNumber: number, status: 'open' })
    expect(followUp.messages.map((m: { bodyHtml: string }) => m.bodyHtml).join()).toContain('It stopped again today.')
    const original = await ticketAs(number, requester.id)
    expect(original.ticket).toMatchObject({ status: 'closed', followUpNumbers: [body.ticket] })
    expect(await messagesOf(number)).toHaveLength(1)
  })
})

describe('/admin/sla', () => {
  const loadSettings = async (userId: number) => responseOf(async () => adminSla.loader(await routeArgs({ path: '/admin/sla', userId })))
  const postSettings = async (userId: number, form: Record<string, string>) =>
    responseOf(async () => adminSla.action(await routeArgs({ path: '/admin/sla', method: 'POST', userId, form })))
  type Policies = Record<
    TicketPriority,
    { firstResponseMinutes: number; resolutionMinutes: number; updateMinutes: number | null; afterHoursFirstResponseMinutes: number | null; businessHours: boolean }
  >

  /** The targets form as the page renders it, with the current values. */
  function policyForm(policies: Policies) {
    const form: Record<string, string> = { intent: 'policies' }
    for (const [priority, policy] of Object.entries(policies)) {
      form[`${priority}.firstResponseMinutes`] = String(policy.firstResponseMinutes)
      form[`${priority}.resolutionMinutes`] = String(policy.resolutionMinutes)
      form[`${priority}.updateMinutes`] = policy.updateMinutes === null ? '' : String(policy.updateMinutes)
      form[`${priority}.afterHoursFirstResponseMinutes`] = policy.afterHoursFirstResponseMinutes === null ? '' : String(policy.afterHoursFirstResponseMinutes)
      if (policy.businessHours) form[`${priority}.businessHours`] = 'on'
    }
    return form
  }

  test('members and agents may not see or change the settings', async () => {
    const member = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 3 })
    for (const user of [member, agent]) {
      expect((await loadSettings(user.id)).status).toBe(403)
      expect((await postSettings(user.id, { intent: 'add-holiday', day: '2031-01-02', name: 'Sneaky day off' })).status).toBe(403)
    }
  })

  test('an admin saves targets; running tickets get new due times once the recompute job has run', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const member = await createTestUser()
    const original: Policies = (await (await loadSettings(admin.id)).json()).policies
    const number = await openTicket(member.id, { priority: 'medium' })
    const dueOffset = async () => {
      const row = await storedTicket(number)
      return row.firstResponseDueAt!.getTime() - row.slaStartedAt.getTime()
    }
    const twoHours = 120 * 60_000
    expect(await dueOffset()).not.toBe(twoHours)

    try {
      // Medium: first response in 120 minutes, around the clock.
      const changed: Policies = { ...original, medium: { ...original.medium, firstResponseMinutes: 120, businessHours: false } }
      const res = await postSettings(admin.id, policyForm(changed))
      expect(res.status).toBe(302)
      expect(res.headers.get('Location')).toBe('/admin/sla?saved=1')
      const shown = (await (await loadSettings(admin.id)).json()).policies
      expect(shown.medium).toEqual({
        firstResponseMinutes: 120,
        resolutionMinutes: original.medium.resolutionMinutes,
        updateMinutes: original.medium.updateMinutes,
        afterHoursFirstResponseMinutes: null,
        businessHours: false,
      })
      expect(shown.critical).toEqual(original.critical)

      const { completed } = await drainQueue(recomputeSlaJob)
      expect(completed).toBeGreaterThanOrEqual(1)
      expect(await dueOffset()).toBe(twoHours)
    } finally {
      await updateSlaPolicies(original)
      await drainQueue(recomputeSlaJob)
    }
  })

  test('High promises 4 hours outside business hours by default; an admin changes or clears that budget and due times follow', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const member = await createTestUser()
    const original: Policies = (await (await loadSettings(admin.id)).json()).policies
    expect(original.high.afterHoursFirstResponseMinutes).toBe(240)
    expect([original.critical, original.medium, original.low].map((p) => p.afterHoursFirstResponseMinutes)).toEqual([null, null, null])

    const number = await openTicket(member.id, { priority: 'high' })
    const dueOffset = async () => {
      const row = await storedTicket(number)
      return row.firstResponseDueAt!.getTime() - row.slaStartedAt.getTime()
    }
    try {
      // One real minute always ends before 60 business minutes, whatever the time of day the test runs.
      const res = await postSettings(admin.id, policyForm({ ...original, high: { ...original.high, afterHoursFirstResponseMinutes: 1 } }))
      expect(res.status).toBe(302)
      await drainQueue(recomputeSlaJob)
      expect(await dueOffset()).toBe(60_000)

      const cleared = await postSettings(admin.id, policyForm({ ...original, high: { ...original.high, afterHoursFirstResponseMinutes: null } }))
      expect(cleared.status).toBe(302)
      expect((await (await loadSettings(admin.id)).json()).policies.high.afterHoursFirstResponseMinutes).toBeNull()
      await drainQueue(recomputeSlaJob)
      // Business minutes only: at least the 60 minutes of the budget.
      expect(await dueOffset()).toBeGreaterThanOrEqual(60 * 60_000)

      const bad = await postSettings(admin.id, { ...policyForm(original), 'high.afterHoursFirstResponseMinutes': '0' })
      expect(bad.status).toBe(400)
      expect((await bad.json()).result.error['high.afterHoursFirstResponseMinutes']).toEqual(['The first response target outside business hours must be at least 1 minute.'])
      expect((await (await loadSettings(admin.id)).json()).policies.high.afterHoursFirstResponseMinutes).toBeNull()
    } finally {
      await updateSlaPolicies(original)
      await drainQueue(recomputeSlaJob)
    }
  })

  test('several changes before the recompute job runs queue one recompute, not one each', async () => {
    const admin = await createTestUser({ role: 'admin' })
    await drainQueue(recomputeSlaJob)
    const changes: Record<string, string>[] = [
      { intent: 'add-holiday', day: '2033-03-03', name: 'Founders day' },
      { intent: 'remove-holiday', day: '2033-03-03' },
      { intent: 'add-holiday', day: '2033-03-04', name: 'Founders day' },
      { intent: 'remove-holiday', day: '2033-03-04' },
    ]
    for (const form of changes) {
      expect((await postSettings(admin.id, form)).status).toBe(302)
    }
    expect(await drainQueue(recomputeSlaJob)).toEqual({ completed: 1, failed: 0 })
  })

  test('invalid targets and business hours are 400s with the error beside the field, and change nothing', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const before = await (await loadSettings(admin.id)).json()

    const badMinutes = await postSettings(admin.id, { ...policyForm(before.policies), 'medium.firstResponseMinutes': '0' })
    expect(badMinutes.status).toBe(400)
    const badMinutesData = await badMinutes.json()
    expect(badMinutesData.intent).toBe('policies')
    expect(badMinutesData.result.error['medium.firstResponseMinutes']).toEqual(['The first response target must be at least 1 minute.'])
    const notNumber = await postSettings(admin.id, { ...policyForm(before.policies), 'high.resolutionMinutes': 'soon' })
    expect(notNumber.status).toBe(400)
    expect((await notNumber.json()).result.error['high.resolutionMinutes']).toEqual(['Enter the resolution target in minutes.'])

    const week = { intent: 'week', timeZone: 'Europe/Berlin', opensAt: '08:00', closesAt: '17:00', weekdays: '1' }
    const badZone = await postSettings(admin.id, { ...week, timeZone: 'Mars/Olympus_Mons' })
    expect(badZone.status).toBe(400)
    expect((await badZone.json()).result.error.timeZone).toEqual(['Use a time zone name such as America/Los_Angeles.'])
    const backwards = await postSettings(admin.id, { ...week, opensAt: '17:00', closesAt: '08:00' })
    expect(backwards.status).toBe(400)
    expect((await backwards.json()).result.error.closesAt).toEqual(['Closing time must be after opening time.'])

    const after = await (await loadSettings(admin.id)).json()
    expect(after.policies).toEqual(before.policies)
    expect(after.calendar).toEqual(before.calendar)
  })

  test('an admin adds a holiday once and removes it', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const holidays = async () => (await (await loadSettings(admin.id)).json()).holidays as { day: string; name: string }[]
    const added = await postSettings(admin.id, { intent: 'add-holiday', day: '2031-12-24', name: 'Christmas Eve' })
    expect(added.status).toBe(302)
    expect(await holidays()).toContainEqual({ day: '2031-12-24', name: 'Christmas Eve' })

    const twice = await postSettings(admin.id, { intent: 'add-holiday', day: '2031-12-24', name: 'Again' })
    expect(twice.status).toBe(400)
    expect((await twice.json()).result.error.day).toEqual(['2031-12-24 is already a holiday.'])
    expect((await holidays()).filter((h) => h.day === '2031-12-24')).toEqual([{ day: '2031-12-24', name: 'Christmas Eve' }])

    expect((await postSettings(admin.id, { intent: 'remove-holiday', day: '2031-12-24' })).status).toBe(302)
    expect((await holidays()).map((h) => h.day)).not.toContain('2031-12-24')
  })
})

describe('/admin/outbox', () => {
  test('only admins read it; without SMTP_URL it holds the mail that was sent', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const member = await createTestUser()
    const loadOutbox = async (userId: number) => responseOf(async () => adminOutbox.loader(await routeArgs({ path: '/admin/outbox', userId })))
    expect((await loadOutbox(agent.id)).status).toBe(403)
    expect((await loadOutbox(member.id)).status).toBe(403)

    const number = await openTicket(member.id, { subject: 'Where is my mail?' })
    const subject = `Received: [#${number}] Where is my mail?`
    const before = await (await loadOutbox(admin.id)).json()
    expect(before.mails.map((m: { subject: string }) => m.subject)).not.toContain(subject)

    await drainQueue(sendMailJob)
    const res = await loadOutbox(admin.id)
    expect(res.status).toBe(200)
    const kept = (await res.json()).mails.find((m: { subject: string }) => m.subject === subject)
    expect(kept).toMatchObject({ to: member.email, subject })
    expect(kept.text).toContain(`/tickets/${number}`)
  })
})

describe('/staff/sla', () => {
  test('agents see compliance per priority, daily compliance and satisfaction; members may not', async () => {
    const member = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const staff = { id: agent.id, role: 'agent' as const, username: agent.username }
    const report = async (userId: number) => responseOf(async () => staffSla.loader(await routeArgs({ path: '/staff/sla', userId })))
    expect((await report(member.id)).status).toBe(403)

    const base = await (await report(agent.id)).json()
    const criticalRow = (data: { last7: { priority: string; solved: number; met: number }[] }) => data.last7.find((r) => r.priority === 'critical') ?? { solved: 0, met: 0 }

    // Answered and solved at once: every target met.
    const quick = await openTicket(member.id, { priority: 'critical', subject: 'Quick fix' })
    await addTicketMessage({ number: quick, author: staff, bodySource: 'Fixed: the cache was stale.', statusAfter: 'solved' })
    // The customer has waited two days: both the first response and the resolution are missed.
    const slow = await openTicket(member.id, { priority: 'critical', subject: 'Slow fix' })
    await backdate(slow, 2 * DAY)
    await changeTicketStatus({ number: slow, staff, status: 'solved' })

    const res = await report(agent.id)
    expect(res.status).toBe(200)
    const after = await res.json()
    expect(criticalRow(after).solved).toBe(criticalRow(base).solved + 2)
    expect(criticalRow(after).met).toBe(criticalRow(base).met + 1)
    expect(after.days).toHaveLength(30)
    const today = after.days.at(-1)
    expect(today.day).toBe(new Date().toISOString().slice(0, 10))
    expect(today.solved).toBeGreaterThanOrEqual(2)

    expect(await rateTicket({ number: quick, by: { requesterId: member.id }, score: 2, comment: 'Fast, but rude.' })).toEqual({ ok: true })
    const rated = await (await report(agent.id)).json()
    const count = base.ratings.count7 as number
    expect(rated.ratings.count7).toBe(count + 1)
    expect(rated.ratings.average7).toBeCloseTo(((base.ratings.average7 ?? 0) * count + 2) / (count + 1), 5)
    expect(rated.ratings.recent[0]).toEqual({ number: quick, score: 2, comment: 'Fast, but rude.' })
  })
})
