import { formatDateTime } from '~/platform/dates'
import { env } from '~/platform/env.server'
import { CLAIM_LINK_DAYS, TICKET_LINK_DAYS } from './requester-access.server'
import type { TicketPriority, TicketStatus } from '~/tickets/sla/engine'

/**
 * The words of every ticket mail, in one place. Each subject carries `[#1042]` so that a reply to
 * any of them finds its ticket even when the mail client drops In-Reply-To.
 */
export type TicketRef = { number: number; subject: string }

const subjectOf = (ticket: TicketRef, prefix = '') => `${prefix}[#${ticket.number}] ${ticket.subject}`
const statusWords: Record<TicketStatus, string> = {
  open: 'open: our team is working on it',
  pending: 'pending: we are waiting for your reply',
  solved: 'solved',
  closed: 'closed',
}

export function ticketOpenedMail(ticket: TicketRef & { priority: TicketPriority }, ticketUrl: string) {
  return {
    subject: subjectOf(ticket, 'Received: '),
    text: [
      `We have received your request and opened ticket #${ticket.number} (${ticket.priority} priority).`,
      `Reply to this mail to add to it, or follow it at ${ticketUrl}`,
    ].join('\n\n'),
  }
}

export function agentReplyMail(ticket: TicketRef, reply: { authorName: string; bodySource: string; status: TicketStatus | null }, ticketUrl: string) {
  return {
    // A person wrote it: not marked as automatic mail.
    automatic: false,
    subject: subjectOf(ticket, 'Re: '),
    text: [
      `${reply.authorName} replied to your request #${ticket.number}:`,
      reply.bodySource,
      ...(reply.status ? [`Your request is now ${statusWords[reply.status]}.`] : []),
      `Reply to this mail or see the whole conversation at ${ticketUrl}`,
    ].join('\n\n'),
  }
}

export function statusChangedMail(ticket: TicketRef, status: TicketStatus, ticketUrl: string, ratingUrl: string | null) {
  return {
    subject: subjectOf(ticket, `${status === 'solved' ? 'Solved' : 'Update'}: `),
    text: [
      `Your request #${ticket.number} is now ${statusWords[status]}.`,
      ...(status === 'solved' && ratingUrl
        ? [`How did we do? Rate our help from 1 to 5 (it takes a few seconds): ${ratingUrl}`, 'If it is not solved for you, just reply to this mail and we will reopen it.']
        : []),
      ...(status === 'closed'
        ? [`If you still need help, reply to this mail within ${env.ticketReopenDays} days and we will reopen it; after that, a reply opens a new request linked to this one.`]
        : []),
      `See the conversation at ${ticketUrl}`,
    ].join('\n\n'),
  }
}

export function followUpOpenedMail(ticket: TicketRef, previous: number, ticketUrl: string) {
  return {
    subject: subjectOf(ticket, 'Received: '),
    text: [
      `Request #${previous} was already closed, so we opened follow-up request #${ticket.number} with your message.`,
      `Follow it at ${ticketUrl}`,
    ].join('\n\n'),
  }
}

export function assignedMail(ticket: TicketRef & { priority: TicketPriority }, assignedBy: string, ticketUrl: string) {
  return {
    subject: subjectOf(ticket, 'Assigned to you: '),
    text: `${assignedBy} assigned ticket #${ticket.number} (${ticket.priority} priority) to you.\n\n${ticketUrl}`,
  }
}

const targetWords = { 'first-response': 'first response', resolution: 'resolution', 'next-update': 'next update' } as const

export function slaAlertMail(ticket: TicketRef & { priority: TicketPriority }, alert: { kind: 'warning' | 'breach'; target: keyof typeof targetWords; dueAt: Date }, ticketUrl: string) {
  const due = formatDateTime(alert.dueAt)
  return {
    subject: subjectOf(ticket, alert.kind === 'breach' ? 'SLA breached: ' : 'SLA at risk: '),
    text:
      alert.kind === 'breach'
        ? `The ${targetWords[alert.target]} target of ticket #${ticket.number} (${ticket.priority}) was due at ${due} and has been missed.\n\n${ticketUrl}`
        : `The ${targetWords[alert.target]} target of ticket #${ticket.number} (${ticket.priority}) is due at ${due}; under a quarter of its time is left.\n\n${ticketUrl}`,
  }
}

/** The links every mail to someone without an account ends with (app/tickets/requester-access.server.ts). */
export function withRequesterLinks(text: string, links: { ticketUrl: string; claimUrl: string | null }) {
  return [
    text,
    `You can read and answer this request without an account (this link is yours alone; it works for ${TICKET_LINK_DAYS} days): ${links.ticketUrl}`,
    ...(links.claimUrl ? [`To see all your requests in one place, set a password and create your account (this link works once, for ${CLAIM_LINK_DAYS} days): ${links.claimUrl}`] : []),
  ].join('\n\n')
}

export function escalatedMail(ticket: TicketRef & { priority: TicketPriority }, step: { tier: number | 'management'; reason: string }, ticketUrl: string) {
  const to = step.tier === 'management' ? 'support management' : `tier ${step.tier}`
  return {
    subject: subjectOf(ticket, step.tier === 'management' ? 'Escalated to management: ' : `Escalated to tier ${step.tier}: `),
    text: [`Ticket #${ticket.number} (${ticket.priority} priority) was escalated to ${to}.`, `Reason: ${step.reason}`, ticketUrl].join('\n\n'),
  }
}
