import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { createElement, type ComponentType } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { moderationActions, notificationPreferences, notifications, sessions, ticketCallBacks, tickets, users, watches } from '#db/schema/index'
import { drainQueue, enqueue } from '~/platform/jobs/boss.server'
import { sendMailJob } from '~/platform/mail-jobs.server'
import { searchIndexJob } from '#search/search-jobs.server'
import { deleteAccountsJob } from '~/accounts/jobs.server'
import { deletionFinalAt } from '~/accounts/lifecycle.server'
import { addTicketMessage } from '~/tickets/changes.server'
import { createTicket } from '~/tickets/open.server'
import { blockMember } from '~/moderation/blocks.server'
import { getReviewItem } from '~/moderation/queue.server'
import { decideReport, fileReport } from '~/moderation/report.server'
import * as login from '~/routes/login'
import * as thread from '~/routes/questions.$id.($slug)'
import ThreadPage from '~/routes/questions.$id.($slug)'
import * as dataPage from '~/routes/settings.data'
import * as profile from '~/routes/u.$username'
import { DELETED_MEMBER_NAME } from '~/accounts/rules'
import { authenticate } from '~/platform/auth/auth.server'
import { writeAvatarFile } from '~/accounts/avatar.server'
import { formatDateTime } from '~/platform/dates'
import { renderMarkdown } from '~/platform/markdown.server'
import { useSmtpReceivers } from '../setup/smtp-receivers'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs, sessionCookieFor } from '../factories'

// Mail goes to the outbox table unless a test points SMTP_URL at a receiver; avatars go to a
// directory of this file's own.
const receiver = useSmtpReceivers({ restoreEnv: ['UPLOAD_DIR'] })
// Avatars live in the upload storage (the disk driver here), under avatars/.
let avatarDir: string
beforeAll(async () => {
  avatarDir = await mkdtemp(path.join(tmpdir(), 'parley-avatars-'))
  process.env.UPLOAD_DIR = avatarDir
})
afterAll(async () => {
  // Unset when the setup above failed; that failure is the one to report.
  if (avatarDir) await rm(avatarDir, { recursive: true, force: true })
})

const DAY_MS = 24 * 60 * 60 * 1000
const cookieOf = (res: Response) => res.headers.get('Set-Cookie')?.split(';')[0] ?? null

async function postData(userId: number, form: Record<string, string>) {
  return responseOf(async () => dataPage.action(await routeArgs({ path: '/settings/data', method: 'POST', userId, form })))
}

async function logIn(identifier: string, password: string, { ip = '203.0.113.50', userAgent, redirectTo }: { ip?: string; userAgent?: string; redirectTo?: string } = {}) {
  return responseOf(async () =>
    login.action(
      await routeArgs({
        path: '/login',
        method: 'POST',
        form: { identifier, password, ...(redirectTo ? { redirectTo } : {}) },
        ip,
        headers: userAgent ? { 'User-Agent': userAgent } : {},
      }),
    ),
  )
}

async function profileStatus(username: string, viewerId?: number) {
  return (await responseOf(async () => profile.loader(await routeArgs({ path: `/u/${encodeURIComponent(username)}`, params: { username }, userId: viewerId })))).status
}

const sessionCount = async (userId: number) => (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).length

async function auditActions(userId: number) {
  const rows = await db
    .select({ action: moderationActions.action, reason: moderationActions.reason, moderatorId: moderationActions.moderatorId })
    .from(moderationActions)
    .where(eq(moderationActions.targetUserId, userId))
    .orderBy(moderationActions.id)
  return rows
}

async function userRow(userId: number) {
  const [row] = await db.select().from(users).where(eq(users.id, userId))
  return row
}

/** Runs the daily deletion job as of `now`, the way the worker would. */
async function runDeletionJob(now: Date) {
  await enqueue(db, deleteAccountsJob.queue, { now: now.toISOString() })
  expect(await drainQueue(deleteAccountsJob)).toEqual({ completed: 1, failed: 0 })
}

/**
 * Every row of every table of the application's schema, and pg-boss's jobs, read as text: where
 * (`schema.table: needle`) any of `needles` still appears, case-insensitively.
 */
async function personalTraces(needles: string[]) {
  const rowsOf = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows)
  const tables = rowsOf(
    await db.execute(sql`
      select table_schema || '.' || quote_ident(table_name) as name from information_schema.tables
      where table_type = 'BASE TABLE' and (table_schema = 'public' or (table_schema = 'pgboss' and table_name in ('job', 'archive')))
      order by 1
    `),
  ) as { name: string }[]
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['public.users', 'public.moderation_actions', 'public.mail_outbox', 'pgboss.job', 'pgboss.archive']))
  const found = new Set<string>()
  for (const { name } of tables) {
    // pgboss.job is partitioned by queue: selecting from it reads every partition.
    const rows = rowsOf(await db.execute(sql.raw(`select t::text as row from ${name} t`))) as { row: string }[]
    for (const { row } of rows) for (const needle of needles) if (row.toLowerCase().includes(needle.toLowerCase())) found.add(`${name}: ${needle}`)
  }
  return [...found]
}

