import { count, eq, like, or, sql } from 'drizzle-orm'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { db } from '#db/client.server'
import { accountTokens, answers, chatMessages, conflictMessages, questions, rateLimitHits, rateLimitRules, reports, reviewItems, ticketMessages, tickets, users } from '#db/schema/index'
import { createTicket } from '~/tickets/open.server'
import * as adminRateLimits from '~/routes/admin.rate-limits'
import * as conflictCase from '~/routes/conflicts.$id'
import * as forgotPassword from '~/routes/forgot-password'
import * as newConflict from '~/routes/conflicts.new'
import * as login from '~/routes/login'
import * as thread from '~/routes/questions.$id.($slug)'
import * as newQuestion from '~/routes/questions.new'
import * as register from '~/routes/register'
import * as report from '~/routes/report'
import * as settingsAccount from '~/routes/settings.account'
import * as settingsData from '~/routes/settings.data'
import * as ticketPage from '~/routes/tickets.$number'
import * as chatPage from '~/routes/support.chat.$id'
import { updateBusinessWeek } from '~/tickets/sla-settings.server'
import { setAgentAvailability } from '~/tickets/chat/availability.server'
import { startChat } from '~/tickets/chat/chats.server'
import * as newTicket from '~/routes/tickets.new'
import { describeRate, describeWait, rateLimitDefaults, updateRateLimits } from '~/rate-limits/rules.server'
import { categoryId, createTestQuestion, createTestUser, responseOf, routeArgs, uniqueName } from '../factories'

type Form = Record<string, string | string[]>
type RouteFunction = (args: Awaited<ReturnType<typeof routeArgs>>) => Promise<unknown>

const post = async (route: RouteFunction, path: string, userId: number | undefined, form: Form, { params = {}, ip }: { params?: Record<string, string>; ip?: string } = {}) =>
  responseOf(async () => route(await routeArgs({ path, method: 'POST', userId, form, params, ip })))

/** The 429 a refused request gets: the reason above the form, what was typed kept, and Retry-After. */
async function refusal(res: Response) {
  const body = await res.clone().text()
  expect(res.status, body.slice(0, 300)).toBe(429)
  const data = JSON.parse(body)
  return { message: data.result.error[''][0] as string, typed: data.result.initialValue as Record<string, string>, retryAfter: Number(res.headers.get('Retry-After')), data }
}

function expectRedirect(res: Response) {
  expect(res.status, `expected a redirect, got ${res.status}`).toBe(302)
}

/** A member who signed up two days ago and confirmed their address: the plain member limits. */
async function establishedMember() {
  const user = await createTestUser()
  await db.update(users).set({ createdAt: sql`now() - interval '2 days'` }).where(eq(users.id, user.id))
  return user
}

/** As if `seconds` had passed for these counters: their windows opened that much earlier. */
async function letTimePass(seconds: number, ...keyPrefixes: string[]) {
  await db
    .update(rateLimitHits)
    .set({ windowStartAt: sql`${rateLimitHits.windowStartAt} - ${seconds} * interval '1 second'` })
    .where(or(...keyPrefixes.map((p) => like(rateLimitHits.key, `${p}%`))))
}

const questionForm = (title = `Why does the ${uniqueName('gizmo')} keep restarting?`) => ({
  title,
  body: 'It restarts every few minutes since the last update, even when idle.',
  categoryId: '',
  tags: '',
})
async function ask(userId: number, title?: string) {
  return post(newQuestion.action, '/questions/new', userId, { ...questionForm(title), categoryId: String(await categoryId()) })
}
const answer = (questionId: number, userId: number, body = 'Turn off the automatic restart under Settings → Power.') =>
  post(thread.action, `/questions/${questionId}`, userId, { intent: 'answer', body }, { params: { id: String(questionId) } })

const countOf = async (table: typeof questions | typeof answers, authorId: number) =>
  (await db.select({ n: count() }).from(table).where(eq(table.authorId, authorId)))[0].n

afterEach(async () => {
  await db.delete(rateLimitRules)
})

