/**
 * Outgoing mail. A mail is a job queued in the caller's transaction and sent later by a worker, so
 * a failing or unreachable mail server delays mail but never loses it or fails the request.
 */
import { randomBytes } from 'node:crypto'
import { desc, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { mailOutbox, ticketMailIds } from '#db/schema/index'
import { defineQueue, enqueue } from '~/platform/jobs/boss.server'
import { decodeCursor, encodeCursor } from './cursor'
import { env } from './env.server'

/**
 * `automatic`: written by Parley, not typed by a person (confirmations, status changes, alerts).
 * Such mail says so (Auto-Submitted, Precedence), so that out-of-office replies and mailing
 * lists leave it alone; an agent's own reply does not. Absent in jobs queued before it existed.
 */
export type MailJob = { messageId: string; to: string; subject: string; text: string; inReplyTo: string | null; automatic?: boolean }

/** Sent by mail-jobs.server.ts, through SMTP_URL or into the outbox. */
export const sendMailQueue = defineQueue<MailJob>('mail.send')

/** The domain of MAIL_FROM's address: Message-IDs should name the domain that sends them. */
function messageIdDomain() {
  const from = env.mailFrom
  const address = from.match(/<([^>]*)>/)?.[1] ?? from
  const at = address.lastIndexOf('@')
  return (at >= 0 && address.slice(at + 1).trim()) || 'localhost'
}

/**
 * Queues a mail in `tx` and returns its Message-ID (with angle brackets, as it appears in the
 * header and in a reply's In-Reply-To). With a ticketId, the Message-ID is recorded against the
 * ticket in the same transaction, so a reply to this mail finds its ticket.
 */
export async function queueMail(
  tx: DbOrTx,
  mail: { to: string; subject: string; text: string; ticketId?: number; inReplyTo?: string | null; automatic?: boolean },
): Promise<string> {
  const messageId = `<${randomBytes(16).toString('hex')}@${messageIdDomain()}>`
  if (mail.ticketId !== undefined) await tx.insert(ticketMailIds).values({ messageId, ticketId: mail.ticketId })
  const job: MailJob = { messageId, to: mail.to, subject: mail.subject, text: mail.text, inReplyTo: mail.inReplyTo ?? null, automatic: mail.automatic ?? true }
  await enqueue(tx, sendMailQueue, job)
  return messageId
}

/**
 * One page of the outbox, newest first, keyset-paginated on (created_at, id) like every list:
 * `before` is the previous page's nextCursor. One query per page.
 */
export async function listOutbox({ before, limit = 50 }: { before?: string | null; limit?: number } = {}) {
  const cursor = decodeCursor(before)
  const rows = await db
    .select({
      id: mailOutbox.id,
      messageId: mailOutbox.messageId,
      to: mailOutbox.to,
      subject: mailOutbox.subject,
      text: mailOutbox.text,
      inReplyTo: mailOutbox.inReplyTo,
      createdAt: mailOutbox.createdAt,
    })
    .from(mailOutbox)
    .where(cursor ? sql`(${mailOutbox.createdAt}, ${mailOutbox.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id})` : undefined)
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(limit + 1)
  const mails = rows.slice(0, limit)
  const last = mails[mails.length - 1]
  return { mails, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null }
}
