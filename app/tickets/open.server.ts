import { randomBytes } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import { db, type Tx } from '#db/client.server'
import { questions, ticketEvents, ticketMessages, tickets, users } from '#db/schema/index'
import type { TicketPriority } from '~/tickets/sla/engine'
import type { TicketSource } from '~/tickets/constants'
import { followUpOpenedMail, ticketOpenedMail } from '~/tickets/mail-texts.server'
import { renderMarkdown } from '~/platform/markdown.server'
import { memberViewerSql, questionVisibleSql } from '~/forum/visibility.server'
import { attachUploadsToTicketMessage } from '~/uploads/attachments.server'
import { tellRequester, ticketQueueChanged, ticketUrl } from './internals.server'
import { recomputeSla } from './sla-clock.server'
import { insertCallBack, type CallBackRequest } from './call-backs.server'

export type NewTicket = {
  subject: string
  priority: TicketPriority
  source: TicketSource
  requester: { id: number } | { email: string }
  bodySource: string
  /** Who opened it: the requester, the converting agent, or null for mail. */
  actorId: number | null
  questionId?: number
  /** The closed ticket a requester's reply reopened as this one. */
  followUpOf?: { id: number; number: number }
  slaStartedAt?: Date
  messageAt?: Date
  emailMessageId?: string | null
  needsTriage?: boolean
  /** The Message-ID of the mail that opened it, so the acknowledgement threads under it. */
  inReplyTo?: string | null
  /** The requester's private uploads sent with the first message (its body's links are attached too). */
  attachmentIds?: number[]
  /** Start higher than the requester's usual tier (mail to the escalation address starts at 2). */
  tier?: 2 | 3
}

/** Opens the ticket and tells the requester it was received (or that it follows up a closed one). */
export async function openTicket(tx: Tx, input: NewTicket) {
  const now = new Date()
  let requesterId: number | null = null
  let requesterEmail: string
  let premium = false
  if ('id' in input.requester) {
    const [requester] = await tx
      .select({ id: users.id, email: users.email, isPremium: users.isPremium })
      .from(users)
      .where(eq(users.id, input.requester.id))
    if (!requester) throw new Error(`No user ${input.requester.id}`)
    requesterId = requester.id
    requesterEmail = requester.email
    premium = requester.isPremium
  } else {
    requesterEmail = input.requester.email
  }
  const [ticket] = await tx
    .insert(tickets)
    .values({
      subject: input.subject.trim(),
      requesterId,
      requesterEmail,
      priority: input.priority,
      tier: Math.max(input.tier ?? 1, premium ? 2 : 1),
      premium,
      source: input.source,
      questionId: input.questionId,
      followUpOfId: input.followUpOf?.id,
      needsTriage: input.needsTriage ?? false,
      ratingToken: randomBytes(18).toString('base64url'),
      createdAt: now,
      updatedAt: now,
      slaStartedAt: input.slaStartedAt ?? now,
    })
    .returning({ id: tickets.id, number: tickets.number, subject: tickets.subject, priority: tickets.priority, requesterId: tickets.requesterId, tier: tickets.tier })
  const [message] = await tx
    .insert(ticketMessages)
    .values({
      ticketId: ticket.id,
      authorId: requesterId,
      authorEmail: requesterId ? null : requesterEmail,
      bodySource: input.bodySource,
      bodyHtml: renderMarkdown(input.bodySource),
      emailMessageId: input.emailMessageId ?? null,
      createdAt: input.messageAt ?? now,
    })
    .returning({ id: ticketMessages.id })
  if (requesterId) await attachUploadsToTicketMessage(tx, { ticketMessageId: message.id, ownerId: requesterId, uploadIds: input.attachmentIds, bodySource: input.bodySource })
  await tx.insert(ticketEvents).values({ ticketId: ticket.id, actorId: input.actorId, kind: 'created', toValue: input.source, createdAt: now })
  await ticketQueueChanged(tx)
  await recomputeSla(tx, ticket.id, now)
  const opened = { ...ticket, requesterEmail }
  if (input.followUpOf) {
    const previous = input.followUpOf.number
    await tellRequester(tx, opened, `Request #${previous} was closed, so your reply opened follow-up request #${opened.number}`, followUpOpenedMail(opened, previous, ticketUrl(opened.number)))
  } else {
    await tellRequester(tx, opened, `We received your request #${opened.number} “${opened.subject}”`, ticketOpenedMail(opened, ticketUrl(opened.number)), input.inReplyTo)
  }
  return opened
}

