import { eq, sql } from 'drizzle-orm'
import type { AddressObject } from 'mailparser'
import { beforeEach, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { mailOutbox, ticketMailIds, tickets } from '#db/schema/index'
import { drainQueue, enqueue } from '~/platform/jobs/boss.server'
import { sendMailJob } from '~/platform/mail-jobs.server'
import { startSmtpReceiver } from '../../tests/setup/smtp-receiver'
import { useSmtpReceivers } from '../../tests/setup/smtp-receivers'
import { generateKeyPairSync } from 'node:crypto'
import { verifyDkim } from '../../tests/setup/dkim-verify'
import { listOutbox, queueMail } from './mail.server'

const receiver = useSmtpReceivers({ restoreEnv: ['MAIL_FROM', 'DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY'] })

beforeEach(() => {
  delete process.env.MAIL_FROM
  for (const key of ['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY']) delete process.env[key]
})

async function createTicket() {
  const [ticket] = await db
    .insert(tickets)
    .values({ subject: 'Printer on fire', requesterEmail: 'ada@example.test', priority: 'high', source: 'email', ratingToken: 'token', slaStartedAt: new Date() })
    .returning({ id: tickets.id })
  return ticket.id
}

async function mailJobStates() {
  const result: unknown = await db.execute(sql`select state from pgboss.job where name = ${sendMailJob.queue.name}`)
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { state: string }[]
  return rows.map((row) => row.state)
}

const addresses = (field: AddressObject | AddressObject[] | undefined) => [field ?? []].flat().flatMap((a) => a.value.map((v) => v.address))

describe('with SMTP_URL', () => {
  test('a queued mail arrives with its recipient, subject, text and threading headers', async () => {
    const smtp = await receiver()
    process.env.SMTP_URL = smtp.url
    process.env.MAIL_FROM = 'Parley Help <help@parley.test>'
    const ticketId = await createTicket()

    const messageId = await db.transaction((tx) =>
      queueMail(tx, { to: 'ada@example.test', subject: '[#1001] Printer on fire', text: 'We are on it.\n\nThe team', ticketId, inReplyTo: '<question-1@mail.example.test>' }),
    )
    expect(messageId).toMatch(/^<[0-9a-f]{32}@parley\.test>$/)
    expect(smtp.messages).toHaveLength(0)

    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
    const mail = await smtp.waitForMessage((m) => m.messageId === messageId)
    expect(addresses(mail.to)).toEqual(['ada@example.test'])
    expect(addresses(mail.from)).toEqual(['help@parley.test'])
    expect(mail.subject).toBe('[#1001] Printer on fire')
    expect(mail.text?.trim()).toBe('We are on it.\n\nThe team')
    expect(mail.inReplyTo).toBe('<question-1@mail.example.test>')
    expect([mail.references].flat()).toEqual(['<question-1@mail.example.test>'])
    expect(await db.select().from(mailOutbox)).toEqual([])
  })

  test('a mail that is not a reply has no In-Reply-To, and the default sender is support@localhost', async () => {
    const smtp = await receiver()
    process.env.SMTP_URL = smtp.url
    const messageId = await queueMail(db, { to: 'bob@example.test', subject: 'Welcome', text: 'Hello' })
    expect(messageId).toMatch(/@localhost>$/)
    await drainQueue(sendMailJob)
    const mail = await smtp.waitForMessage((m) => m.messageId === messageId)
    expect(mail.inReplyTo).toBeUndefined()
    expect(mail.from?.value).toEqual([{ name: 'Parley Support', address: 'support@localhost' }])
  })

  test('automatic mail says so (Auto-Submitted, Precedence: bulk, no auto-replies please); a person’s reply does not', async () => {
    const smtp = await receiver()
    process.env.SMTP_URL = smtp.url
    const automatic = await queueMail(db, { to: 'ada@example.test', subject: 'Received: [#1] Printer', text: 'We have your request.' })
    const personal = await queueMail(db, { to: 'ada@example.test', subject: 'Re: [#1] Printer', text: 'Try the other tray.', automatic: false })
    await drainQueue(sendMailJob)
    const auto = await smtp.waitForMessage((m) => m.messageId === automatic)
    expect(auto.headers.get('auto-submitted')).toBe('auto-generated')
    expect(auto.headers.get('precedence')).toBe('bulk')
    expect(auto.headers.get('x-auto-response-suppress')).toBe('All')
    const human = await smtp.waitForMessage((m) => m.messageId === personal)
    expect(human.headers.has('auto-submitted')).toBe(false)
    expect(human.headers.has('precedence')).toBe(false)
  })

  test('with a DKIM key configured every mail is signed, and the signature verifies with the public key', async () => {
    const smtp = await receiver()
    process.env.SMTP_URL = smtp.url
    process.env.MAIL_FROM = 'Parley Help <help@parley.test>'
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    process.env.DKIM_DOMAIN = 'parley.test'
    process.env.DKIM_SELECTOR = 'mail2026'
    // As an env file would hold it: one line, newlines written as \n.
    process.env.DKIM_PRIVATE_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n')
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()

    const messageId = await queueMail(db, { to: 'ada@example.test', subject: 'Signed [#1]', text: 'This mail is signed.\n\nThe team' })
    await drainQueue(sendMailJob)
    await smtp.waitForMessage((m) => m.messageId === messageId)
    const source = smtp.sourceOf(messageId)!
    const tags = verifyDkim(source, publicPem)
    expect(tags).toMatchObject({ d: 'parley.test', s: 'mail2026' })
    expect(tags.h.toLowerCase().split(':')).toEqual(expect.arrayContaining(['from', 'subject', 'message-id']))
    // A changed body no longer verifies: the check is real.
    expect(() => verifyDkim(source.replace('This mail is signed.', 'This mail is forged.'), publicPem)).toThrow('body hash mismatch')
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(() => verifyDkim(source, other)).toThrow('signature does not verify')

    // Unsigned without a key.
    for (const key of ['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY']) delete process.env[key]
    const plain = await queueMail(db, { to: 'ada@example.test', subject: 'Plain', text: 'Not signed.' })
    await drainQueue(sendMailJob)
    expect((await smtp.waitForMessage((m) => m.messageId === plain)).headers.has('dkim-signature')).toBe(false)
  })

  test('while the mail server is down the mail waits, and a later try delivers it', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const gone = await startSmtpReceiver()
    await gone.close()
    process.env.SMTP_URL = gone.url

    const messageId = await db.transaction((tx) => queueMail(tx, { to: 'ada@example.test', subject: 'Still there?', text: 'Hello' }))
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 0, failed: 1 })
    expect(await mailJobStates()).toEqual(['retry'])
    // The retry waits 30 s or more; a later drain before then leaves it alone.
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 0, failed: 0 })

    const smtp = await receiver({ port: gone.port })
    // As if the retry delay had passed.
    await db.execute(sql`update pgboss.job set start_after = now() - interval '1 second' where name = ${sendMailJob.queue.name} and state = 'retry'`)
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
    const mail = await smtp.waitForMessage((m) => m.messageId === messageId)
    expect(mail.subject).toBe('Still there?')
    expect(await mailJobStates()).toEqual(['completed'])
  })
})

