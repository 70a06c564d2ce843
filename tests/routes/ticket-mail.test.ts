import { eq, sql } from 'drizzle-orm'
import type { AddressObject, ParsedMail } from 'mailparser'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { notifications, ticketAccessTokens, tickets, users } from '#db/schema/index'
import { drainQueue } from '~/platform/jobs/boss.server'
import { sendMailJob } from '~/platform/mail-jobs.server'
import { assignTicket } from '~/tickets/changes.server'
import { createTicket } from '~/tickets/open.server'
import { getTicket } from '~/tickets/read.server'
import { sweepTickets } from '~/tickets/sweep.server'
import * as inboundEmail from '~/routes/api.inbound-email'
import * as ticketPage from '~/routes/tickets.$number'
import * as ticketByLink from '~/routes/tickets_.$number.view'
import * as claimPage from '~/routes/claim-account.$token'
import * as ticketList from '~/routes/tickets._index'
import * as adminEscalations from '~/routes/admin.escalations'
import * as ratePage from '~/routes/tickets_.$number.rate'
import * as newTicket from '~/routes/tickets.new'
import { startSmtpReceiver, type SmtpReceiver } from '../setup/smtp-receiver'
import { useSmtpReceivers } from '../setup/smtp-receivers'
import { ticketMessages } from '#db/schema/index'
import { createTestUser, responseOf, routeArgs } from '../factories'

// Ticket mail end to end: queued by the real routes and models, sent by the real job through SMTP
// to a real SMTP server, read back as a mail client would.

const receiver = useSmtpReceivers({ restoreEnv: ['INBOUND_EMAIL_SECRET', 'ESCALATION_ADDRESS'] })

/** Starts an SMTP receiver and points SMTP_URL at it. */
const mailServer = (options?: { port?: number }) => receiver({ ...options, point: true })

const addresses = (field: AddressObject | AddressObject[] | undefined) => [field ?? []].flat().flatMap((a) => a.value.map((v) => v.address))
const mailsTo = (smtp: SmtpReceiver, address: string, subjectPart = '') =>
  smtp.messages.filter((m) => addresses(m.to).includes(address) && (m.subject ?? '').includes(subjectPart))
const ticketTag = (number: number) => `[#${number}]`

const details = {
  whatHappened: 'The export button shows an error every time I press it.',
  stepsTried: '',
  environment: '',
  accountDetails: '',
}

/** Opens a ticket through the web form, as the member would. */
async function openTicketOnTheWeb(userId: number, subject = 'Export button fails') {
  const res = await responseOf(async () =>
    newTicket.action(await routeArgs({ path: '/tickets/new', method: 'POST', userId, form: { subject, priority: 'medium', whatHappened: details.whatHappened } })),
  )
  expect(res.status).toBe(302)
  return Number(res.headers.get('Location')!.match(/^\/tickets\/(\d+)$/)![1])
}

const postTicket = async (number: number, userId: number, form: Record<string, string>) => {
  const res = await responseOf(async () => ticketPage.action(await routeArgs({ path: `/tickets/${number}`, method: 'POST', userId, form, params: { number: String(number) } })))
  expect(res.status, form.intent).toBe(302)
  return res
}

async function storedTicket(number: number) {
  const [row] = await db.select().from(tickets).where(eq(tickets.number, number))
  return row
}