describe('posting questions and answers', () => {
  test('a member can post once every 5 seconds, counting questions and answers together; the refused answer is not saved', async () => {
    const member = await establishedMember()
    const other = await createTestQuestion({ authorId: (await createTestUser()).id })
    expectRedirect(await ask(member.id))

    const res = await answer(other.id, member.id, 'My long answer that must not be lost when I am refused.')
    const { message, typed, retryAfter } = await refusal(res)
    expect(message).toBe('You’re posting too fast. Members can post once every 5 seconds; try again in 5 seconds.')
    expect(retryAfter).toBe(5)
    expect(typed.body).toBe('My long answer that must not be lost when I am refused.')
    expect(await countOf(answers, member.id)).toBe(0)

    await letTimePass(5, `post-member:user:${member.id}`)
    expectRedirect(await answer(other.id, member.id))
    expect(await countOf(answers, member.id)).toBe(1)
  })

  test('a new member (first 24 hours) waits 30 seconds between posts', async () => {
    const newcomer = await createTestUser()
    expectRedirect(await ask(newcomer.id))
    await letTimePass(12, `post-`)
    const { message, typed, retryAfter } = await refusal(await ask(newcomer.id, 'My second question, typed in full'))
    expect(message).toBe('You’re posting too fast. New members can post once every 30 seconds; try again in 18 seconds.')
    expect(retryAfter).toBe(18)
    expect(typed.title).toBe('My second question, typed in full')
    expect(await countOf(questions, newcomer.id)).toBe(1)
    await letTimePass(18, `post-`)
    expectRedirect(await ask(newcomer.id))
  })

  test('an account whose address is not confirmed can still ask and answer, once a minute and 10 times a day', async () => {
    const unverified = await createTestUser({ emailVerified: false })
    await db.update(users).set({ createdAt: sql`now() - interval '2 days'` }).where(eq(users.id, unverified.id))
    const question = await createTestQuestion({ authorId: (await createTestUser()).id })

    expectRedirect(await ask(unverified.id))
    await letTimePass(30, 'post-member:', 'post-unverified:')
    const tooSoon = await refusal(await answer(question.id, unverified.id))
    expect(tooSoon.message).toBe('You’re posting too fast. Until you confirm your email address, you can post once a minute; try again in 30 seconds.')

    for (let i = 2; i <= 10; i++) {
      await letTimePass(60, 'post-member:', 'post-unverified:')
      expectRedirect(await answer(question.id, unverified.id, `Answer number ${i}: try this and that.`))
    }
    await letTimePass(60, 'post-member:', 'post-unverified:')
    const capped = await refusal(await answer(question.id, unverified.id))
    expect(capped.message).toMatch(/^You have reached today’s limit\. Until you confirm your email address, you can post 10 times a day; try again in (23|24) hours\.$/)
    expect(await countOf(answers, unverified.id)).toBe(9)
  })

  test('staff are exempt from the posting limits', async () => {
    const question = await createTestQuestion({ authorId: (await createTestUser()).id })
    for (const role of ['moderator', 'agent', 'admin'] as const) {
      const staff = await createTestUser({ role, supportTier: role === 'agent' ? 1 : undefined })
      for (let i = 0; i < 3; i++) expectRedirect(await answer(question.id, staff.id, `Staff answer ${i} from a ${role}.`))
    }
  })

  test('a member can ask 20 questions a day', async () => {
    const member = await establishedMember()
    for (let i = 0; i < 20; i++) {
      expectRedirect(await ask(member.id))
      await letTimePass(5, 'post-member:')
    }
    const { message } = await refusal(await ask(member.id))
    expect(message).toMatch(/^You have asked as many questions as one member can today\. Each member can ask 20 questions a day; try again in 24 hours\.$/)
    expect(await countOf(questions, member.id)).toBe(20)
  })
})

