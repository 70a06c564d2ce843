/**
 * The mail.send job: delivers what queueMail (mail.server.ts) queued. Kept apart from queueMail
 * so that code which only sends mail never loads SMTP.
 */
import nodemailer, { type Transporter } from 'nodemailer'
import { db } from '#db/client.server'
import { mailOutbox } from '#db/schema/index'
import { defineJob, type JobRegistry } from './jobs/boss.server'
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

/**
 * Sends through SMTP_URL, or without one keeps the mail in the outbox table. A send that fails
 * throws, and the job queue tries again later; the outbox insert ignores a mail already kept, so a
 * retried job never keeps it twice.
 */
async function sendMail(mail: MailJob) {
  const smtpUrl = env.smtpUrl
  if (!smtpUrl) {
    await db
      .insert(mailOutbox)
      .values({ messageId: mail.messageId, to: mail.to, subject: mail.subject, text: mail.text, inReplyTo: mail.inReplyTo })
      .onConflictDoNothing({ target: mailOutbox.messageId })
    return
  }
  await transportFor(smtpUrl).sendMail({
    from: env.mailFrom,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: mail.inReplyTo } : {}),
  })
}

export const sendMailJob = defineJob(sendMailQueue, sendMail)

export const mailJobs: JobRegistry = { queues: [sendMailQueue], jobs: [sendMailJob] }