describe('mail to the requester', () => {
  test('opening a ticket on the web mails a confirmation with the tracking number', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    const number = await openTicketOnTheWeb(member.id, 'Export button fails')
    expect(smtp.messages).toHaveLength(0)

    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
    const [mail] = mailsTo(smtp, member.email)
    expect(mail.subject).toBe(`Received: ${ticketTag(number)} Export button fails`)
    expect(mail.text).toContain(`opened ticket #${number}`)
    expect(mail.text).toContain(`/tickets/${number}`)
  })

  test('an agent’s public reply is mailed to the requester; an internal note never is', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const number = await openTicketOnTheWeb(member.id)
    await postTicket(number, agent.id, { intent: 'note', body: 'The customer is on the legacy plan; check billing first.' })
    await postTicket(number, agent.id, { intent: 'reply', body: 'Please clear the cache and try the export again.', statusAfter: 'pending' })

    expect(await drainQueue(sendMailJob)).toEqual({ completed: 2, failed: 0 })
    const [reply] = mailsTo(smtp, member.email, `Re: ${ticketTag(number)}`)
    expect(reply.text).toContain(`${agent.username} replied to your request #${number}:`)
    expect(reply.text).toContain('Please clear the cache and try the export again.')
    expect(reply.text).toContain('waiting for your reply')
    for (const mail of smtp.messages) {
      expect(`${mail.subject}\n${mail.text}`).not.toContain('legacy plan')
    }
  })

  test('a status change is mailed; solving mails a survey link that rates the ticket', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const number = await openTicketOnTheWeb(member.id)
    await postTicket(number, agent.id, { intent: 'status', status: 'pending' })
    await drainQueue(sendMailJob)
    const [update] = mailsTo(smtp, member.email, `Update: ${ticketTag(number)}`)
    expect(update.text).toContain(`Your request #${number} is now pending`)

    await postTicket(number, agent.id, { intent: 'status', status: 'solved' })
    await drainQueue(sendMailJob)
    const [solved] = mailsTo(smtp, member.email, `Solved: ${ticketTag(number)}`)
    const link = solved.text?.match(/https?:\/\/\S+\/tickets\/\d+\/rate\?token=\S+/)?.[0]
    expect(link).toBeDefined()
    const url = new URL(link!)
    expect(url.pathname).toBe(`/tickets/${number}/rate`)

    // Following the link, not logged in, as from the inbox.
    const page = await responseOf(async () => ratePage.loader(await routeArgs({ path: url.pathname + url.search, params: { number: String(number) } })))
    expect(page.status).toBe(200)
    expect((await page.json()).ticket).toMatchObject({ number, status: 'solved', rated: false })
    const token = url.searchParams.get('token')!
    const rated = await responseOf(async () =>
      ratePage.action(await routeArgs({ path: `/tickets/${number}/rate`, method: 'POST', form: { token, score: '5', comment: 'Thanks!' }, params: { number: String(number) } })),
    )
    expect(rated.status).toBe(200)
    const ticket = await getTicket({ number, viewer: { id: member.id, role: 'member' } })
    expect(ticket!.ticket).toMatchObject({ ratingScore: 5, ratingComment: 'Thanks!' })
  })
})

describe('mail to agents', () => {
  test('assigning a ticket to another agent mails them; assigning it to yourself does not', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const colleague = await createTestUser({ role: 'agent', supportTier: 1 })
    const number = await openTicketOnTheWeb(member.id)

    await postTicket(number, agent.id, { intent: 'assign', assigneeId: String(colleague.id) })
    await postTicket(number, agent.id, { intent: 'assign-me' })
    await postTicket(number, colleague.id, { intent: 'assign', assigneeId: String(colleague.id) })
    // Confirmation, then the one assignment by someone else.
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 2, failed: 0 })

    const toColleague = mailsTo(smtp, colleague.email, `Assigned to you: ${ticketTag(number)}`)
    expect(toColleague).toHaveLength(1)
    expect(toColleague[0].text).toContain(`${agent.username} assigned ticket #${number}`)
    expect(mailsTo(smtp, agent.email)).toEqual([])
  })

  test('the SLA sweep mails the assignee once at risk and once at the breach, however often it runs', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    const assignee = await createTestUser({ role: 'agent', supportTier: 1 })
    const bystander = await createTestUser({ role: 'agent', supportTier: 1 })
    const { number } = await createTicket({ requesterId: member.id, subject: 'Site is down', priority: 'critical', details })
    await assignTicket({ number, staff: { id: assignee.id, role: 'agent', username: assignee.username }, assigneeId: assignee.id })
    const { atRiskAt, nextDueAt } = await storedTicket(number)

    const atRisk = new Date(atRiskAt!.getTime() + 1000)
    await sweepTickets(atRisk)
    await sweepTickets(atRisk)
    await drainQueue(sendMailJob)
    expect(mailsTo(smtp, assignee.email, `SLA at risk: ${ticketTag(number)}`)).toHaveLength(1)
    expect(mailsTo(smtp, assignee.email, `SLA breached: ${ticketTag(number)}`)).toHaveLength(0)

    const breached = new Date(nextDueAt!.getTime() + 1000)
    await sweepTickets(breached)
    await sweepTickets(new Date(breached.getTime() + 60_000))
    await drainQueue(sendMailJob)
    expect(mailsTo(smtp, assignee.email, `SLA at risk: ${ticketTag(number)}`)).toHaveLength(1)
    const breach = mailsTo(smtp, assignee.email, `SLA breached: ${ticketTag(number)}`)
    expect(breach).toHaveLength(1)
    expect(breach[0].text).toContain(`The first response target of ticket #${number} (critical)`)
    // With an assignee, the rest of the tier is left alone.
    expect(mailsTo(smtp, bystander.email, ticketTag(number))).toEqual([])

    const history = (await getTicket({ number, viewer: { id: assignee.id, role: 'agent' } }))!.events
    expect(history.filter((e) => e.kind === 'sla-warning' || e.kind === 'sla-breach').map((e) => [e.kind, e.toValue])).toEqual([
      ['sla-warning', 'first-response'],
      ['sla-breach', 'first-response'],
    ])
  })

  test('without an assignee every agent of the ticket’s tier is alerted, and no one else', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    const first = await createTestUser({ role: 'agent', supportTier: 1 })
    const second = await createTestUser({ role: 'agent', supportTier: 1 })
    const tier2 = await createTestUser({ role: 'agent', supportTier: 2 })
    const { number } = await createTicket({ requesterId: member.id, subject: 'Nobody picked this up', priority: 'critical', details })
    const { atRiskAt, tier } = await storedTicket(number)
    expect(tier).toBe(1)

    await sweepTickets(new Date(atRiskAt!.getTime() + 1000))
    await drainQueue(sendMailJob)
    expect(mailsTo(smtp, first.email, `SLA at risk: ${ticketTag(number)}`)).toHaveLength(1)
    expect(mailsTo(smtp, second.email, `SLA at risk: ${ticketTag(number)}`)).toHaveLength(1)
    expect(mailsTo(smtp, tier2.email, ticketTag(number))).toEqual([])
    expect(mailsTo(smtp, member.email, 'SLA')).toEqual([])
  })
})

