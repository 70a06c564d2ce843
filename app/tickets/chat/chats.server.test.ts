import { eq, sql } from 'drizzle-orm'
import type { AddressObject } from 'mailparser'
import { beforeEach, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { chats, ticketMessages, tickets } from '#db/schema/index'
import { drainQueue } from '~/platform/jobs/boss.server'
import { sendMailJob } from '~/platform/mail-jobs.server'
import { updateBusinessWeek } from '../sla-settings.server'
import { chatOpenness, getAgentAvailability, setAgentAvailability } from './availability.server'
import { acceptChat, chatFigures, chatMessagesAfter, convertChatToTicket, endChat, getChat, postChatMessage, rateChat, startChat, transferChat, waitingListFor } from './chats.server'
import { createTestUser } from '../../../tests/factories'
import { useSmtpReceivers } from '../../../tests/setup/smtp-receivers'

const receiver = useSmtpReceivers()
const ALWAYS_OPEN = { timeZone: 'UTC', weekdays: [1, 2, 3, 4, 5, 6, 7], opensAt: '00:00', closesAt: '24:00' }

type Person = Awaited<ReturnType<typeof createTestUser>> & { supportTier?: number | null }

async function agent(tier = 1, capacity = 2): Promise<Person> {
  const user = await createTestUser({ role: 'agent', supportTier: tier })
  await setAgentAvailability({ agentId: user.id, available: true, capacity })
  return { ...user, supportTier: tier }
}

async function started(member: { id: number }, body = 'My export keeps failing, can you help?') {
  const result = await startChat({ memberId: member.id, body })
  if (!result.ok) throw new Error(`chat not started: ${result.reason}`)
  return result.chatId
}

const stored = async (chatId: number) => (await db.select().from(chats).where(eq(chats.id, chatId)))[0]

beforeEach(async () => {
  await updateBusinessWeek(ALWAYS_OPEN)
})

describe('live chat', () => {
  test('chat is open only while the calendar is open and an agent is available; otherwise it says when it opens', async () => {
    await db.execute(sql`update chat_agents set available = false`)
    expect(await chatOpenness()).toEqual({ open: false, reason: 'no-agents' })
    const member = await createTestUser()
    expect(await startChat({ memberId: member.id, body: 'Hello?' })).toEqual({ ok: false, reason: 'closed' })

    await agent()
    expect(await chatOpenness()).toEqual({ open: true })

    // Only tomorrow (in UTC) is a working day: closed now, open at tomorrow's midnight.
    const now = new Date()
    const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1))
    const isoWeekday = tomorrow.getUTCDay() === 0 ? 7 : tomorrow.getUTCDay()
    await updateBusinessWeek({ ...ALWAYS_OPEN, weekdays: [isoWeekday] })
    const closed = await chatOpenness(now)
    expect(closed).toEqual({ open: false, reason: 'closed', opensAt: tomorrow })
  })

  test('the waiting list puts premium members first, then the longest waiting, and shows each agent their tier and below', async () => {
    const tier1 = await agent(1)
    const tier2 = await agent(2)
    const early = await createTestUser()
    const late = await createTestUser()
    const premium = await createTestUser({ isPremium: true })
    const earlyChat = await started(early)
    const lateChat = await started(late)
    const premiumChat = await started(premium)
    expect((await stored(premiumChat)).tier).toBe(2)

    const forTier2 = (await waitingListFor({ agent: { ...tier2, role: 'agent' } })).map((c) => c.id).filter((id) => [earlyChat, lateChat, premiumChat].includes(id))
    expect(forTier2).toEqual([premiumChat, earlyChat, lateChat])
    // A premium chat waits for tier 2: a tier-1 agent neither sees nor takes it.
    const forTier1 = (await waitingListFor({ agent: { ...tier1, role: 'agent' } })).map((c) => c.id)
    expect(forTier1).toContain(earlyChat)
    expect(forTier1).not.toContain(premiumChat)
    expect(await acceptChat({ chatId: premiumChat, agent: { ...tier1, role: 'agent' } })).toEqual({ ok: false, reason: 'not-for-you' })

    // The member sees their place and an estimate.
    const view = await getChat({ chatId: lateChat, viewer: { id: late.id, role: 'member' } })
    expect(view!.chat.place).toBeGreaterThanOrEqual(3)
    expect(view!.chat.waitSeconds).toBeGreaterThan(0)
    for (const chatId of [earlyChat, lateChat, premiumChat]) await endChat({ chatId, viewer: { id: (await stored(chatId)).memberId, role: 'member' } })
  })

  test('an agent accepts up to their capacity; a taken chat cannot be taken again', async () => {
    const busy = { ...(await agent(1, 1)), role: 'agent' as const }
    const other = { ...(await agent(1)), role: 'agent' as const }
    const first = await started(await createTestUser())
    const second = await started(await createTestUser())
    expect(await acceptChat({ chatId: first, agent: busy })).toEqual({ ok: true })
    expect(await acceptChat({ chatId: first, agent: other })).toEqual({ ok: false, reason: 'taken' })
    expect(await acceptChat({ chatId: second, agent: busy })).toEqual({ ok: false, reason: 'full' })
    expect(await getAgentAvailability({ agentId: busy.id })).toMatchObject({ available: true, capacity: 1, activeChats: 1 })
    expect(await acceptChat({ chatId: second, agent: other })).toEqual({ ok: true })
    expect((await stored(first)).state).toBe('active')
  })

  test('state machine: leaving before an agent abandons; after, it ends; nothing is written to a chat that is over', async () => {
    const taker = { ...(await agent()), role: 'agent' as const }
    const member = await createTestUser()
    const viewer = { id: member.id, role: 'member' as const }
    const waiting = await started(member)
    // Only the chat's agent answers it.
    expect(await postChatMessage({ chatId: waiting, viewer: taker, body: 'Hi' })).toEqual({ ok: false, reason: 'not-yours' })
    expect(await endChat({ chatId: waiting, viewer })).toEqual({ ok: true })
    expect((await stored(waiting)).state).toBe('abandoned')
    expect(await postChatMessage({ chatId: waiting, viewer, body: 'Still there?' })).toEqual({ ok: false, reason: 'over' })

    const talked = await started(member)
    expect(await acceptChat({ chatId: talked, agent: taker })).toEqual({ ok: true })
    expect(await postChatMessage({ chatId: talked, viewer: taker, body: 'Hello, I can help.' })).toEqual({ ok: true })
    expect((await stored(talked)).firstAgentReplyAt).toBeInstanceOf(Date)
    // Another member cannot see it at all.
    const stranger = await createTestUser()
    expect(await getChat({ chatId: talked, viewer: { id: stranger.id, role: 'member' } })).toBeNull()
    expect(await chatMessagesAfter({ chatId: talked, viewer: { id: stranger.id, role: 'member' }, afterId: 0 })).toBeNull()
    const messages = await chatMessagesAfter({ chatId: talked, viewer, afterId: 0 })
    expect(messages!.map((m) => m.byAgent)).toEqual([false, true])
    expect(await chatMessagesAfter({ chatId: talked, viewer, afterId: messages![1].id })).toEqual([])
    expect(await endChat({ chatId: talked, viewer: taker })).toEqual({ ok: true })
    expect((await stored(talked)).state).toBe('ended')
    expect(await endChat({ chatId: talked, viewer })).toEqual({ ok: false, reason: 'over' })
    expect(await chatFigures({ from: new Date(Date.now() - 3_600_000) })).toMatchObject({ abandoned: expect.any(Number), chats: expect.any(Number) })
  })

  test('a transfer to a tier re-queues the chat for that tier; a transfer to an agent offers it to them alone', async () => {
    const first = { ...(await agent(1)), role: 'agent' as const }
    const senior = { ...(await agent(3)), role: 'agent' as const }
    const bystander = { ...(await agent(3)), role: 'agent' as const }
    const chatId = await started(await createTestUser())
    await acceptChat({ chatId, agent: first })
    expect(await transferChat({ chatId, agent: first, to: { tier: 3 }, note: 'Needs the billing team' })).toEqual({ ok: true })
    expect(await stored(chatId)).toMatchObject({ state: 'queued', tier: 3, agentId: null })
    expect(await acceptChat({ chatId, agent: first })).toEqual({ ok: false, reason: 'not-for-you' })
    await acceptChat({ chatId, agent: bystander })
    expect(await transferChat({ chatId, agent: bystander, to: { agentId: senior.id }, note: 'Yours, as agreed' })).toEqual({ ok: true })
    expect((await waitingListFor({ agent: first })).map((c) => c.id)).not.toContain(chatId)
    expect(await acceptChat({ chatId, agent: bystander })).toEqual({ ok: false, reason: 'not-for-you' })
    expect(await acceptChat({ chatId, agent: senior })).toEqual({ ok: true })
    const { events } = (await getChat({ chatId, viewer: senior }))!
    expect(events.map((e) => e.kind)).toEqual(['started', 'accepted', 'transferred', 'accepted', 'transferred', 'accepted'])
    expect(events[2].note).toBe('Needs the billing team')
  })

  test('convert to ticket: the ticket’s clock starts when the chat started, the transcript is its first messages, and both link', async () => {
    const taker = { ...(await agent()), role: 'agent' as const }
    const member = await createTestUser()
    const chatId = await started(member, 'The invoices page is blank since this morning.')
    await acceptChat({ chatId, agent: taker })
    await postChatMessage({ chatId, viewer: { id: member.id, role: 'member' }, body: 'Any news?' })
    // As if the chat had started two hours ago.
    const startedAt = new Date(Date.now() - 2 * 3_600_000)
    await db.update(chats).set({ startedAt, queuedAt: startedAt }).where(eq(chats.id, chatId))

    const converted = await convertChatToTicket({ chatId, agent: taker, priority: 'critical' })
    if (!converted.ok) throw new Error(converted.reason)
    const [ticket] = await db.select().from(tickets).where(eq(tickets.number, converted.number))
    expect(ticket.source).toBe('chat')
    expect(ticket.slaStartedAt.getTime()).toBe(startedAt.getTime())
    // Critical: first response 15 minutes around the clock, from the chat's start, so already breached.
    expect(ticket.firstResponseDueAt!.getTime()).toBe(startedAt.getTime() + 15 * 60_000)
    expect(ticket.firstResponseBreached).toBe(true)
    const transcript = await db.select({ bodySource: ticketMessages.bodySource }).from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id)).orderBy(ticketMessages.id)
    expect(transcript.map((m) => m.bodySource)).toEqual(['The invoices page is blank since this morning.', 'Any news?'])
    expect(await stored(chatId)).toMatchObject({ state: 'converted', ticketId: ticket.id })
    expect(await convertChatToTicket({ chatId, agent: taker, priority: 'low' })).toEqual({ ok: false, reason: 'already-converted', number: converted.number })
  })

  test('on end the member is mailed the transcript with a rating link, and rates once', async () => {
    const smtp = await receiver({ point: true })
    const taker = { ...(await agent()), role: 'agent' as const }
    const member = await createTestUser()
    const viewer = { id: member.id, role: 'member' as const }
    const chatId = await started(member, 'Where do I change my **plan**?')
    expect(await rateChat({ chatId, memberId: member.id, score: 5, comment: '' })).toEqual({ ok: false, reason: 'not-ended' })
    await acceptChat({ chatId, agent: taker })
    await postChatMessage({ chatId, viewer: taker, body: 'Under Settings → Billing.' })
    await endChat({ chatId, viewer })
    await drainQueue(sendMailJob)
    const mail = smtp.messages.find((m) => [m.to ?? []].flat().some((a: AddressObject) => a.value.some((v) => v.address === member.email)))
    expect(mail?.subject).toContain(`chat #${chatId}`)
    expect(mail?.text).toContain('Where do I change my **plan**?')
    expect(mail?.text).toContain(`${taker.username} (support):\nUnder Settings → Billing.`)
    expect(mail?.text).toContain(`/support/chat/${chatId}/rate`)

    expect(await rateChat({ chatId, memberId: taker.id, score: 1, comment: '' })).toEqual({ ok: false, reason: 'not-found' })
    expect(await rateChat({ chatId, memberId: member.id, score: 4, comment: 'Quick, thanks' })).toEqual({ ok: true })
    expect(await rateChat({ chatId, memberId: member.id, score: 1, comment: '' })).toEqual({ ok: false, reason: 'already-rated' })
    expect(await stored(chatId)).toMatchObject({ rating: 4, ratingComment: 'Quick, thanks' })
  })
})
