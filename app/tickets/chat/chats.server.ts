/**
 * Live chat: a member waits in the queue, an agent accepts, they talk, and it ends, or becomes a
 * ticket whose SLA clock starts when the chat did. Every change runs in one transaction and
 * publishes its realtime events in it (docs/decisions/030-live-chat.md).
 */
import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db, rowsOf, type DbOrTx, type Tx } from '#db/client.server'
import { chatAgents, chatCannedReplies, chatEvents, chatMessages, chats, ticketEvents, ticketMessages, tickets, uploads, users } from '#db/schema/index'
import type { UserRole } from '#db/schema/users'
import { env } from '~/platform/env.server'
import { queueMail } from '~/platform/mail.server'
import { renderMarkdown } from '~/platform/markdown.server'
import { publish, type NewRealtimeEvent } from '~/platform/realtime/publish.server'
import { attachUploadsToChatMessage, chatAttachmentsSql } from '~/uploads/attachments.server'
import { isStaff } from '../internals.server'
import { openTicket } from '../open.server'
import { recomputeSla } from '../sla-clock.server'
import type { TicketPriority } from '../sla/engine'
import { chatOpenness } from './availability.server'
import { CHAT_QUEUE_TOPIC, chatPath, chatTopic, DEFAULT_CAPACITY, type ChatState } from './constants'

export type ChatViewer = { id: number; role: UserRole; username?: string; supportTier?: number | null }

/** The tier an agent works at: their support tier; admins without one count as tier 3, others as 1. */
export const agentTier = (agent: ChatViewer) => agent.supportTier ?? (agent.role === 'admin' ? 3 : 1)

/** Chat visibility in SQL, the one rule: staff see every chat, a member their own. */
const chatVisibleSql = (viewer: ChatViewer) => (isStaff(viewer) ? undefined : eq(chats.memberId, viewer.id))

const members = alias(users, 'chat_members')
const agents = alias(users, 'chat_agents_users')
/** How long, on average, recent chats waited for an agent, when nothing is known yet. */
const DEFAULT_WAIT_SECONDS = 120
const RECENT_ACCEPTS = 20
const MAX_QUEUE_EVENTS = 500

/**
 * Queue places changed: every waiting chat's page and the agents' lists hear it (one statement).
 * The queue is short by nature (agents take chats within minutes); the cap bounds the worst case.
 */
async function queueChanged(tx: DbOrTx, extra: NewRealtimeEvent[] = []) {
  const waiting = await tx
    .select({ id: chats.id })
    .from(chats)
    .where(eq(chats.state, 'queued'))
    .orderBy(desc(chats.premium), asc(chats.queuedAt), asc(chats.id))
    .limit(MAX_QUEUE_EVENTS)
  await publish(tx, [...extra, { topic: CHAT_QUEUE_TOPIC, payload: { kind: 'queue' } }, ...waiting.map((chat) => ({ topic: chatTopic(chat.id), payload: { kind: 'queue' } }))])
}

const chatChanged = (chatId: number, state: ChatState): NewRealtimeEvent => ({ topic: chatTopic(chatId), payload: { kind: 'state', state } })

export type StartChatResult = { ok: true; chatId: number } | { ok: false; reason: 'closed' } | { ok: false; reason: 'already-open'; chatId: number }

/** A member's chat still going on (queued or active), if any: one at a time. */
export async function currentChatOf({ memberId }: { memberId: number }, tx: DbOrTx = db) {
  const [row] = await tx
    .select({ id: chats.id })
    .from(chats)
    .where(and(eq(chats.memberId, memberId), inArray(chats.state, ['queued', 'active'])))
    .limit(1)
  return row?.id ?? null
}