describe('when the mail server is down', () => {
  test('the ticket is saved anyway, and its mail arrives on a later try', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const gone = await startSmtpReceiver()
    await gone.close()
    process.env.SMTP_URL = gone.url
    const member = await createTestUser()
    const number = await openTicketOnTheWeb(member.id, 'Mail is down too')

    expect(await drainQueue(sendMailJob)).toEqual({ completed: 0, failed: 1 })
    const page = await responseOf(async () => ticketPage.loader(await routeArgs({ path: `/tickets/${number}`, userId: member.id, params: { number: String(number) } })))
    expect(page.status).toBe(200)
    expect((await page.json()).ticket.subject).toBe('Mail is down too')
    // The retry waits at least 30 seconds; a drain before then sends nothing.
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 0, failed: 0 })

    const smtp = await mailServer({ port: gone.port })
    // As if the retry delay had passed.
    await db.execute(sql`update pgboss.job set start_after = now() - interval '1 second' where name = ${sendMailJob.queue.name} and state = 'retry'`)
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
    const mail = await smtp.waitForMessage((m) => (m.subject ?? '').includes(ticketTag(number)))
    expect(addresses(mail.to)).toEqual([member.email])
    expect(mail.subject).toBe(`Received: ${ticketTag(number)} Mail is down too`)
  })
})

/** POSTs a mail to the inbound endpoint as the provider's webhook would. */
async function inboundMail(
  secret: string,
  mail: { from: string; subject: string; text: string; messageId: string; inReplyTo?: string | null; to?: string; headers?: Record<string, string> | [string, string][] },
) {
  const request = new Request('http://localhost/api/inbound-email', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
    body: JSON.stringify({ from: mail.from, subject: mail.subject, text: mail.text, 'message-id': mail.messageId, 'in-reply-to': mail.inReplyTo ?? null, to: mail.to ?? 'support@example.test', ...(mail.headers ? { headers: mail.headers } : {}) }),
  })
  return responseOf(() => inboundEmail.action({ request, params: {}, context: { user: null, session: null, clientIp: '198.51.100.4' } }))
}