describe('limits hold across server processes', () => {
  test('the count lives in the database: a freshly loaded copy of every module still refuses', async () => {
    const member = await establishedMember()
    expectRedirect(await ask(member.id))
    expect(await db.select({ hits: rateLimitHits.hits }).from(rateLimitHits).where(eq(rateLimitHits.key, `post-member:user:${member.id}`))).toEqual([{ hits: 1 }])

    // A second "process": no module state survives, only the database is shared.
    vi.resetModules()
    const otherProcess = (await import('~/routes/questions.new')) as typeof newQuestion
    expect(otherProcess).not.toBe(newQuestion)
    const res = await responseOf(async () =>
      otherProcess.action(await routeArgs({ path: '/questions/new', method: 'POST', userId: member.id, form: { ...questionForm(), categoryId: String(await categoryId()) } })),
    )
    expect((await refusal(res)).message).toMatch(/^You’re posting too fast\. Members can post once every 5 seconds/)
    expect(await countOf(questions, member.id)).toBe(1)
  })
})

describe('sign-up, log-in and mail-sending actions', () => {
  const registration = (username = uniqueName('signup')) => ({ username, email: `${username}@example.test`, password: 'plum-harbour-lantern-42', confirmPassword: 'plum-harbour-lantern-42' })

  test('one network address can sign up 5 times an hour; the 6th is refused and no account is made', async () => {
    const ip = '198.51.100.150'
    for (let i = 0; i < 5; i++) expectRedirect(await post(register.action, '/register', undefined, registration(), { ip }))
    const sixth = registration()
    const { message, typed } = await refusal(await post(register.action, '/register', undefined, sixth, { ip }))
    expect(message).toBe('Too many accounts were created from your network. One network address can sign up 5 times an hour; try again in 60 minutes.')
    expect(typed.username).toBe(sixth.username)
    expect(typed).not.toHaveProperty('password')
    expect(typed).not.toHaveProperty('confirmPassword')
    expect(await db.select({ id: users.id }).from(users).where(eq(users.username, sixth.username))).toEqual([])
    expectRedirect(await post(register.action, '/register', undefined, registration(), { ip: '198.51.100.151' }))
  })

  test('password resets: 6 requests an hour from one network address, 3 reset mails an hour to one address', async () => {
    const ask = (email: string, ip: string) => post(forgotPassword.action, '/forgot-password', undefined, { email }, { ip })
    const tokenIds = async (userId: number) => (await db.select({ id: accountTokens.id }).from(accountTokens).where(eq(accountTokens.userId, userId))).map((t) => t.id)

    const member = await createTestUser()
    for (let i = 0; i < 3; i++) expectRedirect(await ask(member.email, `198.51.100.${170 + i}`))
    const before = await tokenIds(member.id)
    const perAddress = await refusal(await ask(member.email.toUpperCase(), '198.51.100.173'))
    expect(perAddress.message).toBe('Too many password-reset requests for this address. We send at most 3 reset links an hour to one address; try again in 60 minutes.')
    expect(await tokenIds(member.id)).toEqual(before)

    // Unknown addresses count too, so the limit does not tell which addresses have accounts.
    const ip = '198.51.100.180'
    for (let i = 0; i < 6; i++) expectRedirect(await ask(`${uniqueName('nobody')}@example.test`, ip))
    const perNetwork = await refusal(await ask(`${uniqueName('nobody')}@example.test`, ip))
    expect(perNetwork.message).toBe('Too many password-reset requests from your network. One network address can ask 6 times an hour; try again in 60 minutes.')
  })

  test('a member is sent at most 3 confirmation mails an hour, by resending or changing their address', async () => {
    const member = await createTestUser({ emailVerified: false })
    const account = (form: Form) => post(settingsAccount.action, '/settings/account', member.id, form)
    expectRedirect(await account({ intent: 'resend-verification' }))
    expectRedirect(await account({ intent: 'resend-verification' }))
    expectRedirect(await account({ intent: 'change-email', email: `${uniqueName('moved')}@example.test`, currentPassword: member.password }))
    const before = await db.select({ email: users.email }).from(users).where(eq(users.id, member.id))
    const change = await refusal(await account({ intent: 'change-email', email: `${uniqueName('again')}@example.test`, currentPassword: member.password }))
    expect(change.message).toBe('We have sent several confirmation mails already. We send at most 3 confirmation mails an hour to one account; try again in 60 minutes.')
    expect(change.typed).not.toHaveProperty('currentPassword')
    expect(await db.select({ email: users.email }).from(users).where(eq(users.id, member.id))).toEqual(before)
    const resend = await account({ intent: 'resend-verification' })
    expect(resend.status).toBe(429)
    expect((await resend.json()).message).toMatch(/^We have sent several confirmation mails already/)
  })

  test('the current password can be tried 5 times in 15 minutes, across every form that asks for it, by staff too', async () => {
    const moderator = await createTestUser({ role: 'moderator' })
    const account = (form: Form) => post(settingsAccount.action, '/settings/account', moderator.id, form)
    const data = (form: Form) => post(settingsData.action, '/settings/data', moderator.id, form)
    const newPassword = 'quiet-meadow-compass-77'
    expect((await account({ intent: 'change-password', currentPassword: 'guess-1-guess', newPassword, confirmPassword: newPassword })).status).toBe(400)
    expect((await account({ intent: 'change-email', email: `${uniqueName('guess')}@example.test`, currentPassword: 'guess-2-guess' })).status).toBe(400)
    expect((await data({ intent: 'deactivate', password: 'guess-3-guess' })).status).toBe(400)
    expect((await data({ intent: 'delete', password: 'guess-4-guess', confirmUsername: moderator.username })).status).toBe(400)
    expect((await data({ intent: 'deactivate', password: 'guess-5-guess' })).status).toBe(400)

    // The sixth try is refused before the password is looked at, even the right one.
    const refused = await refusal(await data({ intent: 'deactivate', password: moderator.password }))
    expect(refused.message).toBe('Too many tries with your current password. You can try 5 times every 15 minutes; try again in 15 minutes.')
    expect(refused.data.intent).toBe('deactivate')
    expect(refused.typed).not.toHaveProperty('password')
    const [row] = await db.select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, moderator.id))
    expect(row.deactivatedAt).toBeNull()
    expect((await account({ intent: 'change-password', currentPassword: moderator.password, newPassword, confirmPassword: newPassword })).status).toBe(429)
    expect((await account({ intent: 'change-email', email: `${uniqueName('late')}@example.test`, currentPassword: moderator.password })).status).toBe(429)

    await letTimePass(15 * 60, 'current-password:')
    expectRedirect(await account({ intent: 'change-password', currentPassword: moderator.password, newPassword, confirmPassword: newPassword }))
  })

  test('the log-in limits are rules an admin can change', async () => {
    const admin = await createTestUser({ role: 'admin' })
    await updateRateLimits({ settings: { 'login-ip-minute': { maxHits: 2, windowSeconds: 60 } }, adminId: admin.id })
    const ip = '198.51.100.160'
    const attempt = () => post(login.action, '/login', undefined, { identifier: 'nobody-at-all', password: 'wrong-wrong-wrong' }, { ip })
    expect((await attempt()).status).toBe(400)
    expect((await attempt()).status).toBe(400)
    const res = await attempt()
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect((await res.json()).message).toMatch(/^Too many sign-in attempts/)
  })

  test('a member can send 20 reports a day', async () => {
    const reporter = await establishedMember()
    const author = await createTestUser()
    const targets = await Promise.all(Array.from({ length: 21 }, () => createTestQuestion({ authorId: author.id })))
    for (const q of targets.slice(0, 20)) expectRedirect(await post(report.action, `/report?target=question:${q.id}`, reporter.id, { reason: 'spam' }))
    const { message, typed } = await refusal(await post(report.action, `/report?target=question:${targets[20].id}`, reporter.id, { reason: 'other', note: 'Looks like an advert to me.' }))
    expect(message).toBe('You have sent as many reports as one member can today. Each member can send 20 reports a day; try again in 24 hours.')
    expect(typed.note).toBe('Looks like an advert to me.')
    expect((await db.select({ n: count() }).from(reports).where(eq(reports.reporterId, reporter.id)))[0].n).toBe(20)
  })

  test('a member can open 5 support requests an hour', async () => {
    const member = await establishedMember()
    const ticketForm = (subject: string) => ({ subject, priority: 'medium', whatHappened: 'The export button does nothing when I click it, in any browser.' })
    for (let i = 0; i < 5; i++) expectRedirect(await post(newTicket.action, '/tickets/new', member.id, ticketForm(`Export broken, take ${i}`)))
    const { message, typed } = await refusal(await post(newTicket.action, '/tickets/new', member.id, ticketForm('Export broken, take 6')))
    expect(message).toBe('You’re opening support requests too fast. Each member can open 5 requests an hour; try again in 60 minutes.')
    expect(typed.subject).toBe('Export broken, take 6')
    expect((await db.select({ n: count() }).from(tickets).where(eq(tickets.requesterId, member.id)))[0].n).toBe(5)
  })

  test('a member can send 20 replies an hour on their requests; agents are not limited', async () => {
    const member = await establishedMember()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const ticket = await createTicket({ requesterId: member.id, subject: 'Cannot sync', priority: 'medium', details: { whatHappened: 'Sync fails with an error every time I try it.', stepsTried: '', environment: '', accountDetails: '' } })
    const reply = (userId: number, body: string) => post(ticketPage.action, `/tickets/${ticket.number}`, userId, { intent: 'reply', body }, { params: { number: String(ticket.number) } })
    const messages = async () => (await db.select({ n: count() }).from(ticketMessages).where(eq(ticketMessages.authorId, member.id)))[0].n
    for (let i = 0; i < 20; i++) expectRedirect(await reply(member.id, `More details, part ${i}.`))
    const before = await messages()
    const { message, data } = await refusal(await reply(member.id, 'Part 21.'))
    expect(message).toBe('You’re replying too fast. Each member can send 20 replies an hour on their support requests; try again in 60 minutes.')
    expect(data.intent).toBe('reply')
    expect(await messages()).toBe(before)
    for (let i = 0; i < 3; i++) expectRedirect(await reply(agent.id, `Agent reply ${i}.`))
  })

  test('a member can send 30 chat messages a minute; the refused one is not saved', async () => {
    await updateBusinessWeek({ timeZone: 'UTC', weekdays: [1, 2, 3, 4, 5, 6, 7], opensAt: '00:00', closesAt: '24:00' })
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    await setAgentAvailability({ agentId: agent.id, available: true, capacity: 2 })
    const member = await establishedMember()
    const started = await startChat({ memberId: member.id, body: 'My invoices page is empty.' })
    if (!started.ok) throw new Error(`chat not started: ${started.reason}`)
    const send = (userId: number, body: string) => post(chatPage.action, `/support/chat/${started.chatId}`, userId, { intent: 'message', body }, { params: { id: String(started.chatId) } })
    const messages = async () => (await db.select({ n: count() }).from(chatMessages).where(eq(chatMessages.authorId, member.id)))[0].n
    for (let i = 0; i < 30; i++) expect((await send(member.id, `More detail, part ${i}.`)).status).toBe(303)
    const before = await messages()
    const { message, data, retryAfter } = await refusal(await send(member.id, 'Part 31.'))
    expect(message).toMatch(/^You’re sending messages too fast\. Each member can send 30 messages a minute in a chat; try again in \d+ seconds?\.$/)
    expect(data.intent).toBe('message')
    expect(retryAfter).toBeGreaterThan(0)
    expect(await messages()).toBe(before)
  })

  test('a member can open 3 conflict cases an hour and send 20 messages an hour in them', async () => {
    const member = await establishedMember()
    const others = await Promise.all(Array.from({ length: 4 }, () => createTestUser()))
    const open = (username: string) => post(newConflict.action, '/conflicts/new', member.id, { username, description: 'They reply to everything I post with insults and mockery.' })
    for (const other of others.slice(0, 3)) expectRedirect(await open(other.username))
    const refused = await refusal(await open(others[3].username))
    expect(refused.message).toBe('You’re opening conflict cases too fast. Each member can open 3 cases an hour; try again in 60 minutes.')
    const opened = await db.select({ id: reviewItems.id }).from(reviewItems).where(eq(reviewItems.openedById, member.id))
    expect(opened).toHaveLength(3)

    const id = String(opened[0].id)
    const messages = async () => (await db.select({ n: count() }).from(conflictMessages).where(eq(conflictMessages.authorId, member.id)))[0].n
    for (let i = 0; i < 20; i++) expectRedirect(await post(conflictCase.action, `/conflicts/${id}`, member.id, { body: `Another example, number ${i}.` }, { params: { id } }))
    const before = await messages()
    const tooMany = await refusal(await post(conflictCase.action, `/conflicts/${id}`, member.id, { body: 'And one more.' }, { params: { id } }))
    expect(tooMany.message).toBe('You’re sending messages too fast. Each member can send 20 messages an hour in conflict cases; try again in 60 minutes.')
    expect(await messages()).toBe(before)
  })
})