test('with SMTP_URL a batch sends each mail once: a batch run again after a failure sends only what had not gone', async () => {
  const smtp = await receiver()
  process.env.SMTP_URL = smtp.url
  const mails = ['a', 'b', 'c'].map((word) => ({ messageId: `<smtp-batch-${word}-${Date.now()}@example.test>`, to: `${word}@example.test`, subject: `Batch ${word}`, text: word, inReplyTo: null }))
  await sendMailJob.batchHandler!(mails.slice(0, 2))
  await sendMailJob.batchHandler!(mails)
  await smtp.waitForMessage((m) => m.messageId === mails[2].messageId)
  expect(smtp.messages.map((m) => m.messageId).sort()).toEqual(mails.map((m) => m.messageId).sort())
})

describe('without SMTP_URL', () => {
  test('the mail is kept in the outbox, once, even when its job runs twice', async () => {
    const messageId = await queueMail(db, { to: 'ada@example.test', subject: 'Kept', text: 'Body', inReplyTo: '<earlier@example.test>' })
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })
    // What a retry after a lost completion would do: the same mail again.
    await enqueue(db, sendMailJob.queue, { messageId, to: 'ada@example.test', subject: 'Kept', text: 'Body', inReplyTo: '<earlier@example.test>' })
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 1, failed: 0 })

    const kept = await db.select().from(mailOutbox).where(eq(mailOutbox.messageId, messageId))
    expect(kept).toEqual([
      { id: expect.any(Number), messageId, to: 'ada@example.test', subject: 'Kept', text: 'Body', inReplyTo: '<earlier@example.test>', createdAt: expect.any(Date) },
    ])
  })

  test('a batch goes to the outbox in one go, each mail once, a batch run again included', async () => {
    const mails = ['one', 'two'].map((word) => ({ messageId: `<batch-${word}-${Date.now()}@example.test>`, to: `${word}@example.test`, subject: `Batch ${word}`, text: word, inReplyTo: null }))
    await sendMailJob.batchHandler!(mails)
    await sendMailJob.batchHandler!(mails)
    const kept = await db.select({ messageId: mailOutbox.messageId, to: mailOutbox.to }).from(mailOutbox).where(sql`${mailOutbox.messageId} like '<batch-%'`).orderBy(mailOutbox.id)
    expect(kept).toEqual(mails.map((m) => ({ messageId: m.messageId, to: m.to })))
  })

  test('listOutbox pages through the outbox newest first', async () => {
    await db.delete(mailOutbox)
    for (let n = 1; n <= 5; n++) await queueMail(db, { to: `user${n}@example.test`, subject: `Mail ${n}`, text: 'Body' })
    expect(await drainQueue(sendMailJob)).toEqual({ completed: 5, failed: 0 })

    const seen: string[] = []
    let before: string | null = null
    for (let page = 0; page < 5; page++) {
      const result: Awaited<ReturnType<typeof listOutbox>> = await listOutbox({ before, limit: 2 })
      seen.push(...result.mails.map((m) => m.subject))
      before = result.nextCursor
      if (!before) break
    }
    // Jobs run oldest first, so the outbox's newest is the last mail queued.
    expect(seen).toEqual(['Mail 5', 'Mail 4', 'Mail 3', 'Mail 2', 'Mail 1'])
  })
})

test('the Message-ID is recorded against the ticket only when the transaction commits', async () => {
  const ticketId = await createTicket()
  let rolledBackId = ''
  await expect(
    db.transaction(async (tx) => {
      rolledBackId = await queueMail(tx, { to: 'ada@example.test', subject: 'Never sent', text: 'Body', ticketId })
      throw new Error('the reply failed to save')
    }),
  ).rejects.toThrow('the reply failed to save')
  const committedId = await db.transaction((tx) => queueMail(tx, { to: 'ada@example.test', subject: 'Sent', text: 'Body', ticketId }))

  const recorded = await db.select().from(ticketMailIds).where(eq(ticketMailIds.ticketId, ticketId))
  expect(recorded).toEqual([{ messageId: committedId, ticketId }])
  expect(recorded.map((r) => r.messageId)).not.toContain(rolledBackId)
  expect(await mailJobStates()).toEqual(['created'])
})