describe('replies by mail', () => {
  test('replying to the “closed” mail reopens the ticket, as the closed mail says; the agent’s next reply reaches the requester', async () => {
    const smtp = await mailServer()
    const secret = 'inbound-mail-test-secret'
    process.env.INBOUND_EMAIL_SECRET = secret
    const member = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const number = await openTicketOnTheWeb(member.id, 'Sync stopped')
    await postTicket(number, agent.id, { intent: 'status', status: 'closed' })
    await drainQueue(sendMailJob)
    const [closed] = mailsTo(smtp, member.email, `Update: ${ticketTag(number)}`)
    expect(closed.text).toContain(`Your request #${number} is now closed.`)
    expect(closed.text).toContain('reply to this mail within 30 days and we will reopen it')

    const res = await inboundMail(secret, {
      from: `${member.username} <${member.email}>`,
      subject: `Re: Update: ${ticketTag(number)} Sync stopped`,
      text: 'It stopped again this morning.',
      messageId: `<reopen-${number}@client.example.test>`,
      inReplyTo: closed.messageId,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ticket: number, action: 'appended' })
    const seenByAgent = await getTicket({ number, viewer: { id: agent.id, role: 'agent' } })
    expect(seenByAgent!.ticket.status).toBe('open')
    expect(seenByAgent!.ticket.followUpNumbers).toEqual([])
    expect(seenByAgent!.ticket.nextDueAt).not.toBeNull()
    expect(seenByAgent!.events.filter((e) => e.kind === 'status').map((e) => `${e.fromValue}->${e.toValue}`)).toEqual(['open->closed', 'closed->open'])

    await postTicket(number, agent.id, { intent: 'reply', body: 'Restarting the sync service fixes it for now.', statusAfter: 'pending' })
    await drainQueue(sendMailJob)
    const [reply] = mailsTo(smtp, member.email, `Re: ${ticketTag(number)}`)
    expect(reply.text).toContain('Restarting the sync service fixes it for now.')
  })

  test('with TICKET_REOPEN_DAYS=0 a reply to a closed ticket opens a linked follow-up instead, and says so', async () => {
    const smtp = await mailServer()
    const secret = 'inbound-mail-test-secret'
    process.env.INBOUND_EMAIL_SECRET = secret
    const savedDays = process.env.TICKET_REOPEN_DAYS
    process.env.TICKET_REOPEN_DAYS = '0'
    try {
      const member = await createTestUser()
      const agent = await createTestUser({ role: 'agent', supportTier: 1 })
      const number = await openTicketOnTheWeb(member.id, 'Sync stopped')
      await postTicket(number, agent.id, { intent: 'status', status: 'closed' })
      await drainQueue(sendMailJob)
      const [closed] = mailsTo(smtp, member.email, `Update: ${ticketTag(number)}`)

      const res = await inboundMail(secret, { from: member.email, subject: `Re: ${ticketTag(number)} Sync stopped`, text: 'It is back.', messageId: `<late-${number}@client.example.test>`, inReplyTo: closed.messageId })
      expect(res.status).toBe(201)
      const { action, ticket: followUp } = await res.json()
      expect(action).toBe('follow-up')
      expect((await storedTicket(number)).status).toBe('closed')
      await drainQueue(sendMailJob)
      const [opened] = mailsTo(smtp, member.email, ticketTag(followUp))
      expect(opened.text).toContain(`Request #${number} was already closed, so we opened follow-up request #${followUp}`)
    } finally {
      if (savedDays === undefined) delete process.env.TICKET_REOPEN_DAYS
      else process.env.TICKET_REOPEN_DAYS = savedDays
    }
  })

  test('a reply whose In-Reply-To is the Message-ID of a mail we sent lands on that ticket', async () => {
    const smtp = await mailServer()
    const secret = 'inbound-mail-test-secret'
    process.env.INBOUND_EMAIL_SECRET = secret
    const member = await createTestUser()
    const number = await openTicketOnTheWeb(member.id)
    await drainQueue(sendMailJob)
    const [received] = mailsTo(smtp, member.email, ticketTag(number)) as [ParsedMail]
    expect(received.messageId).toMatch(/^<.+@.+>$/)

    const request = new Request('http://localhost/api/inbound-email', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
      // No [#N] in the subject: only the header ties it to the ticket.
      body: JSON.stringify({
        from: `${member.username} <${member.email}>`,
        subject: 'Re: your mail',
        text: 'Clearing the cache did not help.',
        'message-id': `<reply-${number}@client.example.test>`,
        'in-reply-to': received.messageId,
      }),
    })
    const res = await responseOf(() => inboundEmail.action({ request, params: {}, context: { user: null, session: null, clientIp: '198.51.100.4' } }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ticket: number, action: 'appended' })
    const ticket = await getTicket({ number, viewer: { id: member.id, role: 'member' } })
    expect(ticket!.messages.map((m) => m.bodyHtml).join()).toContain('Clearing the cache did not help.')
  })
})