describe('/admin/rate-limits', () => {
  const load = async (userId?: number) => responseOf(async () => adminRateLimits.loader(await routeArgs({ path: '/admin/rate-limits', userId })))
  const save = (userId: number, form: Form) => post(adminRateLimits.action, '/admin/rate-limits', userId, form)
  type Row = { name: string; defaults: { maxHits: number; windowSeconds: number }; current: { maxHits: number; windowSeconds: number }; overridden: boolean; updatedBy: string | null }

  /** The page's form as rendered, with the current values. */
  async function pageForm(adminId: number) {
    const { rules } = (await (await load(adminId)).json()) as { rules: Row[] }
    const form: Form = { intent: 'save' }
    for (const r of rules) {
      form[`${r.name}.maxHits`] = String(r.current.maxHits)
      form[`${r.name}.windowSeconds`] = String(r.current.windowSeconds)
    }
    return { form, rules }
  }

  test('members, moderators and agents get a 403; visitors are sent to log in', async () => {
    for (const role of ['member', 'moderator', 'agent'] as const) {
      const user = await createTestUser({ role, supportTier: role === 'agent' ? 1 : undefined })
      expect((await load(user.id)).status, role).toBe(403)
      expect((await save(user.id, { intent: 'reset', rule: 'post-member' })).status, role).toBe(403)
    }
    expect((await load()).status).toBe(302)
  })

  test('lists every rule with its default; an admin’s change holds at once, and Reset to default undoes it', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const { form, rules } = await pageForm(admin.id)
    expect(rules.find((r) => r.name === 'post-new-member')).toMatchObject({ defaults: { maxHits: 1, windowSeconds: 30 }, current: { maxHits: 1, windowSeconds: 30 }, overridden: false })
    expect(rules.find((r) => r.name === 'login-ip-minute')).toMatchObject({ defaults: { maxHits: 6, windowSeconds: 60 } })
    expect(rules.find((r) => r.name === 'report-day')).toMatchObject({ defaults: { maxHits: 20, windowSeconds: 86400 } })

    const res = await save(admin.id, { ...form, 'post-new-member.windowSeconds': '120' })
    expectRedirect(res)
    expect(res.headers.get('Location')).toBe('/admin/rate-limits?saved=1')
    const after = (await pageForm(admin.id)).rules.find((r) => r.name === 'post-new-member')
    expect(after).toMatchObject({ current: { maxHits: 1, windowSeconds: 120 }, overridden: true, updatedBy: admin.username })
    // Only the changed rule was stored.
    expect(await db.select({ name: rateLimitRules.name }).from(rateLimitRules)).toEqual([{ name: 'post-new-member' }])

    const newcomer = await createTestUser()
    expectRedirect(await ask(newcomer.id))
    expect((await refusal(await ask(newcomer.id))).message).toBe('You’re posting too fast. New members can post once every 2 minutes; try again in 2 minutes.')

    expectRedirect(await save(admin.id, { intent: 'reset', rule: 'post-new-member' }))
    expect((await pageForm(admin.id)).rules.find((r) => r.name === 'post-new-member')).toMatchObject({ current: { maxHits: 1, windowSeconds: 30 }, overridden: false })
    const next = await createTestUser()
    expectRedirect(await ask(next.id))
    expect((await refusal(await ask(next.id))).message).toMatch(/New members can post once every 30 seconds/)
  })

  test('bad values are 400s with the error beside the field, and change nothing', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const { form } = await pageForm(admin.id)
    const res = await save(admin.id, { ...form, 'report-day.maxHits': '0', 'post-member.windowSeconds': '172800', 'signup-ip.maxHits': 'lots', 'ticket-new.maxHits': '2.5', 'post-new-member.windowSeconds': '10' })
    expect(res.status).toBe(400)
    const data = await res.json()
    expect(data.intent).toBe('save')
    expect(data.result.error).toMatchObject({
      'report-day.maxHits': ['Allow at least 1.'],
      'post-member.windowSeconds': ['The window can be at most 86,400 seconds (a day).'],
      'signup-ip.maxHits': ['Enter how many times, as a whole number.'],
      'ticket-new.maxHits': ['Use a whole number.'],
    })
    expect(await db.select().from(rateLimitRules)).toEqual([])

    expect((await save(admin.id, { intent: 'reset', rule: 'no-such-rule' })).status).toBe(400)
    expect((await save(admin.id, { intent: 'something-else' })).status).toBe(400)
  })
})

