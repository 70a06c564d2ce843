import { eq, sql } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { ticketEvents, tickets } from '#db/schema/index'
import { addTicketMessage, assignTicket, changeTicketPriority, changeTicketStatus, escalateTicket, requestEscalation } from './changes.server'
import { convertThreadToTicket, createTicket } from './open.server'
import { listTicketQueue } from './queue.server'
import { rateTicket } from './rating.server'
import { getTicket } from './read.server'
import { recomputeSla } from './sla-clock.server'
import { sweepTickets } from './sweep.server'
import { createTestQuestion, createTestUser } from '../../tests/factories'

const details = { whatHappened: 'The export button shows an error every time I press it.', stepsTried: 'Reloaded the page.', environment: 'Firefox 140 on Linux', accountDetails: 'Workspace acme' }

async function people() {
  const requester = await createTestUser()
  const other = await createTestUser()
  const agent = await createTestUser({ role: 'agent', supportTier: 1 })
  const admin = await createTestUser({ role: 'admin' })
  return { requester, other, agent, admin }
}

async function row(number: number) {
  const [ticket] = await db.select().from(tickets).where(eq(tickets.number, number))
  return ticket
}

describe('tickets', () => {
  test('a new ticket gets the next tracking number, the template as its first message, and SLA due times', async () => {
    const { requester } = await people()
    const first = await createTicket({ requesterId: requester.id, subject: 'Export fails', priority: 'high', details })
    const second = await createTicket({ requesterId: requester.id, subject: 'Another one', priority: 'low', details })
    expect(second.number).toBe(first.number + 1)
    const data = await getTicket({ number: first.number, viewer: requester })
    expect(data!.ticket).toMatchObject({ subject: 'Export fails', status: 'open', priority: 'high', source: 'web' })
    expect((await row(first.number)).tier).toBe(1)
    expect(data!.messages[0].bodyHtml).toContain('<strong>What happened</strong>')
    expect(data!.messages[0].bodyHtml).toContain('Firefox 140 on Linux')
    const stored = await row(first.number)
    expect(stored.firstResponseDueAt).toBeInstanceOf(Date)
    expect(stored.resolutionDueAt!.getTime()).toBeGreaterThan(stored.firstResponseDueAt!.getTime())
    expect(stored.nextDueAt).toEqual(stored.firstResponseDueAt)
  })

  test('premium requesters start at tier 2 with targets half as long', async () => {
    const premium = await createTestUser({ isPremium: true })
    const { number } = await createTicket({ requesterId: premium.id, subject: 'Urgent outage', priority: 'critical', details })
    const stored = await row(number)
    expect(stored.tier).toBe(2)
    expect(stored.premium).toBe(true)
    // Critical runs around the clock: 15 minutes halved.
    expect(stored.firstResponseDueAt!.getTime() - stored.slaStartedAt.getTime()).toBe(7.5 * 60_000)
  })

  test('another member cannot see, reply to or rate the ticket; staff can see it', async () => {
    const { requester, other, agent } = await people()
    const { number } = await createTicket({ requesterId: requester.id, subject: 'Private matter', priority: 'medium', details })
    expect(await getTicket({ number, viewer: other })).toBeNull()
    expect(await addTicketMessage({ number, author: other, bodySource: 'let me in' })).toEqual({ ok: false, reason: 'not-found' })
    expect(await requestEscalation({ number, requester: other, reason: 'because I can' })).toEqual({ ok: false, reason: 'not-found' })
    expect(await getTicket({ number, viewer: agent })).not.toBeNull()
  })

  test('internal notes reach staff only and never change what the requester sees', async () => {
    const { requester, agent } = await people()
    const { number } = await createTicket({ requesterId: requester.id, subject: 'Notes test', priority: 'medium', details })
    await addTicketMessage({ number, author: agent, bodySource: 'Customer is on the legacy plan; check billing.', internal: true })
    const forRequester = await getTicket({ number, viewer: requester })
    expect(forRequester!.messages.map((m) => m.bodyHtml).join()).not.toContain('legacy plan')
    const forAgent = await getTicket({ number, viewer: agent })
    expect(forAgent!.messages.some((m) => m.internal && m.bodyHtml.includes('legacy plan'))).toBe(true)
    // A member cannot write one.
    expect(await addTicketMessage({ number, author: requester, bodySource: 'sneaky', internal: true })).toEqual({ ok: false, reason: 'forbidden' })
  })

  test('an agent reply answers the first response; the requester replying to a pending or solved ticket reopens it', async () => {
    const { requester, agent } = await people()
    const { number } = await createTicket({ requesterId: requester.id, subject: 'Reopen test', priority: 'medium', details })
    await addTicketMessage({ number, author: agent, bodySource: 'Could you send a screenshot?', statusAfter: 'pending' })
    let stored = await row(number)
    expect(stored.status).toBe('pending')
    expect(stored.firstResponseAt).toBeInstanceOf(Date)
    // Pending pauses the clock: nothing is due while we wait for the customer.
    expect(stored.nextDueAt).toBeNull()
    await addTicketMessage({ number, author: requester, bodySource: 'Here it is.' })
    stored = await row(number)
    expect(stored.status).toBe('open')
    expect(stored.nextDueAt).toEqual(stored.resolutionDueAt)

    await changeTicketStatus({ number, staff: agent, status: 'solved' })
    expect((await row(number)).solvedAt).toBeInstanceOf(Date)
    await addTicketMessage({ number, author: requester, bodySource: 'Actually it broke again.' })
    stored = await row(number)
    expect(stored.status).toBe('open')
    expect(stored.solvedAt).toBeNull()
    const history = await db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, stored.id))
    expect(history.filter((e) => e.kind === 'status').map((e) => `${e.fromValue}->${e.toValue}`)).toEqual(['open->pending', 'pending->open', 'open->solved', 'solved->open'])
  })

  test('solved tickets close after four days; the requester’s reply within 30 days reopens the ticket and its SLA clock', async () => {
    const { requester, agent } = await people()
    const { number } = await createTicket({ requesterId: requester.id, subject: 'Close me', priority: 'low', details })
    await changeTicketStatus({ number, staff: agent, status: 'solved' })
    const solvedAt = (await row(number)).solvedAt!
    await sweepTickets(new Date(solvedAt.getTime() + 3.9 * 24 * 3600_000))
    expect((await row(number)).status).toBe('solved')
    await sweepTickets(new Date(solvedAt.getTime() + 4 * 24 * 3600_000 + 1000))
    expect((await row(number)).status).toBe('closed')

    // Another ticket, opened 30 days ago and closed (by the sweep) 29 days ago: still inside the window.
    const { number: old } = await createTicket({ requesterId: requester.id, subject: 'Close me', priority: 'low', details })
    await changeTicketStatus({ number: old, staff: agent, status: 'solved' })
    await sweepTickets(new Date(Date.now() + 4 * 24 * 3600_000 + 1000))
    const DAY = 24 * 3600_000
    const { id } = await row(old)
    await db.update(tickets).set({ slaStartedAt: sql`sla_started_at - interval '30 days'`, closedAt: sql`closed_at - interval '33 days'`, solvedAt: sql`solved_at - interval '30 days'` }).where(eq(tickets.id, id))
    await db.execute(sql`update ticket_events set created_at = created_at - case when to_value = 'closed' then interval '33 days' else interval '30 days' end where ticket_id = ${id}`)
    await db.transaction((tx) => recomputeSla(tx, id))
    const closed = await row(old)
    expect(closed).toMatchObject({ status: 'closed', nextDueAt: null, atRiskAt: null })
    expect(Date.now() - closed.closedAt!.getTime()).toBeGreaterThan(28.9 * DAY)
    expect(closed.resolutionDueAt!.getTime()).toBeLessThan(Date.now())
    expect((await getTicket({ number: old, viewer: requester }))!.ticket.replyOpensFollowUp).toBe(false)

    expect(await addTicketMessage({ number: old, author: requester, bodySource: 'It is back.' })).toEqual({ ok: true, number: old, followUp: false })
    const reopened = await row(old)
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, solvedAt: null })
    // The replay resumes the clocks from the history: the ticket is due again, and its closed
    // weeks did not count (the resolution deadline moved from weeks ago to after now).
    expect(reopened.nextDueAt).toBeInstanceOf(Date)
    expect(reopened.resolutionDueAt!.getTime()).toBeGreaterThan(Date.now())
    const history = await db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, reopened.id))
    expect(history.filter((e) => e.kind === 'status').map((e) => `${e.fromValue}->${e.toValue}`)).toEqual(['open->solved', 'solved->closed', 'closed->open'])
    expect(history.at(-1)).toMatchObject({ kind: 'status', actorId: requester.id })
    const page = await getTicket({ number: old, viewer: requester })
    expect(page!.messages.map((m) => m.bodyHtml).join()).toContain('It is back.')
    expect(page!.ticket.followUpNumbers).toEqual([])
  })

  test('a reply to a ticket closed for 30 days or more opens a linked follow-up', async () => {
    const { requester, agent } = await people()
    const { number } = await createTicket({ requesterId: requester.id, subject: 'Close me', priority: 'low', details })
    await changeTicketStatus({ number, staff: agent, status: 'closed' })
    await db.update(tickets).set({ closedAt: new Date(Date.now() - 30 * 24 * 3600_000 - 1000) }).where(eq(tickets.number, number))
    expect((await getTicket({ number, viewer: requester }))!.ticket.replyOpensFollowUp).toBe(true)

    const reply = await addTicketMessage({ number, author: requester, bodySource: 'It is back.' })
    expect(reply).toMatchObject({ ok: true, followUp: true })
    if (!reply.ok) throw new Error('unreachable')
    expect(reply.number).not.toBe(number)
    const followUp = await getTicket({ number: reply.number, viewer: requester })
    expect(followUp!.ticket).toMatchObject({ subject: 'Follow-up: Close me', followUpOfNumber: number, status: 'open' })
    expect((await getTicket({ number, viewer: requester }))!.ticket.followUpNumbers).toEqual([reply.number])
    // The closed ticket itself is unchanged, and staff cannot reopen it.
    expect((await row(number)).status).toBe('closed')
    expect(await changeTicketStatus({ number, staff: agent, status: 'open' })).toEqual({ ok: false, reason: 'invalid' })
    // Nor by a reply that sets the status: the reply is refused and the ticket stays as it was.
    for (const statusAfter of ['open', 'pending', 'solved', null] as const) {
      expect(await addTicketMessage({ number, author: agent, bodySource: 'Reopening this one.', statusAfter })).toEqual({ ok: false, reason: 'invalid' })
    }
    expect((await row(number)).status).toBe('closed')
    expect((await getTicket({ number, viewer: agent }))!.messages).toHaveLength(1)
  })

  test('the sweep alerts every target of a ticket left unanswered, once each, whatever was alerted before', async () => {
    const { requester, agent } = await people()
    const { number } = await createTicket({ requesterId: requester.id, subject: 'Nobody answers', priority: 'critical', details })
    const start = (await row(number)).slaStartedAt.getTime()
    const minutes = (n: number) => new Date(start + n * 60_000)
    // Critical: first response in 15 minutes, resolution in 240 (at risk from 180).
    for (const at of [16, 17, 100, 181, 182, 241, 242]) await sweepTickets(minutes(at))
    const events = (await getTicket({ number, viewer: agent }))!.events
    expect(events.filter((e) => e.kind === 'sla-warning' || e.kind === 'sla-breach').map((e) => [e.kind, e.toValue])).toEqual([
      ['sla-breach', 'first-response'],
      ['sla-warning', 'resolution'],
      ['sla-breach', 'resolution'],
    ])
  })

  test('priority, tier, assignee and escalation requests are events with who and when', async () => {
    const { requester, agent, admin } = await people()
    const { number } = await createTicket({ requesterId: requester.id, subject: 'Events', priority: 'low', details })
    const before = await row(number)
    await changeTicketPriority({ number, staff: agent, priority: 'high' })
    const after = await row(number)
    // A priority change recomputes from the original start with the new, shorter targets.
    expect(after.firstResponseDueAt!.getTime()).toBeLessThan(before.firstResponseDueAt!.getTime())
    expect(await escalateTicket({ number, staff: agent, reason: 'Needs database access' })).toEqual({ ok: true })
    expect(await assignTicket({ number, staff: agent, assigneeId: admin.id })).toEqual({ ok: true })
    expect(await assignTicket({ number, staff: agent, assigneeId: requester.id })).toEqual({ ok: false, reason: 'invalid' })
    expect(await requestEscalation({ number, requester, reason: 'Still broken after a week' })).toEqual({ ok: true })
    expect(await requestEscalation({ number, requester, reason: 'Again please' })).toEqual({ ok: false, reason: 'invalid' })
    const forAgent = (await getTicket({ number, viewer: agent }))!
    expect(forAgent.ticket).toMatchObject({ tier: 2, priority: 'high', assigneeUsername: admin.username, escalationRequestReason: 'Still broken after a week' })
    expect(forAgent.events.map((e) => [e.kind, e.actorUsername])).toEqual([
      ['created', requester.username],
      ['priority', agent.username],
      ['tier', agent.username],
      ['assignee', agent.username],
      ['escalation-requested', requester.username],
    ])
    expect(forAgent.events.find((e) => e.kind === 'tier')!.reason).toBe('Needs database access')
    // The requester sees what changed, but not the team's internal reasons or assignments.
    const forRequester = (await getTicket({ number, viewer: requester }))!
    expect(forRequester.events.map((e) => e.kind)).toEqual(['created', 'priority', 'escalation-requested'])
    expect(JSON.stringify(forRequester)).not.toContain('Needs database access')
    // Members cannot do staff changes.
    expect(await changeTicketPriority({ number, staff: requester, priority: 'low' })).toEqual({ ok: false, reason: 'forbidden' })
  })

  test('converting a thread starts the clock when the question was asked, and only once', async () => {
    const { requester, agent } = await people()
    const question = await createTestQuestion({ authorId: requester.id, title: 'My invoices disappeared from the billing page', body: 'Since yesterday the billing page shows no invoices at all.' })
    const result = await convertThreadToTicket({ questionId: question.id, staffId: agent.id, priority: 'high' })
    expect(result.ok).toBe(true)
    if (!result.ok) throw new Error('unreachable')
    const data = (await getTicket({ number: result.number, viewer: requester }))!
    expect(data.ticket).toMatchObject({ source: 'thread', questionId: question.id, subject: 'My invoices disappeared from the billing page', requesterUsername: requester.username })
    expect(data.messages[0].bodyHtml).toContain('billing page shows no invoices')
    const stored = await row(result.number)
    const [q] = await db.query.questions.findMany({ where: (q, { eq }) => eq(q.id, question.id) })
    expect(stored.slaStartedAt).toEqual(q.createdAt)
    expect(await convertThreadToTicket({ questionId: question.id, staffId: agent.id, priority: 'low' })).toEqual({ ok: false, reason: 'already-converted', number: result.number })
    expect(await convertThreadToTicket({ questionId: 99999999, staffId: agent.id, priority: 'low' })).toEqual({ ok: false, reason: 'not-found' })
  })

  test('the requester rates a solved ticket once, and not before it is solved', async () => {
    const { requester, agent, other } = await people()
    const { number } = await createTicket({ requesterId: requester.id, subject: 'Rate me', priority: 'medium', details })
    expect(await rateTicket({ number, by: { requesterId: requester.id }, score: 5, comment: '' })).toEqual({ ok: false, reason: 'not-solved' })
    await changeTicketStatus({ number, staff: agent, status: 'solved' })
    expect(await rateTicket({ number, by: { requesterId: other.id }, score: 1, comment: '' })).toEqual({ ok: false, reason: 'not-found' })
    expect(await rateTicket({ number, by: { token: 'wrong-token-wrong-token!' }, score: 1, comment: '' })).toEqual({ ok: false, reason: 'not-found' })
    expect(await rateTicket({ number, by: { requesterId: requester.id }, score: 4, comment: 'Quick and kind.' })).toEqual({ ok: true })
    expect(await rateTicket({ number, by: { token: (await row(number)).ratingToken }, score: 1, comment: '' })).toEqual({ ok: false, reason: 'already-rated' })
    expect((await getTicket({ number, viewer: agent }))!.ticket).toMatchObject({ ratingScore: 4, ratingComment: 'Quick and kind.' })
  })

  test('the queue sorts by nearest due time and filters by tier, priority, assignee and SLA state', async () => {
    const { requester, agent } = await people()
    const low = await createTicket({ requesterId: requester.id, subject: 'Queue low', priority: 'low', details })
    const critical = await createTicket({ requesterId: requester.id, subject: 'Queue critical', priority: 'critical', details })
    const high = await createTicket({ requesterId: requester.id, subject: 'Queue high', priority: 'high', details })
    const numbers = (list: { number: number }[]) => list.map((t) => t.number).filter((n) => [low.number, critical.number, high.number].includes(n))
    const queue = await listTicketQueue({ viewer: agent, filters: {} })
    expect(numbers(queue.tickets)[0]).toBe(critical.number)
    expect(numbers((await listTicketQueue({ viewer: agent, filters: { priority: 'low' } })).tickets)).toEqual([low.number])
    await assignTicket({ number: high.number, staff: agent, assigneeId: agent.id })
    expect(numbers((await listTicketQueue({ viewer: agent, filters: { assignee: 'me' } })).tickets)).toEqual([high.number])
    expect(numbers((await listTicketQueue({ viewer: agent, filters: { tier: 2 } })).tickets)).toEqual([])
    // Two hours on, the critical ticket's 15-minute first response is long breached.
    const later = new Date(Date.now() + 2 * 3600_000)
    const breached = await listTicketQueue({ viewer: agent, filters: { sla: 'breached' }, now: later })
    expect(numbers(breached.tickets)).toContain(critical.number)
    expect(breached.tickets.find((t) => t.number === critical.number)!.slaBadge).toBe('breached')
  })
})