export async function startChat({ memberId, body, uploadIds = [] }: { memberId: number; body: string; uploadIds?: number[] }): Promise<StartChatResult> {
  return db.transaction(async (tx) => {
    // The member's row serialises two starts from two tabs: one chat at a time.
    const [member] = await tx.select({ id: users.id, isPremium: users.isPremium }).from(users).where(eq(users.id, memberId)).for('update')
    if (!member) throw new Error(`No user ${memberId}`)
    const existing = await currentChatOf({ memberId }, tx)
    if (existing) return { ok: false, reason: 'already-open', chatId: existing } as const
    const now = new Date()
    if (!(await chatOpenness(now, tx)).open) return { ok: false, reason: 'closed' } as const
    const [chat] = await tx
      .insert(chats)
      .values({ memberId, premium: member.isPremium, tier: member.isPremium ? 2 : 1, queuedAt: now, startedAt: now })
      .returning({ id: chats.id })
    await insertMessage(tx, { chatId: chat.id, authorId: memberId, byAgent: false, body, uploadIds, at: now })
    await tx.insert(chatEvents).values({ chatId: chat.id, actorId: memberId, kind: 'started', createdAt: now })
    await queueChanged(tx)
    return { ok: true, chatId: chat.id } as const
  })
}

async function insertMessage(tx: Tx, { chatId, authorId, byAgent, body, uploadIds, at }: { chatId: number; authorId: number; byAgent: boolean; body: string; uploadIds: number[]; at: Date }) {
  const [message] = await tx
    .insert(chatMessages)
    .values({ chatId, authorId, byAgent, bodySource: body, bodyHtml: renderMarkdown(body), createdAt: at })
    .returning({ id: chatMessages.id })
  await attachUploadsToChatMessage(tx, { chatMessageId: message.id, ownerId: authorId, uploadIds, bodySource: body })
  await publish(tx, { topic: chatTopic(chatId), payload: { kind: 'message', messageId: message.id } })
  return message.id
}

type LockedChat = { id: number; memberId: number; state: ChatState; agentId: number | null; tier: number; offeredToId: number | null; startedAt: Date; ticketId: number | null; firstAgentReplyAt: Date | null }

async function lockChat(tx: Tx, chatId: number, viewer: ChatViewer): Promise<LockedChat | null> {
  const [chat] = await tx
    .select({
      id: chats.id,
      memberId: chats.memberId,
      state: chats.state,
      agentId: chats.agentId,
      tier: chats.tier,
      offeredToId: chats.offeredToId,
      startedAt: chats.startedAt,
      ticketId: chats.ticketId,
      firstAgentReplyAt: chats.firstAgentReplyAt,
    })
    .from(chats)
    .where(and(eq(chats.id, chatId), chatVisibleSql(viewer)))
    .for('update')
  return chat ?? null
}

export type ChatActionResult = { ok: true } | { ok: false; reason: 'not-found' | 'not-yours' | 'over' | 'taken' | 'full' | 'not-for-you' | 'no-such-agent' }

/** The member writes while waiting or with an agent; the agent who has the chat answers. */
export async function postChatMessage({ chatId, viewer, body, uploadIds = [] }: { chatId: number; viewer: ChatViewer; body: string; uploadIds?: number[] }): Promise<ChatActionResult> {
  return db.transaction(async (tx) => {
    const chat = await lockChat(tx, chatId, viewer)
    if (!chat) return { ok: false, reason: 'not-found' } as const
    if (chat.state !== 'queued' && chat.state !== 'active') return { ok: false, reason: 'over' } as const
    const asMember = chat.memberId === viewer.id
    const asAgent = chat.state === 'active' && chat.agentId === viewer.id
    if (!asMember && !asAgent) return { ok: false, reason: 'not-yours' } as const
    const now = new Date()
    await insertMessage(tx, { chatId, authorId: viewer.id, byAgent: asAgent && !asMember, body, uploadIds, at: now })
    if (asAgent && !asMember && !chat.firstAgentReplyAt) await tx.update(chats).set({ firstAgentReplyAt: now }).where(eq(chats.id, chatId))
    return { ok: true } as const
  })
}

/**
 * The agent takes a waiting chat. Two agents at once: the row lock makes the second see it active
 * and get "taken". An agent at capacity gets "full" (their user row serialises their tabs).
 */