describe('defaults and wording', () => {
  test('RATE_LIMITS replaces defaults for a deployment, and a wrong one is refused loudly', () => {
    const saved = process.env.RATE_LIMITS
    try {
      process.env.RATE_LIMITS = 'signup-ip=1000/3600, post-new-member=1/5'
      expect(rateLimitDefaults()['signup-ip']).toEqual({ maxHits: 1000, windowSeconds: 3600 })
      expect(rateLimitDefaults()['post-new-member']).toEqual({ maxHits: 1, windowSeconds: 5 })
      expect(rateLimitDefaults()['post-member']).toEqual({ maxHits: 1, windowSeconds: 5 })
      process.env.RATE_LIMITS = 'signup=5/60'
      expect(() => rateLimitDefaults()).toThrow(/unknown rule "signup"/)
      process.env.RATE_LIMITS = 'signup-ip=5'
      expect(() => rateLimitDefaults()).toThrow(/not name=maxHits\/windowSeconds/)
      process.env.RATE_LIMITS = 'signup-ip=5/999999'
      expect(() => rateLimitDefaults()).toThrow(/1–86400 seconds/)
    } finally {
      if (saved === undefined) delete process.env.RATE_LIMITS
      else process.env.RATE_LIMITS = saved
    }
  })

  test('limits and waits read as people say them', () => {
    expect(describeRate({}, { maxHits: 1, windowSeconds: 30 })).toBe('once every 30 seconds')
    expect(describeRate({}, { maxHits: 1, windowSeconds: 60 })).toBe('once a minute')
    expect(describeRate({}, { maxHits: 6, windowSeconds: 60 })).toBe('6 times a minute')
    expect(describeRate({}, { maxHits: 10, windowSeconds: 900 })).toBe('10 times every 15 minutes')
    expect(describeRate({ noun: ['report', 'reports'] }, { maxHits: 20, windowSeconds: 86400 })).toBe('20 reports a day')
    expect(describeRate({ noun: ['question', 'questions'] }, { maxHits: 1, windowSeconds: 3600 })).toBe('one question an hour')
    expect(describeRate({}, { maxHits: 2, windowSeconds: 5400 })).toBe('2 times every 1 hour 30 minutes')
    expect(describeWait(0.2)).toBe('1 second')
    expect(describeWait(12)).toBe('12 seconds')
    expect(describeWait(89)).toBe('89 seconds')
    expect(describeWait(90)).toBe('2 minutes')
    expect(describeWait(3600)).toBe('60 minutes')
    expect(describeWait(86399)).toBe('24 hours')
  })
})