/** A route's page as the server renders it, from the JSON its loader sent. */
async function renderPage(Page: ComponentType, routePath: string, urlPath: string, loaderData: object) {
  const handler = createStaticHandler([{ id: 'page', path: routePath, Component: Page, loader: () => loaderData }])
  const context = await handler.query(new Request(`http://localhost${urlPath}`))
  if (context instanceof Response) throw new Error(`rendering ${urlPath} answered ${context.status}`)
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }))
}

describe('deactivating an account', () => {
  test('a wrong password changes nothing; the right one ends every session and hides the profile until the member logs in again', async () => {
    const member = await createTestUser()
    const viewer = await createTestUser()
    const otherDevice = await sessionCookieFor(member.id)

    const wrong = await postData(member.id, { intent: 'deactivate', password: 'not-my-password-at-all' })
    expect(wrong.status).toBe(400)
    const body = await wrong.json()
    expect(body.intent).toBe('deactivate')
    expect(body.result.error.password).toEqual(['That is not your current password.'])
    expect((await userRow(member.id)).deactivatedAt).toBeNull()
    expect((await authenticate(otherDevice)).user?.id).toBe(member.id)

    const res = await postData(member.id, { intent: 'deactivate', password: member.password })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?account=deactivated')
    expect(res.headers.get('Set-Cookie')).toMatch(/^parley_session=;/)
    expect(await sessionCount(member.id)).toBe(0)
    expect((await authenticate(otherDevice)).user).toBeNull()
    expect(await profileStatus(member.username, viewer.id)).toBe(404)
    expect(await profileStatus(member.username)).toBe(404)

    const back = await logIn(member.username, member.password, { redirectTo: '/questions' })
    expect(back.status).toBe(302)
    expect(back.headers.get('Location')).toBe('/settings/data?welcome=back&next=%2Fquestions')
    const cookie = cookieOf(back)!
    expect((await authenticate(cookie)).user?.id).toBe(member.id)
    const page = await responseOf(async () => dataPage.loader(await routeArgs({ path: '/settings/data?welcome=back&next=%2Fquestions', cookie })))
    expect(await page.json()).toMatchObject({ welcome: 'back', next: '/questions' })
    expect((await userRow(member.id)).deactivatedAt).toBeNull()
    expect(await profileStatus(member.username, viewer.id)).toBe(200)
    // Deactivating is not deleting: nothing for the audit log.
    expect(await auditActions(member.id)).toEqual([])
  })
})