export type TicketDetails = { whatHappened: string; stepsTried: string; environment: string; accountDetails: string }

/** The web form's template, kept as one Markdown message so agents read it like any other. */
function composeTicketBody(details: TicketDetails) {
  const section = (title: string, text: string) => (text.trim() ? [`**${title}**`, text.trim()] : [])
  return [
    ...section('What happened', details.whatHappened),
    ...section('What I already tried', details.stepsTried),
    ...section('Device, browser and operating system', details.environment),
    ...section('Account details', details.accountDetails),
  ].join('\n\n')
}

export async function createTicket({
  requesterId,
  subject,
  priority,
  details,
  attachmentIds,
  callBack,
}: {
  requesterId: number
  subject: string
  priority: TicketPriority
  details: TicketDetails
  attachmentIds?: number[]
  /** A premium member's call back, checked by checkCallBack; stored with the ticket or not at all. */
  callBack?: CallBackRequest | null
}) {
  return db.transaction(async (tx) => {
    const ticket = await openTicket(tx, {
      subject,
      priority,
      source: 'web',
      requester: { id: requesterId },
      bodySource: composeTicketBody(details),
      actorId: requesterId,
      attachmentIds,
    })
    if (callBack) await insertCallBack(tx, { ticketId: ticket.id, requestedById: requesterId, request: callBack })
    return { number: ticket.number }
  })
}

export type ConvertResult =
  | { ok: true; number: number }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'already-converted'; number: number }

/**
 * Staff take a thread to a private ticket: the question becomes the first message, the asker the
 * requester, and the SLA clock starts when the question was asked, since that is how long the
 * customer has been waiting.
 */
export async function convertThreadToTicket({ questionId, staffId, priority }: { questionId: number; staffId: number; priority: TicketPriority }): Promise<ConvertResult> {
  return db.transaction(async (tx) => {
    // Locking the question serialises two agents converting at once; the unique index backs it up.
    const [question] = await tx
      .select({ id: questions.id, title: questions.title, bodySource: questions.bodySource, authorId: questions.authorId, createdAt: questions.createdAt })
      .from(questions)
      // A thread the agent may not see (hidden or removed) is not there for them: nobody is mailed.
      // A removed thread converts for nobody, admins included: restoring it comes first.
      .where(and(eq(questions.id, questionId), isNull(questions.removedAt), questionVisibleSql(memberViewerSql(staffId))))
      .for('update')
    if (!question) return { ok: false, reason: 'not-found' } as const
    const [existing] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.questionId, questionId))
    if (existing) return { ok: false, reason: 'already-converted', number: existing.number } as const
    const ticket = await openTicket(tx, {
      subject: question.title,
      priority,
      source: 'thread',
      requester: { id: question.authorId },
      bodySource: question.bodySource,
      actorId: staffId,
      questionId,
      slaStartedAt: question.createdAt,
      messageAt: question.createdAt,
    })
    return { ok: true, number: ticket.number } as const
  })
}

/** The ticket a thread was taken to, for the thread's notice (shown only to the asker and staff). */
export async function getTicketNumberForQuestion({ questionId }: { questionId: number }) {
  const [row] = await db.select({ number: tickets.number }).from(tickets).where(eq(tickets.questionId, questionId))
  return row?.number ?? null
}
