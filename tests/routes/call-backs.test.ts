import { eq } from 'drizzle-orm'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { ticketCallBacks, tickets } from '#db/schema/index'
import { checkCallBack, completeCallBack, listCallBacks, normalisePhone } from '~/tickets/call-backs.server'
import { createTicket } from '~/tickets/open.server'
import { listTicketQueue } from '~/tickets/queue.server'
import { getSlaSettings } from '~/tickets/sla-settings.server'
import { DEFAULT_BUSINESS_CALENDAR } from '~/tickets/sla/calendar'
import * as newTicket from '~/routes/tickets.new'
import * as ticketPage from '~/routes/tickets.$number'
import * as ticketList from '~/routes/tickets._index'
import { createTestUser, responseOf, routeArgs } from '../factories'

const savedSmtp = process.env.SMTP_URL
beforeAll(() => void delete process.env.SMTP_URL)
afterAll(() => {
  if (savedSmtp !== undefined) process.env.SMTP_URL = savedSmtp
})

const form = (fields: Record<string, string>) => {
  const data = new FormData()
  for (const [k, v] of Object.entries(fields)) data.set(k, v)
  return data
}

// Monday 7 December 2026, 08:00 in Los Angeles (the default calendar: Mon–Fri 09:00–18:00 there).
const monday = DateTime.fromISO('2026-12-07T08:00', { zone: 'America/Los_Angeles' }).toJSDate()
const check = (fields: Record<string, string>, { isPremium = true, priority = 'critical', timeZone = 'Europe/London' } = {}) =>
  checkCallBack({ formData: form(fields), user: { isPremium }, priority, timeZone, calendar: DEFAULT_BUSINESS_CALENDAR, now: monday })

describe('call-back requests (pure rules)', () => {
  test('phone numbers: country code required, separators dropped', () => {
    expect(normalisePhone('+44 20 7946 0958')).toBe('+442079460958')
    expect(normalisePhone('0044 (20) 7946-0958')).toBe('+442079460958')
    expect(normalisePhone('+1 415.555.0100')).toBe('+14155550100')
    for (const bad of ['020 7946 0958', '+0 123 456 789', '+12', 'call me', '+44 20 7946 0958 ext 3', '+1234567890123456']) expect(normalisePhone(bad), bad).toBeNull()
  })

  test('nothing filled in is no call back; anything filled in must be whole', () => {
    expect(check({})).toEqual({ status: 'none' })
    expect(check({ callBackPhone: '', callBackDate: '', callBackFrom: '', callBackTo: '' })).toEqual({ status: 'none' })
    const partial = check({ callBackPhone: '+44 20 7946 0958' })
    expect(partial.status).toBe('invalid')
    if (partial.status === 'invalid') expect(Object.keys(partial.fieldErrors).sort()).toEqual(['callBackDate', 'callBackFrom', 'callBackTo'])
    const badPhone = check({ callBackPhone: '020 7946', callBackDate: '2026-12-07', callBackFrom: '17:30', callBackTo: '18:00' })
    expect(badPhone).toMatchObject({ status: 'invalid', fieldErrors: { callBackPhone: ['Enter the number with its country code, such as +44 20 7946 0958.'] } })
  })

  test('the window is read in the member’s zone and must be future, in business hours, at least 15 minutes', () => {
    const phone = '+44 20 7946 0958'
    // 17:30–18:30 London is 09:30–10:30 in Los Angeles: open.
    const ok = check({ callBackPhone: phone, callBackDate: '2026-12-07', callBackFrom: '17:30', callBackTo: '18:30' })
    expect(ok).toEqual({
      status: 'ok',
      request: { phone: '+442079460958', windowStartsAt: new Date('2026-12-07T17:30:00Z'), windowEndsAt: new Date('2026-12-07T18:30:00Z'), timeZone: 'Europe/London' },
    })
    const errorOf = (fields: Record<string, string>) => {
      const result = check({ callBackPhone: phone, ...fields })
      return result.status === 'invalid' ? result.fieldErrors : result
    }
    // 10:00 London is 02:00 in Los Angeles: closed.
    expect(errorOf({ callBackDate: '2026-12-08', callBackFrom: '10:00', callBackTo: '11:00' })).toEqual({ callBackFrom: ['Choose a window within our business hours: Mon–Fri 09:00–18:00 (America/Los Angeles).'] })
    // Saturday.
    expect(errorOf({ callBackDate: '2026-12-12', callBackFrom: '18:00', callBackTo: '19:00' })).toHaveProperty('callBackFrom')
    // The past (an hour ago in London).
    expect(errorOf({ callBackDate: '2026-12-07', callBackFrom: '15:00', callBackTo: '16:00' })).toEqual({ callBackFrom: ['Choose a time in the future.'] })
    expect(errorOf({ callBackDate: '2026-12-08', callBackFrom: '18:00', callBackTo: '17:30' })).toEqual({ callBackTo: ['The end of the window must be after its start.'] })
    expect(errorOf({ callBackDate: '2026-12-08', callBackFrom: '18:00', callBackTo: '18:10' })).toEqual({ callBackTo: ['Give us a window of at least 15 minutes.'] })
    expect(errorOf({ callBackDate: '2027-01-29', callBackFrom: '18:00', callBackTo: '19:00' })).toEqual({ callBackDate: ['Choose a day within the next 14 days.'] })
    expect(errorOf({ callBackDate: '7/12/2026', callBackFrom: '25:00', callBackTo: 'soon' })).toEqual({
      callBackDate: ['Choose the day to call.'],
      callBackFrom: ['Enter a start time such as 10:00.'],
      callBackTo: ['Enter an end time such as 11:30.'],
    })
  })

  test('only premium members, only on critical requests', () => {
    const fields = { callBackPhone: '+44 20 7946 0958', callBackDate: '2026-12-07', callBackFrom: '17:30', callBackTo: '18:30' }
    expect(check(fields, { isPremium: false })).toMatchObject({ status: 'invalid', formErrors: ['Call backs are part of premium support; your request can go ahead without one.'] })
    expect(check(fields, { priority: 'high' })).toMatchObject({ status: 'invalid', fieldErrors: { callBackPhone: [expect.stringContaining('critical requests only')] } })
  })
})

