/**
 * The mail.send job: delivers what queueMail (mail.server.ts) queued. Kept apart from queueMail
 * so that code which only sends mail never loads SMTP.
 */
import { eq, lt } from 'drizzle-orm'
import nodemailer, { type Transporter } from 'nodemailer'
import { db, waitForDatabase } from '#db/client.server'
import { isDatabaseUnavailable } from '#db/connection-errors'
import { mailDeliveries, mailOutbox } from '#db/schema/index'
import { defineJob, defineQueue, type JobRegistry } from './jobs/boss.server'
import { env } from './env.server'
import { sendMailQueue, type MailJob } from './mail.server'

// Transports are cheap but not free (each parses its URL and keeps its own state): one per SMTP_URL.
const transports = new Map<string, Transporter>()
function transportFor(url: string) {
  let transport = transports.get(url)
  if (!transport) {
    transport = nodemailer.createTransport(url)
    transports.set(url, transport)
  }
  return transport
}

/** How long a delivered mail's record is kept: past the queue's last retry (8 to 17 hours, boss.server.ts). */
const DELIVERY_RECORD_DAYS = 7

/**
 * Writes that `messageId` went to the SMTP server. The mail is already out, so forgetting would
 * send it twice: while the database is away this waits for it (up to ten minutes) rather than fail.
 */
async function recordDelivery(messageId: string) {
  const giveUpAt = Date.now() + 10 * 60_000
  for (;;) {
    try {
      await db.insert(mailDeliveries).values({ messageId }).onConflictDoNothing()
      return
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() > giveUpAt) throw error
      await waitForDatabase(Math.max(1, giveUpAt - Date.now()))
    }
  }
}

/**
 * Sends through SMTP_URL, or without one keeps the mail in the outbox table. A send that fails
 * throws, and the job queue tries again later. Each mail goes out once: a job that runs again (its
 * completion was lost) finds the mail in mail_deliveries, or in the outbox, and stops. The one gap
 * left is a process killed between the SMTP server's acceptance and the record (decision 017).
 */
async function sendMail(mail: MailJob) {
  const smtpUrl = env.smtpUrl
  if (!smtpUrl) return keepInOutbox([mail])
  const [delivered] = await db.select({ at: mailDeliveries.deliveredAt }).from(mailDeliveries).where(eq(mailDeliveries.messageId, mail.messageId))
  if (delivered) return
  const dkim = env.dkim
  await transportFor(smtpUrl).sendMail({
    from: env.mailFrom,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: mail.inReplyTo } : {}),
    // RFC 3834: automatic mail says so, and asks Exchange not to answer it with an out-of-office.
    headers: mail.automatic === false ? {} : { 'Auto-Submitted': 'auto-generated', Precedence: 'bulk', 'X-Auto-Response-Suppress': 'All' },
    // Signed when a key is configured, so receiving servers can tell our mail from forgeries.
    ...(dkim ? { dkim: { domainName: dkim.domain, keySelector: dkim.selector, privateKey: dkim.privateKey } } : {}),
  })
  await recordDelivery(mail.messageId)
}

/** Without SMTP_URL: the mails go to the outbox table, once each whatever runs twice. */
async function keepInOutbox(mails: MailJob[]) {
  await db
    .insert(mailOutbox)
    .values(mails.map((mail) => ({ messageId: mail.messageId, to: mail.to, subject: mail.subject, text: mail.text, inReplyTo: mail.inReplyTo })))
    .onConflictDoNothing({ target: mailOutbox.messageId })
}

/**
 * A batch goes to the outbox in one statement; through SMTP each mail is sent on its own, side by
 * side. Every send settles before a failure is reported, so when the worker then runs the jobs one
 * by one, each mail that went out is already in mail_deliveries and is not sent again.
 */
async function sendMails(mails: MailJob[]) {
  if (!env.smtpUrl) return keepInOutbox(mails)
  const failed = (await Promise.allSettled(mails.map(sendMail))).find((outcome) => outcome.status === 'rejected')
  if (failed) throw failed.reason
}

export const sendMailJob = defineJob(sendMailQueue, sendMail, { batchHandler: sendMails })

/** Forgets delivery records older than any retry of their job, once a day. */
export const pruneMailDeliveriesQueue = defineQueue('mail.prune-deliveries', { policy: 'singleton', schedule: '23 4 * * *' })

export const pruneMailDeliveriesJob = defineJob(pruneMailDeliveriesQueue, async () => {
  await db.delete(mailDeliveries).where(lt(mailDeliveries.deliveredAt, new Date(Date.now() - DELIVERY_RECORD_DAYS * 86_400_000)))
})

export const mailJobs: JobRegistry = { queues: [sendMailQueue, pruneMailDeliveriesQueue], jobs: [sendMailJob, pruneMailDeliveriesJob] }
