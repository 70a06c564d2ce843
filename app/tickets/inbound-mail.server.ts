import { and, eq, isNull, or, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { ticketMailIds, ticketMessages, tickets, users } from '#db/schema/index'
import { env } from '~/platform/env.server'
import { logger } from '~/platform/logger.server'
import { addTicketMessage, escalateByMail, tellTier } from './changes.server'
import { requesterEmailSql } from './internals.server'
import { openTicket } from './open.server'

export type InboundEmail = {
  from: string
  subject: string
  text: string
  messageId: string
  inReplyTo: string | null
  to?: string
  headers?: Record<string, string> | [string, string][]
}
export type InboundResult =
  | { action: 'created' | 'appended' | 'follow-up' | 'duplicate' | 'escalated' | 'created-escalated'; number: number }
  | { action: 'ignored'; number: null; reason: string }

/**
 * Why a mail was written by a machine rather than a person (RFC 3834 and what mail servers do in
 * practice), or null. Such mail never becomes a ticket message: answering an out-of-office with a
 * confirmation, which draws another out-of-office, is how mail loops start.
 */
export function automaticMailReason(mail: Pick<InboundEmail, 'from' | 'headers'>): string | null {
  const headers = new Map<string, string>()
  for (const [name, value] of Array.isArray(mail.headers) ? mail.headers : Object.entries(mail.headers ?? {})) headers.set(name.trim().toLowerCase(), value.trim())
  const header = (name: string) => headers.get(name)
  const autoSubmitted = header('auto-submitted')
  if (autoSubmitted && autoSubmitted.toLowerCase() !== 'no') return `Auto-Submitted: ${autoSubmitted}`
  for (const name of ['x-autoreply', 'x-autorespond', 'x-auto-response-suppress']) {
    if (header(name) !== undefined) return `${name} header`
  }
  const precedence = header('precedence')?.toLowerCase()
  if (precedence && ['auto_reply', 'bulk', 'junk', 'list'].includes(precedence)) return `Precedence: ${precedence}`
  const contentType = header('content-type')?.toLowerCase() ?? ''
  if (contentType.startsWith('multipart/report')) return 'a delivery or read report (multipart/report)'
  const sender = emailAddressOf(mail.from)
  const local = sender.slice(0, sender.lastIndexOf('@'))
  if (['mailer-daemon', 'postmaster'].includes(local)) return `sent by ${local}`
  const ours = emailAddressOf(env.mailFrom)
  if (sender === ours) return 'sent from our own address (a loop)'
  return null
}

/** "Ann Smith <ann@example.com>" → "ann@example.com". */
function emailAddressOf(from: string) {
  const match = from.match(/<([^<>\s]+@[^<>\s]+)>/)
  return (match ? match[1] : from).trim().toLowerCase()
}

/** Every address in a To/Cc header value, lower-cased. */
function addressesIn(header: string) {
  return [...header.matchAll(/[^\s<>,;"]+@[^\s<>,;"]+/g)].map((m) => m[0].toLowerCase())
}

/**
 * Mail from the provider's webhook. A reply (by `[#1042]` in the subject or In-Reply-To one of our
 * Message-IDs) is appended only when it comes from that ticket's requester; anything else opens
 * a new medium-priority ticket, account-less and flagged for an agent when the sender is unknown.
 * Mail to ESCALATION_ADDRESS escalates the ticket it refers to one step (after the message is
 * added), or opens a new one at tier 2 with high priority; either way the tier hears at once.
 */
export async function receiveInboundEmail(mail: InboundEmail): Promise<InboundResult> {
  const automatic = automaticMailReason(mail)
  if (automatic) {
    // Logged, not stored: a bounce or out-of-office is no one's message to read on a ticket.
    logger.info({ inboundMail: { from: mail.from, subject: mail.subject, messageId: mail.messageId, reason: automatic } }, 'inbound mail ignored: not written by a person')
    return { action: 'ignored', number: null, reason: automatic }
  }
  const sender = emailAddressOf(mail.from)
  const [duplicate] = await db
    .select({ number: tickets.number })
    .from(ticketMessages)
    .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
    .where(eq(ticketMessages.emailMessageId, mail.messageId))
  if (duplicate) return { action: 'duplicate', number: duplicate.number }

  const [account] = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${sender}`, isNull(users.deletedAt)))
  const subjectNumber = Number(mail.subject.match(/\[#(\d{1,10})\]/)?.[1] ?? NaN)
  const [target] = await db
    .select({ number: tickets.number, requesterId: tickets.requesterId, requesterEmail: requesterEmailSql })
    .from(tickets)
    .where(
      or(
        Number.isFinite(subjectNumber) ? eq(tickets.number, subjectNumber) : undefined,
        mail.inReplyTo ? sql`${tickets.id} = (select ${ticketMailIds.ticketId} from ${ticketMailIds} where ${ticketMailIds.messageId} = ${mail.inReplyTo})` : undefined,
        sql`false`,
      ),
    )
    .limit(1)

  const escalation = !!env.escalationAddress && addressesIn(mail.to ?? '').includes(env.escalationAddress)
  const reason = `Mail to ${env.escalationAddress}: ${mail.subject.trim() || '(no subject)'}`.slice(0, 1_000)

  if (target && target.requesterEmail.toLowerCase() === sender) {
    // Someone who wrote in without an account and registered later still replies as the address
    // the ticket belongs to: their account is not its requester.
    const author = account && target.requesterId === account.id ? { id: account.id, role: 'member' as const, username: account.username } : { email: sender }
    const result = await addTicketMessage({ number: target.number, author, bodySource: mail.text, emailMessageId: mail.messageId, via: 'email' })
    if (result.ok && escalation && (await escalateByMail({ number: result.number, requesterId: 'id' in author ? (author.id ?? null) : null, reason }))) {
      return { action: 'escalated', number: result.number }
    }
    if (result.ok) return { action: result.followUp ? 'follow-up' : 'appended', number: result.number }
  }

  return db.transaction(async (tx) => {
    const ticket = await openTicket(tx, {
      subject: mail.subject.replace(/^\s*((re|fwd?|aw):\s*)+/i, '').trim() || '(no subject)',
      priority: escalation ? 'high' : 'medium',
      ...(escalation ? { tier: 2 as const } : {}),
      source: 'email',
      requester: account ? { id: account.id } : { email: sender },
      bodySource: mail.text,
      actorId: null,
      emailMessageId: mail.messageId,
      needsTriage: !account,
      inReplyTo: mail.messageId,
    })
    if (escalation) {
      await tellTier(tx, ticket, { tier: ticket.tier, reason })
      return { action: 'created-escalated', number: ticket.number } as const
    }
    return { action: 'created', number: ticket.number } as const
  })
}