describe('deleting an account', () => {
  test('the request needs the password and the username, ends every session, is audited and mailed with the final date', async () => {
    const smtp = await receiver({ point: true })
    const member = await createTestUser()
    const otherDevice = await sessionCookieFor(member.id)

    const wrongName = await postData(member.id, { intent: 'delete', password: member.password, confirmUsername: 'someone-else' })
    expect(wrongName.status).toBe(400)
    expect((await wrongName.json()).result.error.confirmUsername).toEqual([`Type your username, ${member.username}, to confirm.`])
    const wrongPassword = await postData(member.id, { intent: 'delete', password: 'not-my-password-at-all', confirmUsername: member.username })
    expect((await wrongPassword.json()).result.error.password).toEqual(['That is not your current password.'])
    expect((await userRow(member.id)).deletionRequestedAt).toBeNull()
    expect(await auditActions(member.id)).toEqual([])

    const res = await postData(member.id, { intent: 'delete', password: member.password, confirmUsername: member.username.toUpperCase() })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?account=deletion-requested')
    const row = await userRow(member.id)
    expect(row.deletionRequestedAt).toBeInstanceOf(Date)
    expect(row.deactivatedAt).toEqual(row.deletionRequestedAt)
    expect(await sessionCount(member.id)).toBe(0)
    expect((await authenticate(otherDevice)).user).toBeNull()
    expect(await auditActions(member.id)).toEqual([expect.objectContaining({ action: 'request-deletion', moderatorId: member.id })])

    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
    const mail = await smtp.waitForMessage((m) => m.subject?.startsWith('Your Parley account will be deleted') ?? false)
    const finalDate = formatDateTime(deletionFinalAt(row.deletionRequestedAt!))
    expect(mail.subject).toBe(`Your Parley account will be deleted on ${finalDate}`)
    expect(mail.text).toContain('Log in before then and your account will not be deleted')
  })

  test('logging in within the grace period cancels the deletion; before 30 days the job leaves the account alone', async () => {
    const member = await createTestUser()
    expect((await postData(member.id, { intent: 'delete', password: member.password, confirmUsername: member.username })).status).toBe(302)
    const requestedAt = (await userRow(member.id)).deletionRequestedAt!

    await runDeletionJob(new Date(requestedAt.getTime() + 29 * DAY_MS))
    expect(await userRow(member.id)).toMatchObject({ username: member.username, email: member.email, deletedAt: null })

    const res = await logIn(member.email, member.password)
    expect(res.headers.get('Location')).toBe('/settings/data?welcome=kept&next=%2F')
    const page = await responseOf(async () => dataPage.loader(await routeArgs({ path: '/settings/data?welcome=kept&next=%2F', cookie: cookieOf(res)! })))
    expect(await page.json()).toMatchObject({ welcome: 'kept', next: '/' })
    expect(await userRow(member.id)).toMatchObject({ deletionRequestedAt: null, deactivatedAt: null, deletedAt: null })
    expect((await auditActions(member.id)).map((a) => a.action)).toEqual(['request-deletion', 'cancel-deletion'])

    // Cancelled means cancelled: the job long after the first request finds nothing to do.
    await runDeletionJob(new Date(requestedAt.getTime() + 40 * DAY_MS))
    expect(await userRow(member.id)).toMatchObject({ username: member.username, deletedAt: null })
  })

  test('after 30 days nothing personal is left in any table, and the posts stay as by "deleted member"', async () => {
    const member = await createTestUser()
    const other = await createTestUser()
    const moderator = await createTestUser({ role: 'moderator' })
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const displayName = 'Zelda Quackenbush'
    const bio = 'I restore vintage tram signals in Ghent.'
    const ip = '198.51.100.77'
    const userAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0 QuokkaProbe/7'
    const avatarPath = await writeAvatarFile(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), { extension: 'png', contentType: 'image/png' })
    await db.update(users).set({ displayName, bioSource: bio, bioHtml: renderMarkdown(bio), avatarPath }).where(eq(users.id, member.id))

    // A failed and a good login from the member's browser: rate-limit counters and a session.
    expect((await logIn(member.username, 'not-my-password-at-all', { ip, userAgent })).status).toBe(400)
    expect((await logIn(member.username, member.password, { ip, userAgent })).status).toBe(302)

    // Posts, and what others did in reply to them (notifications and mail that name the member).
    const question = await createTestQuestion({ authorId: member.id, title: 'Scanner shows a blank preview', body: 'Every scan comes out white.' })
    const othersQuestion = await createTestQuestion({ authorId: other.id, title: 'Keyboard lights stay off' })
    const answer = await createTestAnswer({ questionId: othersQuestion.id, authorId: member.id, body: 'Press the function key twice.' })
    await createTestAnswer({ questionId: question.id, authorId: other.id, body: 'Clean the glass.' })
    const { number } = await createTicket({
      requesterId: member.id,
      subject: 'Refund for a double charge',
      priority: 'medium',
      details: { whatHappened: 'I was charged twice this month.', stepsTried: '', environment: '', accountDetails: '' },
    })
    expect((await addTicketMessage({ number, author: { id: agent.id, role: 'agent', username: agent.username }, bodySource: 'Refunded the second charge.' })).ok).toBe(true)
    // The addresses kept for screening (decision 032) and a phone number given for a call back (035).
    const phone = '+3225550123987'
    await db.update(users).set({ signupIp: ip, lastPostIp: ip }).where(eq(users.id, member.id))
    const [ticketRow] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, number))
    const windowStart = new Date(Date.now() + 3_600_000)
    await db.insert(ticketCallBacks).values({ ticketId: ticketRow.id, requestedById: member.id, phone, windowStartsAt: windowStart, windowEndsAt: new Date(windowStart.getTime() + 3_600_000), timeZone: 'Europe/Brussels', dueAt: windowStart })
    expect((await fileReport({ reporterId: member.id, targetKind: 'question', targetId: othersQuestion.id, reason: 'other', note: 'Duplicate of an older thread.' })).ok).toBe(true)
    const filed = await fileReport({ reporterId: other.id, targetKind: 'user', targetId: member.id, reason: 'harassment', note: 'Rude replies.' })
    if (!filed.ok) throw new Error('report not filed')
    const item = await getReviewItem({ id: filed.reviewItemId })
    expect((await decideReport({ id: filed.reviewItemId, version: item!.item.version, moderator: { id: moderator.id, role: 'moderator' }, action: 'warn', reason: 'Keep it civil.' })).ok).toBe(true)
    expect(await blockMember({ blockerId: member.id, username: other.username })).toBe('ok')
    await db.insert(watches).values({ userId: member.id, categoryId: await categoryId('technical'), level: 'watching' })
    await db.insert(notificationPreferences).values({ userId: member.id, kind: 'mention', delivery: 'never' })
    // Mail sent so far sits in the outbox; pg-boss keeps the finished jobs.
    await drainQueue(sendMailJob)
    await drainQueue(searchIndexJob)

    // The scan below does find the member while the account exists, in all these places.
    const needles = [member.username, member.email, displayName, bio, ip, userAgent, phone]
    const before = await personalTraces(needles)
    const tablesBefore = new Set(before.map((t) => t.split(':')[0]))
    for (const table of ['public.users', 'public.sessions', 'public.rate_limit_hits', 'public.tickets', 'public.ticket_call_backs', 'public.mail_outbox', 'public.search_documents', 'pgboss.job'])
      expect(tablesBefore, table).toContain(table)
    // Another member's notification about the member's answer names them.
    const naming = await db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.userId, other.id), sql`${notifications.text} ilike ${`%${member.username}%`}`))
    expect(naming.length).toBeGreaterThan(0)
    expect(before).toEqual(expect.arrayContaining([`public.sessions: ${ip}`, `public.sessions: ${userAgent}`, `public.users: ${bio}`, `public.users: ${ip}`, `public.ticket_call_backs: ${phone}`]))

    expect((await postData(member.id, { intent: 'delete', password: member.password, confirmUsername: member.username })).status).toBe(302)
    const requestedAt = (await userRow(member.id)).deletionRequestedAt!
    await runDeletionJob(new Date(requestedAt.getTime() + 31 * DAY_MS))
    await drainQueue(searchIndexJob)

    expect(existsSync(path.join(avatarDir, 'avatars', avatarPath))).toBe(false)
    const deleted = await userRow(member.id)
    expect(deleted).toMatchObject({ username: DELETED_MEMBER_NAME, email: `deleted-${member.id}@deleted.invalid`, displayName: null, bioSource: '', avatarPath: null })
    expect(deleted.deletedAt).toBeInstanceOf(Date)

    expect(await personalTraces(needles)).toEqual([])
    // Other people's notifications stay, naming "deleted member" instead.
    const renamed = await db
      .select({ text: notifications.text })
      .from(notifications)
      .where(inArray(notifications.id, naming.map((n) => n.id)))
    expect(renamed).toHaveLength(naming.length)
    for (const { text } of renamed) expect(text).toContain(DELETED_MEMBER_NAME)

    // The posts stay, shown as by "deleted member", without a link to a profile.
    const page = await responseOf(async () => thread.loader(await routeArgs({ path: `/questions/${question.id}`, params: { id: String(question.id) } })))
    const data = await page.json()
    expect(data.question).toMatchObject({ title: 'Scanner shows a blank preview', authorUsername: DELETED_MEMBER_NAME })
    const html = await renderPage(ThreadPage, '/questions/:id/:slug?', `/questions/${question.id}`, data)
    expect(html).toContain('asked by <span class="deleted-member">deleted member</span>')
    expect(html).toContain('Every scan comes out white.')
    const othersThread = await (await responseOf(async () => thread.loader(await routeArgs({ path: `/questions/${othersQuestion.id}`, params: { id: String(othersQuestion.id) } })))).json()
    expect(othersThread.answers).toContainEqual(expect.objectContaining({ id: answer.id, authorUsername: DELETED_MEMBER_NAME }))

    expect(await profileStatus(DELETED_MEMBER_NAME)).toBe(404)
    expect(await profileStatus(member.username)).toBe(404)
    for (const identifier of [member.username, member.email, DELETED_MEMBER_NAME]) expect((await logIn(identifier, member.password, { ip: '203.0.113.51' })).status, identifier).toBe(400)

    // The audit log keeps the request and the deletion, by member id alone.
    const audit = await auditActions(member.id)
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['request-deletion', 'delete-account']))
    expect(audit.find((a) => a.action === 'delete-account')?.moderatorId).toBeNull()

    // Running again changes nothing.
    await runDeletionJob(new Date(requestedAt.getTime() + 32 * DAY_MS))
    expect((await auditActions(member.id)).filter((a) => a.action === 'delete-account')).toHaveLength(1)
    expect((await db.select({ id: moderationActions.id }).from(moderationActions).where(and(eq(moderationActions.targetUserId, member.id), eq(moderationActions.action, 'request-deletion')))).length).toBe(1)
  })
})