describe('people who write in without an account', () => {
  const secret = 'inbound-mail-test-secret'
  const ticketLinkIn = (mail: ParsedMail) => mail.text?.match(/https?:\/\/\S+\/tickets\/\d+\/view\?token=[\w-]+/)?.[0] ?? null
  const claimLinkIn = (mail: ParsedMail) => mail.text?.match(/https?:\/\/\S+\/claim-account\/[\w-]+/)?.[0] ?? null
  const open = async (link: string) => {
    const url = new URL(link)
    const number = url.pathname.split('/')[2]
    return responseOf(async () => ticketByLink.loader(await routeArgs({ path: url.pathname + url.search, params: { number } })))
  }
  const replyThrough = async (link: string, body: string, number?: string) => {
    const url = new URL(link)
    return responseOf(async () =>
      ticketByLink.action(await routeArgs({ path: url.pathname, method: 'POST', params: { number: number ?? url.pathname.split('/')[2] }, form: { token: url.searchParams.get('token')!, body } })),
    )
  }
  const claimArgs = async (link: string, form?: Record<string, string>) => {
    const token = new URL(link).pathname.split('/').at(-1)!
    return routeArgs({ path: `/claim-account/${token}`, method: form ? 'POST' : 'GET', form, params: { token } })
  }

  test('every mail carries a link that opens that one ticket to read and reply, without an account', async () => {
    const smtp = await mailServer()
    process.env.INBOUND_EMAIL_SECRET = secret
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const stranger = `walk-in-${Date.now()}@example.test`
    const first = await (await inboundMail(secret, { from: `Wanda Walk-in <${stranger}>`, subject: 'Printer offline', text: 'The printer says offline.', messageId: `<w1-${Date.now()}@client.example.test>` })).json()
    const second = await (await inboundMail(secret, { from: stranger, subject: 'Invoice question', text: 'Where is my invoice?', messageId: `<w2-${Date.now()}@client.example.test>` })).json()
    expect([first.action, second.action]).toEqual(['created', 'created'])
    await postTicket(first.ticket, agent.id, { intent: 'note', body: 'Probably the legacy driver again.' })
    await drainQueue(sendMailJob)

    const [confirmation] = mailsTo(smtp, stranger, `Received: ${ticketTag(first.ticket)}`) as [ParsedMail]
    const link = ticketLinkIn(confirmation)!
    expect(link).toContain(`/tickets/${first.ticket}/view?token=`)
    expect(confirmation.text).toContain('without an account')

    const page = await open(link)
    expect(page.status).toBe(200)
    const data = await page.json()
    expect(data.ticket).toMatchObject({ number: first.ticket, subject: 'Printer offline', status: 'open' })
    expect(data.messages.map((m: { bodyHtml: string }) => m.bodyHtml).join()).toContain('The printer says offline.')
    // Internal notes never reach the requester, and nor does the team's SLA data.
    expect(JSON.stringify(data)).not.toContain('legacy driver')
    expect(data.ticket).not.toHaveProperty('nextDueAt')

    // The link opens that ticket only: not the other ticket of the same person, and a made-up token nothing.
    const token = new URL(link).searchParams.get('token')!
    expect((await open(link.replace(`/tickets/${first.ticket}/`, `/tickets/${second.ticket}/`))).status).toBe(404)
    expect((await open(link.replace(token, 'x'.repeat(43)))).status).toBe(404)
    expect((await replyThrough(link, 'Sneaking onto the other ticket.', String(second.ticket))).status).toBe(404)
    // Only a hash of the token is stored.
    expect(await db.select({ id: ticketAccessTokens.id }).from(ticketAccessTokens).where(eq(ticketAccessTokens.tokenHash, token))).toEqual([])

    const bad = await replyThrough(link, '')
    expect(bad.status).toBe(400)
    const replied = await replyThrough(link, 'It is plugged in and switched on.')
    expect(replied.status).toBe(302)
    expect(replied.headers.get('Location')).toContain(`/tickets/${first.ticket}/view?token=${token}&sent=1`)
    const seenByAgent = await getTicket({ number: first.ticket, viewer: { id: agent.id, role: 'agent' } })
    expect(seenByAgent!.messages.map((m) => [m.authorEmail, m.bodyHtml.includes('plugged in')])).toContainEqual([stranger, true])
    expect((await getTicket({ number: second.ticket, viewer: { id: agent.id, role: 'agent' } }))!.messages).toHaveLength(1)

    // The agent's answer carries a fresh link too; an expired link opens nothing.
    await postTicket(first.ticket, agent.id, { intent: 'reply', body: 'Try turning it off and on again.', statusAfter: 'pending' })
    await drainQueue(sendMailJob)
    const [answer] = mailsTo(smtp, stranger, `Re: ${ticketTag(first.ticket)}`) as [ParsedMail]
    const fresh = ticketLinkIn(answer)!
    expect(fresh).not.toBe(link)
    expect((await open(fresh)).status).toBe(200)
    await db.update(ticketAccessTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(sql`${ticketAccessTokens.purpose} = 'ticket-link'`)
    expect((await open(fresh)).status).toBe(404)
  })

  test('the one-time claim link sets a password and lists every request from that address; then the links retire', async () => {
    const smtp = await mailServer()
    process.env.INBOUND_EMAIL_SECRET = secret
    const stranger = `claimer-${Date.now()}@example.test`
    const first = await (await inboundMail(secret, { from: stranger, subject: 'Printer offline', text: 'The printer says offline.', messageId: `<c1-${Date.now()}@client.example.test>` })).json()
    const second = await (await inboundMail(secret, { from: stranger, subject: 'Invoice question', text: 'Where is my invoice?', messageId: `<c2-${Date.now()}@client.example.test>` })).json()
    await drainQueue(sendMailJob)
    const firstMail = mailsTo(smtp, stranger, ticketTag(first.ticket))[0] as ParsedMail
    const secondMail = mailsTo(smtp, stranger, ticketTag(second.ticket))[0] as ParsedMail
    const [olderClaim, claim] = [claimLinkIn(firstMail)!, claimLinkIn(secondMail)!]
    expect(claim).toContain('/claim-account/')
    const ticketLink = ticketLinkIn(firstMail)!

    // Only the newest claim link in the inbox works.
    expect((await (await responseOf(async () => claimPage.loader(await claimArgs(olderClaim)))).json()).link).toBeNull()
    const shown = await (await responseOf(async () => claimPage.loader(await claimArgs(claim)))).json()
    expect(shown.link).toMatchObject({ email: stranger, ticketCount: 2, accountExists: false })

    const username = `claim${Date.now() % 1_000_000}`
    const mismatch = await responseOf(async () => claimPage.action(await claimArgs(claim, { username, password: 'a long enough passphrase', confirmPassword: 'something else entirely' })))
    expect(mismatch.status).toBe(400)
    const badName = await responseOf(async () => claimPage.action(await claimArgs(claim, { username: 'x', password: 'a long enough passphrase', confirmPassword: 'a long enough passphrase' })))
    expect(badName.status).toBe(400)
    expect((await badName.json()).result.error.username).toEqual(['Use 3 to 20 letters, digits, underscores or hyphens.'])
    expect(await db.select({ id: users.id }).from(users).where(eq(users.email, stranger))).toEqual([])

    const claimed = await responseOf(async () => claimPage.action(await claimArgs(claim, { username, password: 'a long enough passphrase', confirmPassword: 'a long enough passphrase' })))
    expect(claimed.status).toBe(302)
    expect(claimed.headers.get('Location')).toBe('/tickets?claimed=1')
    const cookie = claimed.headers.get('Set-Cookie')!.split(';')[0]
    const [account] = await db.select({ id: users.id, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.email, stranger))
    expect(account.emailVerifiedAt).toBeInstanceOf(Date)

    // Logged in by the new session, the member's list holds both requests, written as them.
    const list = await responseOf(async () => ticketList.loader(await routeArgs({ path: '/tickets', cookie })))
    expect(list.status).toBe(200)
    expect((await list.json()).mine.tickets.map((t: { number: number }) => t.number).sort()).toEqual([first.ticket, second.ticket].sort())
    const own = await getTicket({ number: first.ticket, viewer: { id: account.id, role: 'member' } })
    expect(own!.messages[0].authorUsername).toBe(username)

    // The claim link worked once; the ticket link gives way to the login.
    const again = await responseOf(async () => claimPage.action(await claimArgs(claim, { username: `${username}b`, password: 'a long enough passphrase', confirmPassword: 'a long enough passphrase' })))
    expect(again.status).toBe(400)
    expect(await again.json()).toMatchObject({ expired: true })
    expect((await open(ticketLink)).status).toBe(404)

    // Mail about the tickets now goes as to any member, without the links.
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    await postTicket(first.ticket, agent.id, { intent: 'reply', body: 'Welcome aboard.', statusAfter: 'pending' })
    await drainQueue(sendMailJob)
    const [welcome] = mailsTo(smtp, stranger, `Re: ${ticketTag(first.ticket)}`) as [ParsedMail]
    expect(welcome.text).toContain('Welcome aboard.')
    expect(ticketLinkIn(welcome)).toBeNull()
    expect(claimLinkIn(welcome)).toBeNull()
  })
})

describe('the escalation address', () => {
  const secret = 'inbound-mail-test-secret'
  const ESCALATIONS = 'escalations@example.test'
  const notificationsOf = (userId: number, ticketId: number) =>
    db.select({ kind: notifications.kind, text: notifications.text }).from(notifications).where(sql`${notifications.userId} = ${userId} and ${notifications.ticketId} = ${ticketId}`)

  test('mail to it about a ticket escalates it a tier at a time, telling that tier at once; past tier 3 support management hears', async () => {
    const smtp = await mailServer()
    process.env.INBOUND_EMAIL_SECRET = secret
    process.env.ESCALATION_ADDRESS = ESCALATIONS
    const member = await createTestUser()
    const tier2 = await createTestUser({ role: 'agent', supportTier: 2 })
    const tier3 = await createTestUser({ role: 'agent', supportTier: 3 })
    const admin = await createTestUser({ role: 'admin' })
    const number = await openTicketOnTheWeb(member.id, 'Data loss after upgrade')
    const { id } = await storedTicket(number)
    const escalate = (n: number) =>
      inboundMail(secret, { from: member.email, to: `Support Escalations <${ESCALATIONS.toUpperCase()}>`, subject: `Re: ${ticketTag(number)} Data loss after upgrade`, text: `Still losing data (${n}).`, messageId: `<esc-${n}-${number}@client.example.test>` })

    expect(await (await escalate(1)).json()).toEqual({ ticket: number, action: 'escalated' })
    expect((await storedTicket(number)).tier).toBe(2)
    await drainQueue(sendMailJob)
    expect(mailsTo(smtp, tier2.email, `Escalated to tier 2: ${ticketTag(number)}`)).toHaveLength(1)
    expect(mailsTo(smtp, tier3.email, ticketTag(number))).toEqual([])
    expect(await notificationsOf(tier2.id, id)).toEqual([{ kind: 'ticket-update', text: `Ticket #${number} was escalated to tier 2` }])
    // The mail itself is on the ticket.
    const seen = await getTicket({ number, viewer: { id: tier2.id, role: 'agent' } })
    expect(seen!.messages.map((m) => m.bodyHtml).join()).toContain('Still losing data (1).')

    expect(await (await escalate(2)).json()).toEqual({ ticket: number, action: 'escalated' })
    expect((await storedTicket(number)).tier).toBe(3)
    await drainQueue(sendMailJob)
    expect(mailsTo(smtp, tier3.email, `Escalated to tier 3: ${ticketTag(number)}`)).toHaveLength(1)

    const loadView = async (userId: number) => responseOf(async () => adminEscalations.loader(await routeArgs({ path: '/admin/escalations', userId })))
    expect((await (await loadView(admin.id)).json()).tickets.map((t: { number: number }) => t.number)).not.toContain(number)

    expect(await (await escalate(3)).json()).toEqual({ ticket: number, action: 'escalated' })
    const managed = await storedTicket(number)
    expect(managed.managementEscalatedAt).toBeInstanceOf(Date)
    await drainQueue(sendMailJob)
    const [toManagement] = mailsTo(smtp, admin.email, `Escalated to management: ${ticketTag(number)}`)
    expect(toManagement.text).toContain(`Ticket #${number} (medium priority) was escalated to support management.`)
    expect(await notificationsOf(admin.id, id)).toEqual([{ kind: 'ticket-management', text: `Ticket #${number} was escalated to support management` }])
    const view = await loadView(admin.id)
    expect(view.status).toBe(200)
    expect((await view.json()).tickets.find((t: { number: number }) => t.number === number)).toMatchObject({ subject: 'Data loss after upgrade', reason: `Mail to ${ESCALATIONS}: Re: ${ticketTag(number)} Data loss after upgrade` })
    expect((await loadView(tier3.id)).status).toBe(403)

    // No step is left: the mail is simply added.
    expect(await (await escalate(4)).json()).toEqual({ ticket: number, action: 'appended' })
  })

  test('mail to it about no ticket opens one at tier 2 with high priority and tells tier 2 at once; other mail does not', async () => {
    const smtp = await mailServer()
    process.env.INBOUND_EMAIL_SECRET = secret
    process.env.ESCALATION_ADDRESS = ESCALATIONS
    const tier1 = await createTestUser({ role: 'agent', supportTier: 1 })
    const tier2 = await createTestUser({ role: 'agent', supportTier: 2 })
    const sender = `urgent-${Date.now()}@example.test`
    const res = await inboundMail(secret, { from: sender, to: `support@example.test, ${ESCALATIONS}`, subject: 'Production is down', text: 'Nothing loads since 9:00.', messageId: `<urgent-${Date.now()}@client.example.test>` })
    expect(res.status).toBe(201)
    const { ticket: number, action } = await res.json()
    expect(action).toBe('created-escalated')
    expect(await storedTicket(number)).toMatchObject({ tier: 2, priority: 'high', requesterEmail: sender })
    await drainQueue(sendMailJob)
    expect(mailsTo(smtp, tier2.email, `Escalated to tier 2: ${ticketTag(number)}`)).toHaveLength(1)
    expect(mailsTo(smtp, tier1.email, ticketTag(number))).toEqual([])
    expect(mailsTo(smtp, sender, `Received: ${ticketTag(number)}`)).toHaveLength(1)

    const plain = await (await inboundMail(secret, { from: sender, subject: 'A question', text: 'How do I export?', messageId: `<plain-${Date.now()}@client.example.test>` })).json()
    expect(plain.action).toBe('created')
    expect(await storedTicket(plain.ticket)).toMatchObject({ tier: 1, priority: 'medium' })
  })
})

describe('auto-replies, bounces and loops', () => {
  const secret = 'inbound-mail-test-secret'
  const machineMail: { name: string; from?: string; headers: Record<string, string> | [string, string][] }[] = [
    { name: 'Auto-Submitted: auto-replied', headers: { 'Auto-Submitted': 'auto-replied' } },
    { name: 'X-Autoreply', headers: [['X-Autoreply', 'yes']] },
    { name: 'Precedence: auto_reply', headers: { precedence: 'auto_reply' } },
    { name: 'Precedence: bulk', headers: { Precedence: 'bulk' } },
    { name: 'Precedence: junk', headers: { Precedence: 'junk' } },
    { name: 'X-Auto-Response-Suppress', headers: { 'X-Auto-Response-Suppress': 'OOF, AutoReply' } },
    { name: 'a delivery-status report', headers: { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="x"' } },
    { name: 'mailer-daemon', from: 'Mail Delivery System <MAILER-DAEMON@mx.example.test>', headers: {} },
    { name: 'postmaster', from: 'postmaster@example.test', headers: {} },
    { name: 'our own From address', from: 'Parley Support <support@localhost>', headers: {} },
  ]

  test.each(machineMail)('$name: neither a ticket nor a message, and nothing is mailed back', async ({ from, headers }) => {
    const smtp = await mailServer()
    process.env.INBOUND_EMAIL_SECRET = secret
    const member = await createTestUser()
    const number = await openTicketOnTheWeb(member.id, 'Export fails')
    await drainQueue(sendMailJob)
    const [confirmation] = mailsTo(smtp, member.email, ticketTag(number)) as [ParsedMail]
    const ticketsBefore = (await db.select({ id: tickets.id }).from(tickets)).length
    const messagesBefore = (await db.select({ id: ticketMessages.id }).from(ticketMessages)).length

    // Once as a reply to our mail, once as fresh mail: neither lands.
    for (const inReplyTo of [confirmation.messageId, null]) {
      const res = await inboundMail(secret, {
        from: from ?? member.email,
        subject: inReplyTo ? `Out of office: ${ticketTag(number)} Export fails` : 'Undeliverable: your message',
        text: 'I am away until Monday.',
        messageId: `<auto-${Math.random().toString(36).slice(2)}@mx.example.test>`,
        inReplyTo,
        headers,
      })
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(body).toMatchObject({ ticket: null, action: 'ignored' })
      expect(body.reason).toEqual(expect.any(String))
    }
    expect((await db.select({ id: tickets.id }).from(tickets)).length).toBe(ticketsBefore)
    expect((await db.select({ id: ticketMessages.id }).from(ticketMessages)).length).toBe(messagesBefore)
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 0, failed: 0 })
    expect(smtp.messages).toHaveLength(1)
  })

  test('Auto-Submitted: no, and mail a person wrote, still land', async () => {
    await mailServer()
    process.env.INBOUND_EMAIL_SECRET = secret
    const member = await createTestUser()
    const number = await openTicketOnTheWeb(member.id, 'Export fails')
    const res = await inboundMail(secret, { from: member.email, subject: `Re: ${ticketTag(number)} Export fails`, text: 'Typed by me.', messageId: `<person-${number}@client.example.test>`, headers: { 'Auto-Submitted': 'no', Precedence: 'first-class' } })
    expect(await res.json()).toEqual({ ticket: number, action: 'appended' })
  })

  test('our own confirmations are marked automatic, so a well-behaved auto-responder stays quiet', async () => {
    const smtp = await mailServer()
    const member = await createTestUser()
    const number = await openTicketOnTheWeb(member.id, 'Export fails')
    await drainQueue(sendMailJob)
    const [confirmation] = mailsTo(smtp, member.email, ticketTag(number))
    expect(confirmation.headers.get('auto-submitted')).toBe('auto-generated')
    expect(confirmation.headers.get('precedence')).toBe('bulk')
  })
})