/** A window that is open in the configured calendar: 10:00–11:00 on the next weekday at least two days ahead, in UTC (the zone of a request without a cookie). */
async function openWindow() {
  const { calendar } = await getSlaSettings()
  let day = DateTime.now().setZone(calendar.timeZone).plus({ days: 2 }).startOf('day')
  while (!calendar.weekdays.includes(day.weekday) || calendar.holidays.includes(day.toISODate()!)) day = day.plus({ days: 1 })
  const [h, m] = calendar.opensAt.split(':').map(Number)
  const start = day.set({ hour: h + 1, minute: m }).setZone('UTC')
  const end = start.plus({ hours: 1 })
  return { callBackDate: start.toISODate()!, callBackFrom: start.toFormat('HH:mm'), callBackTo: end.toFormat('HH:mm'), startsAt: start.toJSDate() }
}

const ticketFields = { intent: 'submit', subject: 'Production is down', priority: 'critical', whatHappened: 'Every request to our workspace answers 503 since 09:12 this morning.' }

describe('call backs through the pages', () => {
  test('a premium member asks on a critical request; agents see it in the queue and on the ticket and mark it done', async () => {
    const member = await createTestUser({ isPremium: true })
    const agent = await createTestUser({ role: 'agent', supportTier: 2 })
    const window = await openWindow()
    // The fields are offered to premium members only.
    const page = await newTicket.loader(await routeArgs({ path: '/tickets/new', userId: member.id }))
    expect((await page.json()).callBack).toMatchObject({ timeZone: 'UTC', hours: expect.stringContaining('09:00') })
    const created = await responseOf(async () =>
      newTicket.action(await routeArgs({ path: '/tickets/new', method: 'POST', userId: member.id, form: { ...ticketFields, callBackPhone: '+1 (415) 555-0100', callBackDate: window.callBackDate, callBackFrom: window.callBackFrom, callBackTo: window.callBackTo } })),
    )
    expect(created.status).toBe(302)
    const number = Number(created.headers.get('Location')!.split('/').at(-1))
    const [ticket] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, number))
    const [task] = await listCallBacks({ ticketId: ticket.id })
    expect(task).toMatchObject({ phone: '+14155550100', dueAt: window.startsAt, windowStartsAt: window.startsAt, doneAt: null })

    // The queue's row carries the due time (no extra query: a column of the queue's one query).
    const queue = await listTicketQueue({ viewer: agent, filters: { tier: null } })
    expect(queue.tickets.find((t) => t.number === number)?.callBackDueAt).toEqual(window.startsAt)
    const listPage = await (await ticketList.loader(await routeArgs({ path: '/tickets?tier=all', userId: agent.id }))).json()
    expect(listPage.tickets!.find((t) => t.number === number)!.callBackDueAt).toBe(window.startsAt.toISOString())

    // Both sides see it on the ticket; only the member may ask, only agents may mark it done.
    const agentView = await (await ticketPage.loader(await routeArgs({ path: `/tickets/${number}`, userId: agent.id, params: { number: String(number) } }))).json()
    expect(agentView.callBack.tasks).toHaveLength(1)
    expect(agentView.callBack.canRequest).toBe(false)
    const memberView = await (await ticketPage.loader(await routeArgs({ path: `/tickets/${number}`, userId: member.id, params: { number: String(number) } }))).json()
    expect(memberView.callBack.tasks[0].phone).toBe('+14155550100')
    const byMember = await responseOf(async () => ticketPage.action(await routeArgs({ path: `/tickets/${number}`, method: 'POST', userId: member.id, params: { number: String(number) }, form: { intent: 'call-back-done', callBackId: String(task.id), note: 'Done.' } })))
    expect(byMember.status).toBe(403)

    const noNote = await responseOf(async () => ticketPage.action(await routeArgs({ path: `/tickets/${number}`, method: 'POST', userId: agent.id, params: { number: String(number) }, form: { intent: 'call-back-done', callBackId: String(task.id), note: '' } })))
    expect(noNote.status).toBe(400)
    expect((await noNote.json()).result.error.note).toEqual(['Say how the call went.'])
    const done = await responseOf(async () =>
      ticketPage.action(await routeArgs({ path: `/tickets/${number}`, method: 'POST', userId: agent.id, params: { number: String(number) }, form: { intent: 'call-back-done', callBackId: String(task.id), note: 'Called; restarted their gateway together.' } })),
    )
    expect(done.status).toBe(302)
    expect((await listCallBacks({ ticketId: ticket.id }))[0]).toMatchObject({ doneByUsername: agent.username, doneNote: 'Called; restarted their gateway together.' })
    expect((await listTicketQueue({ viewer: agent, filters: { tier: null } })).tickets.find((t) => t.number === number)?.callBackDueAt).toBeNull()
    // Once only.
    expect(await completeCallBack({ number, callBackId: task.id, staff: agent, note: 'Again' })).toEqual({ ok: false, reason: 'invalid' })

    // With the first one done, the member may ask again from the ticket page; a second open one is refused.
    const again = { intent: 'call-back-request', callBackPhone: '+14155550100', callBackDate: window.callBackDate, callBackFrom: window.callBackFrom, callBackTo: window.callBackTo }
    const asked = await responseOf(async () => ticketPage.action(await routeArgs({ path: `/tickets/${number}`, method: 'POST', userId: member.id, params: { number: String(number) }, form: again })))
    expect(asked.status).toBe(302)
    const twice = await responseOf(async () => ticketPage.action(await routeArgs({ path: `/tickets/${number}`, method: 'POST', userId: member.id, params: { number: String(number) }, form: again })))
    expect(twice.status).toBe(400)
    expect(await db.select({ id: ticketCallBacks.id }).from(ticketCallBacks).where(eq(ticketCallBacks.ticketId, ticket.id))).toHaveLength(2)
  })

  test('a member without premium never sees the fields, and a forged request is refused with nothing stored', async () => {
    const member = await createTestUser()
    const window = await openWindow()
    const page = await newTicket.loader(await routeArgs({ path: '/tickets/new', userId: member.id }))
    expect((await page.json()).callBack).toBeNull()
    const before = await db.select({ id: tickets.id }).from(tickets)
    const forged = await responseOf(async () =>
      newTicket.action(await routeArgs({ path: '/tickets/new', method: 'POST', userId: member.id, form: { ...ticketFields, callBackPhone: '+14155550100', callBackDate: window.callBackDate, callBackFrom: window.callBackFrom, callBackTo: window.callBackTo } })),
    )
    expect(forged.status).toBe(400)
    expect((await forged.json()).result.error['']).toEqual(['Call backs are part of premium support; your request can go ahead without one.'])
    expect(await db.select({ id: tickets.id }).from(tickets)).toHaveLength(before.length)
    // On the ticket page too.
    const number = (await createTicket({ requesterId: member.id, subject: 'Down again', priority: 'critical', details: { whatHappened: 'x'.repeat(30), stepsTried: '', environment: '', accountDetails: '' } })).number
    const view = await (await ticketPage.loader(await routeArgs({ path: `/tickets/${number}`, userId: member.id, params: { number: String(number) } }))).json()
    expect(view.callBack.canRequest).toBe(false)
    const forgedOnPage = await responseOf(async () =>
      ticketPage.action(await routeArgs({ path: `/tickets/${number}`, method: 'POST', userId: member.id, params: { number: String(number) }, form: { intent: 'call-back-request', callBackPhone: '+14155550100', callBackDate: window.callBackDate, callBackFrom: window.callBackFrom, callBackTo: window.callBackTo } })),
    )
    expect(forgedOnPage.status).toBe(400)
    const [ticket] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, number))
    expect(await db.select({ id: ticketCallBacks.id }).from(ticketCallBacks).where(eq(ticketCallBacks.ticketId, ticket.id))).toHaveLength(0)
  })

  test('a premium member’s bad phone number on a critical request: 400 beside the field, no ticket', async () => {
    const member = await createTestUser({ isPremium: true })
    const window = await openWindow()
    const before = await db.select({ id: tickets.id }).from(tickets)
    const response = await responseOf(async () =>
      newTicket.action(await routeArgs({ path: '/tickets/new', method: 'POST', userId: member.id, form: { ...ticketFields, callBackPhone: '555-0100', callBackDate: window.callBackDate, callBackFrom: window.callBackFrom, callBackTo: window.callBackTo } })),
    )
    expect(response.status).toBe(400)
    expect((await response.json()).result.error.callBackPhone).toEqual(['Enter the number with its country code, such as +44 20 7946 0958.'])
    expect(await db.select({ id: tickets.id }).from(tickets)).toHaveLength(before.length)
  })
})