export async function acceptChat({ chatId, agent }: { chatId: number; agent: ChatViewer }): Promise<ChatActionResult> {
  if (!isStaff(agent)) return { ok: false, reason: 'not-found' }
  return db.transaction(async (tx) => {
    // The agent's own row serialises their tabs (capacity holds); a refused accept writes nothing.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, agent.id)).for('no key update')
    const [availability] = await tx.select({ capacity: chatAgents.capacity }).from(chatAgents).where(eq(chatAgents.userId, agent.id))
    const chat = await lockChat(tx, chatId, agent)
    if (!chat) return { ok: false, reason: 'not-found' } as const
    if (chat.state !== 'queued') return { ok: false, reason: chat.state === 'active' ? 'taken' : 'over' } as const
    if (chat.offeredToId !== null && chat.offeredToId !== agent.id) return { ok: false, reason: 'not-for-you' } as const
    if (chat.offeredToId === null && chat.tier > agentTier(agent)) return { ok: false, reason: 'not-for-you' } as const
    const [{ active }] = await tx
      .select({ active: sql<number>`count(*)::int` })
      .from(chats)
      .where(and(eq(chats.agentId, agent.id), eq(chats.state, 'active')))
    if (active >= (availability?.capacity ?? DEFAULT_CAPACITY)) return { ok: false, reason: 'full' } as const
    const now = new Date()
    await tx
      .update(chats)
      .set({ state: 'active', agentId: agent.id, offeredToId: null, acceptedAt: sql`coalesce(${chats.acceptedAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(chats.id, chatId))
    await tx.insert(chatEvents).values({ chatId, actorId: agent.id, kind: 'accepted', createdAt: now })
    await queueChanged(tx, [chatChanged(chatId, 'active')])
    return { ok: true } as const
  })
}

/** Back to the queue for another agent (only they see it) or a tier, with a note for them. */
export async function transferChat({ chatId, agent, to, note }: { chatId: number; agent: ChatViewer; to: { agentId: number } | { tier: number }; note: string }): Promise<ChatActionResult> {
  if (!isStaff(agent)) return { ok: false, reason: 'not-found' }
  return db.transaction(async (tx) => {
    const chat = await lockChat(tx, chatId, agent)
    if (!chat) return { ok: false, reason: 'not-found' } as const
    if (chat.state !== 'active') return { ok: false, reason: 'over' } as const
    if (chat.agentId !== agent.id) return { ok: false, reason: 'not-yours' } as const
    if ('agentId' in to) {
      const [target] = await tx
        .select({ id: users.id, role: users.role })
        .from(users)
        .where(and(eq(users.id, to.agentId), isNull(users.deletedAt)))
      if (!target || !isStaff(target) || target.id === agent.id) return { ok: false, reason: 'no-such-agent' } as const
    }
    const now = new Date()
    await tx
      .update(chats)
      .set({ state: 'queued', agentId: null, ...('agentId' in to ? { offeredToId: to.agentId } : { offeredToId: null, tier: to.tier }) })
      .where(eq(chats.id, chatId))
    await tx.insert(chatEvents).values({ chatId, actorId: agent.id, kind: 'transferred', note, createdAt: now, ...('agentId' in to ? { toAgentId: to.agentId } : { toTier: to.tier }) })
    await queueChanged(tx, [chatChanged(chatId, 'queued')])
    return { ok: true } as const
  })
}

/**
 * Ends the chat: the member leaving before an agent took it abandons it; otherwise it has ended,
 * and the member is mailed the transcript with a link to rate it.
 */
export async function endChat({ chatId, viewer }: { chatId: number; viewer: ChatViewer }): Promise<ChatActionResult> {
  return db.transaction(async (tx) => {
    const chat = await lockChat(tx, chatId, viewer)
    if (!chat) return { ok: false, reason: 'not-found' } as const
    if (chat.state !== 'queued' && chat.state !== 'active') return { ok: false, reason: 'over' } as const
    const asMember = chat.memberId === viewer.id
    if (!asMember && chat.agentId !== viewer.id) return { ok: false, reason: 'not-yours' } as const
    const state: ChatState = chat.state === 'queued' ? 'abandoned' : 'ended'
    const now = new Date()
    await tx.update(chats).set({ state, endedAt: now, offeredToId: null }).where(eq(chats.id, chatId))
    await tx.insert(chatEvents).values({ chatId, actorId: viewer.id, kind: state === 'abandoned' ? 'abandoned' : 'ended', createdAt: now })
    if (state === 'ended') await mailTranscript(tx, chatId)
    await queueChanged(tx, [chatChanged(chatId, state)])
    return { ok: true } as const
  })
}

async function transcriptOf(tx: DbOrTx, chatId: number) {
  return tx
    .select({ id: chatMessages.id, authorId: chatMessages.authorId, username: users.username, byAgent: chatMessages.byAgent, bodySource: chatMessages.bodySource, createdAt: chatMessages.createdAt })
    .from(chatMessages)
    .innerJoin(users, eq(users.id, chatMessages.authorId))
    .where(eq(chatMessages.chatId, chatId))
    .orderBy(asc(chatMessages.id))
}

export const chatRatingUrl = (chatId: number) => `${env.publicUrl}${chatPath(chatId)}/rate`

async function mailTranscript(tx: Tx, chatId: number) {
  const [member] = await tx.select({ email: users.email, username: users.username }).from(chats).innerJoin(users, eq(users.id, chats.memberId)).where(eq(chats.id, chatId))
  const lines = (await transcriptOf(tx, chatId)).map((m) => `[${m.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC] ${m.byAgent ? `${m.username} (support)` : m.username}:\n${m.bodySource}`)
  const text = [
    `Hello ${member.username},`,
    '',
    'Thank you for chatting with our support team. Here is the conversation:',
    '',
    ...lines.flatMap((line) => [line, '']),
    `How did we do? Rate this chat (1 to 5): ${chatRatingUrl(chatId)}`,
    '',
    `The chat stays at ${env.publicUrl}${chatPath(chatId)}`,
  ].join('\n')
  await queueMail(tx, { to: member.email, subject: `Your chat with Parley support (chat #${chatId})`, text })
}

export type ConvertChatResult = { ok: true; number: number } | { ok: false; reason: 'not-found' | 'not-yours' | 'over' | 'already-converted'; number?: number }

/**
 * Makes the chat a ticket through openTicket: its SLA clock starts when the chat started (that is
 * how long the member has been waiting), the transcript becomes its first messages (the agent's
 * chat replies count as responses, as they were), and chat and ticket point at each other.
 */
export async function convertChatToTicket({ chatId, agent, priority }: { chatId: number; agent: ChatViewer; priority: TicketPriority }): Promise<ConvertChatResult> {
  if (!isStaff(agent)) return { ok: false, reason: 'not-found' }
  return db.transaction(async (tx) => {
    const chat = await lockChat(tx, chatId, agent)
    if (!chat) return { ok: false, reason: 'not-found' } as const
    if (chat.ticketId) {
      const [ticket] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, chat.ticketId))
      return { ok: false, reason: 'already-converted', number: ticket?.number } as const
    }
    if (chat.state !== 'active' && chat.state !== 'ended') return { ok: false, reason: 'over' } as const
    if (chat.state === 'active' && chat.agentId !== agent.id) return { ok: false, reason: 'not-yours' } as const
    const [first, ...rest] = await transcriptOf(tx, chatId)
    const subjectText = first.bodySource.replace(/\s+/g, ' ').trim()
    const subject = `Chat: ${subjectText.length > 80 ? `${subjectText.slice(0, 79)}…` : subjectText}`.padEnd(5, '.')
    const ticket = await openTicket(tx, {
      subject,
      priority,
      source: 'chat',
      requester: { id: chat.memberId },
      bodySource: first.bodySource,
      actorId: agent.id,
      slaStartedAt: chat.startedAt,
      messageAt: first.createdAt,
    })
    const [ticketRow] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, ticket.number))
    const [firstTicketMessage] = await tx.select({ id: ticketMessages.id }).from(ticketMessages).where(eq(ticketMessages.ticketId, ticketRow.id)).limit(1)
    await tx.update(uploads).set({ ticketMessageId: firstTicketMessage.id }).where(eq(uploads.chatMessageId, first.id))
    for (const message of rest) {
      const [copied] = await tx
        .insert(ticketMessages)
        .values({ ticketId: ticketRow.id, authorId: message.authorId, byStaff: message.byAgent, bodySource: message.bodySource, bodyHtml: renderMarkdown(message.bodySource), createdAt: message.createdAt })
        .returning({ id: ticketMessages.id })
      await tx.update(uploads).set({ ticketMessageId: copied.id }).where(eq(uploads.chatMessageId, message.id))
    }
    const firstReply = rest.find((message) => message.byAgent)
    await tx
      .update(tickets)
      .set({ assigneeId: agent.id, ...(firstReply ? { firstResponseAt: firstReply.createdAt } : {}) })
      .where(eq(tickets.id, ticketRow.id))
    // The ticket's history links back to the chat.
    await tx
      .update(ticketEvents)
      .set({ reason: chatPath(chatId) })
      .where(and(eq(ticketEvents.ticketId, ticketRow.id), eq(ticketEvents.kind, 'created')))
    await recomputeSla(tx, ticketRow.id)
    const now = new Date()
    await tx.update(chats).set({ state: 'converted', ticketId: ticketRow.id, endedAt: sql`coalesce(${chats.endedAt}, ${now.toISOString()}::timestamptz)` }).where(eq(chats.id, chatId))
    await tx.insert(chatEvents).values({ chatId, actorId: agent.id, kind: 'converted', note: `#${ticket.number}`, createdAt: now })
    await queueChanged(tx, [chatChanged(chatId, 'converted')])
    return { ok: true, number: ticket.number } as const
  })
}

export type RateChatResult = { ok: true } | { ok: false; reason: 'not-found' | 'not-ended' | 'already-rated' }

/** Once, by the member, after the chat ended (or became a ticket). */
export async function rateChat({ chatId, memberId, score, comment }: { chatId: number; memberId: number; score: number; comment: string }): Promise<RateChatResult> {
  return db.transaction(async (tx) => {
    const [chat] = await tx
      .select({ state: chats.state, ratedAt: chats.ratedAt })
      .from(chats)
      .where(and(eq(chats.id, chatId), eq(chats.memberId, memberId)))
      .for('update')
    if (!chat) return { ok: false, reason: 'not-found' } as const
    if (chat.state !== 'ended' && chat.state !== 'converted') return { ok: false, reason: 'not-ended' } as const
    if (chat.ratedAt) return { ok: false, reason: 'already-rated' } as const
    const now = new Date()
    await tx.update(chats).set({ rating: score, ratingComment: comment, ratedAt: now }).where(eq(chats.id, chatId))
    await tx.insert(chatEvents).values({ chatId, actorId: memberId, kind: 'rated', note: String(score), createdAt: now })
    return { ok: true } as const
  })
}

/** "The agent is typing" (or the member): nothing is stored but the realtime event. */
export async function announceTyping({ chatId, viewer }: { chatId: number; viewer: ChatViewer }) {
  const [chat] = await db
    .select({ memberId: chats.memberId, agentId: chats.agentId, state: chats.state })
    .from(chats)
    .where(and(eq(chats.id, chatId), chatVisibleSql(viewer)))
  if (!chat) return false
  const who = chat.memberId === viewer.id ? 'member' : chat.agentId === viewer.id ? 'agent' : null
  if (who && (chat.state === 'active' || chat.state === 'queued')) await publish(db, { topic: chatTopic(chatId), payload: { kind: 'typing', who } })
  return true
}

/** May this viewer follow the chat's topic? The chat page's rule. */
export async function chatVisibleTo({ chatId, viewer }: { chatId: number; viewer: ChatViewer }) {
  const [row] = await db
    .select({ id: chats.id })
    .from(chats)
    .where(and(eq(chats.id, chatId), chatVisibleSql(viewer)))
  return !!row
}

const messageColumns = {
  id: chatMessages.id,
  authorUsername: users.username,
  byAgent: chatMessages.byAgent,
  bodyHtml: chatMessages.bodyHtml,
  createdAt: chatMessages.createdAt,
  attachments: chatAttachmentsSql(chatMessages.id),
}

/** Messages after `afterId` (the browser's newest), for the live page; null when not visible. */
export async function chatMessagesAfter({ chatId, viewer, afterId }: { chatId: number; viewer: ChatViewer; afterId: number }) {
  if (!(await chatVisibleTo({ chatId, viewer }))) return null
  return db
    .select(messageColumns)
    .from(chatMessages)
    .innerJoin(users, eq(users.id, chatMessages.authorId))
    .where(and(eq(chatMessages.chatId, chatId), gt(chatMessages.id, afterId)))
    .orderBy(asc(chatMessages.id))
    .limit(200)
}

/** Average of recent waits for an agent, times the place in the queue. */
async function estimatedWaitSeconds(place: number) {
  const [row] = rowsOf<{ seconds: number | null }>(
    await db.execute(sql`
      select avg(extract(epoch from accepted_at - queued_at))::float8 as seconds from (
        select accepted_at, queued_at from ${chats} where accepted_at is not null order by accepted_at desc limit ${RECENT_ACCEPTS}
      ) recent`),
  )
  const average = row?.seconds && row.seconds > 0 ? row.seconds : DEFAULT_WAIT_SECONDS
  return Math.max(30, Math.round(average * place))
}

function chatEventsOf(chatId: number) {
  return db
    .select({ id: chatEvents.id, kind: chatEvents.kind, note: chatEvents.note, toTier: chatEvents.toTier, actorUsername: users.username, toAgentUsername: agents.username, createdAt: chatEvents.createdAt })
    .from(chatEvents)
    .leftJoin(users, eq(users.id, chatEvents.actorId))
    .leftJoin(agents, eq(agents.id, chatEvents.toAgentId))
    .where(eq(chatEvents.chatId, chatId))
    .orderBy(asc(chatEvents.id))
}

/** The chat page: the chat, its messages, the queue place and wait while queued, events for staff. */
export async function getChat({ chatId, viewer }: { chatId: number; viewer: ChatViewer }) {
  const [chat] = await db
    .select({
      id: chats.id,
      state: chats.state,
      tier: chats.tier,
      premium: chats.premium,
      memberId: chats.memberId,
      memberUsername: members.username,
      agentId: chats.agentId,
      agentUsername: agents.username,
      offeredToId: chats.offeredToId,
      startedAt: chats.startedAt,
      queuedAt: chats.queuedAt,
      acceptedAt: chats.acceptedAt,
      endedAt: chats.endedAt,
      rating: chats.rating,
      ticketNumber: tickets.number,
      place: sql<number>`(case when ${chats.state} = 'queued' then (
        select count(*) + 1 from ${chats} q where q.state = 'queued'
          and (q.premium and not ${chats.premium} or (q.premium = ${chats.premium} and (q.queued_at, q.id) < (${chats.queuedAt}, ${chats.id})))
      ) end)::int`,
    })
    .from(chats)
    .innerJoin(members, eq(members.id, chats.memberId))
    .leftJoin(agents, eq(agents.id, chats.agentId))
    .leftJoin(tickets, eq(tickets.id, chats.ticketId))
    .where(and(eq(chats.id, chatId), chatVisibleSql(viewer)))
  if (!chat) return null
  const [messages, events, waitSeconds] = await Promise.all([
    db.select(messageColumns).from(chatMessages).innerJoin(users, eq(users.id, chatMessages.authorId)).where(eq(chatMessages.chatId, chatId)).orderBy(asc(chatMessages.id)).limit(1000),
    isStaff(viewer) ? chatEventsOf(chatId) : Promise.resolve([] as Awaited<ReturnType<typeof chatEventsOf>>),
    chat.place ? estimatedWaitSeconds(chat.place) : Promise.resolve(null),
  ])
  return { chat: { ...chat, waitSeconds }, messages, events }
}

/**
 * An agent's waiting list: chats offered to them by name, and chats waiting for their tier or a
 * lower one (a higher tier helps out below; a chat waiting for a higher tier is not theirs).
 * Premium first, then the longest waiting.
 */
export async function waitingListFor({ agent, limit = 50 }: { agent: ChatViewer; limit?: number }) {
  return db
    .select({ id: chats.id, memberUsername: members.username, premium: chats.premium, tier: chats.tier, queuedAt: chats.queuedAt, startedAt: chats.startedAt, offeredToMe: sql<boolean>`${chats.offeredToId} is not null`, firstMessage: sql<string>`(select left(m.body_source, 140) from ${chatMessages} m where m.chat_id = ${chats.id} order by m.id limit 1)` })
    .from(chats)
    .innerJoin(members, eq(members.id, chats.memberId))
    .where(and(eq(chats.state, 'queued'), or(eq(chats.offeredToId, agent.id), and(isNull(chats.offeredToId), sql`${chats.tier} <= ${agentTier(agent)}`))))
    .orderBy(desc(chats.premium), asc(chats.queuedAt), asc(chats.id))
    .limit(limit)
}

/** The chats an agent has now. */
export async function activeChatsOf({ agentId }: { agentId: number }) {
  return db
    .select({ id: chats.id, memberUsername: members.username, premium: chats.premium, acceptedAt: chats.acceptedAt })
    .from(chats)
    .innerJoin(members, eq(members.id, chats.memberId))
    .where(and(eq(chats.agentId, agentId), eq(chats.state, 'active')))
    .orderBy(asc(chats.acceptedAt))
}

/** A member's chats for "My requests", newest first (the newest `limit`). */
export async function chatsOfMember({ memberId, limit = 20 }: { memberId: number; limit?: number }) {
  return db
    .select({ id: chats.id, state: chats.state, startedAt: chats.startedAt, ticketNumber: tickets.number, firstMessage: sql<string>`(select left(m.body_source, 100) from ${chatMessages} m where m.chat_id = ${chats.id} order by m.id limit 1)` })
    .from(chats)
    .leftJoin(tickets, eq(tickets.id, chats.ticketId))
    .where(eq(chats.memberId, memberId))
    .orderBy(desc(chats.startedAt), desc(chats.id))
    .limit(limit)
}

/** For /staff/sla: chats started since `from`, median time to the first agent reply, abandoned, average rating. */
export async function chatFigures({ from }: { from: Date }) {
  const [row] = await db
    .select({
      chats: sql<number>`count(*)::int`,
      medianFirstReplySeconds: sql<number | null>`(percentile_cont(0.5) within group (order by extract(epoch from ${chats.firstAgentReplyAt} - ${chats.startedAt})))::float8`,
      abandoned: sql<number>`count(*) filter (where ${chats.state} = 'abandoned')::int`,
      averageRating: sql<number | null>`avg(${chats.rating})::float8`,
      ratings: sql<number>`count(${chats.rating})::int`,
    })
    .from(chats)
    .where(sql`${chats.startedAt} >= ${from.toISOString()}::timestamptz`)
  return row
}

export async function listCannedReplies() {
  return db.select({ id: chatCannedReplies.id, title: chatCannedReplies.title, body: chatCannedReplies.body }).from(chatCannedReplies).orderBy(asc(chatCannedReplies.id)).limit(100)
}

export async function addCannedReply({ title, body }: { title: string; body: string }) {
  await db.insert(chatCannedReplies).values({ title, body })
}

export async function removeCannedReply({ id }: { id: number }) {
  await db.delete(chatCannedReplies).where(eq(chatCannedReplies.id, id))
}
