import { randomBytes } from 'node:crypto'
import { eq, inArray } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { mailOutbox, rateLimitHits, tickets, users } from '#db/schema/index'
import { createTestUser } from '../../tests/factories'
import { anonymiseAccount, anonymiseDueAccounts } from './lifecycle.server'
import { receiveInboundEmail } from '~/tickets/inbound-mail.server'

const DAY_MS = 24 * 60 * 60 * 1000

/** A member whose deletion was asked for `daysAgo` days before `now`. */
async function memberAskingForDeletion({ displayName = null as string | null, daysAgo = 31 } = {}) {
  const member = await createTestUser()
  const now = new Date()
  const requestedAt = new Date(now.getTime() - daysAgo * DAY_MS)
  await db.update(users).set({ displayName, deactivatedAt: requestedAt, deletionRequestedAt: requestedAt }).where(eq(users.id, member.id))
  return { member, now }
}

async function outboxMail(to: string, text: string) {
  const [row] = await db
    .insert(mailOutbox)
    .values({ messageId: `<${randomBytes(8).toString('hex')}@test>`, to, subject: text.split('\n')[0], text })
    .returning({ id: mailOutbox.id })
  return row.id
}

describe('anonymising an account', () => {
  test('names are taken out of other people’s mail only where they stand as words, as written', async () => {
    const { member, now } = await memberAskingForDeletion({ displayName: 'Dr. Who (PhD)' })
    const other = await createTestUser()
    const named = await outboxMail(other.email, `${member.username} answered your question\nThanks, Dr. Who (PhD)!`)
    const untouched = await outboxMail(other.email, `${member.username}x and x${member.username} are other people; so is ${member.username.toUpperCase()}. Dr. Whom too.`)
    const theirs = await outboxMail(member.email.toUpperCase(), 'Your account will be deleted.')

    expect(await anonymiseAccount({ userId: member.id, now })).toBe(true)
    const rows = await db.select({ id: mailOutbox.id, text: mailOutbox.text, subject: mailOutbox.subject }).from(mailOutbox).where(inArray(mailOutbox.id, [named, untouched, theirs]))
    const byId = new Map(rows.map((r) => [r.id, r]))
    expect(byId.get(named)).toEqual({ id: named, subject: 'deleted member answered your question', text: 'deleted member answered your question\nThanks, deleted member!' })
    expect(byId.get(untouched)?.text).toBe(`${member.username}x and x${member.username} are other people; so is ${member.username.toUpperCase()}. Dr. Whom too.`)
    expect(byId.has(theirs)).toBe(false)
  })

  test('tickets asked for by mail from the member’s address lose the address; a second run does nothing', async () => {
    const { member, now } = await memberAskingForDeletion()
    const stranger = `${randomBytes(4).toString('hex')}@elsewhere.test`
    const fromMember = await receiveInboundEmail({ from: member.email, subject: 'Broken charger', text: 'It sparks.', messageId: `<${randomBytes(8).toString('hex')}@mail>`, inReplyTo: null })
    const fromStranger = await receiveInboundEmail({ from: stranger, subject: 'Lost parcel', text: 'Where is it?', messageId: `<${randomBytes(8).toString('hex')}@mail>`, inReplyTo: null })

    expect(await anonymiseDueAccounts({ now })).toBe(1)
    const rows = await db.select({ number: tickets.number, requesterEmail: tickets.requesterEmail }).from(tickets).where(inArray(tickets.number, [fromMember.number!, fromStranger.number!]))
    expect(new Map(rows.map((r) => [r.number, r.requesterEmail]))).toEqual(
      new Map([
        [fromMember.number!, `deleted-${member.id}@deleted.invalid`],
        [fromStranger.number!, stranger],
      ]),
    )
    expect(await anonymiseDueAccounts({ now })).toBe(0)
  })

  test('only the member’s own rate-limit counters go, even when their name is a word used in the keys', async () => {
    for (const name of ['user', 'email', 'account']) {
      const { member, now } = await memberAskingForDeletion()
      await db.update(users).set({ username: name }).where(eq(users.id, member.id))
      const other = await createTestUser()
      const theirs = [
        `login-account-failures:account:${name}`,
        `login-account-failures:account:${member.email}`,
        `password-reset-address:email:${member.email}`,
        `post-member:user:${member.id}`,
        `current-password:user:${member.id}`,
      ]
      const others = [
        `login-account-failures:account:${other.username}`,
        `password-reset-address:email:${other.email}`,
        `post-member:user:${other.id}`,
        `login-ip-minute:ip:198.51.100.9`,
        `login-account-failures:account:${name}x`,
      ]
      await db.insert(rateLimitHits).values([...theirs, ...others].map((key) => ({ key, windowStartAt: now, hits: 1 })))

      expect(await anonymiseAccount({ userId: member.id, now })).toBe(true)
      const left = await db.select({ key: rateLimitHits.key }).from(rateLimitHits).where(inArray(rateLimitHits.key, [...theirs, ...others]))
      expect(left.map((r) => r.key).sort(), name).toEqual([...others].sort())
      await db.delete(rateLimitHits).where(inArray(rateLimitHits.key, others))
    }
  })

  test('a request younger than the grace period is left alone', async () => {
    const { member, now } = await memberAskingForDeletion({ daysAgo: 29 })
    expect(await anonymiseAccount({ userId: member.id, now })).toBe(false)
    const [row] = await db.select({ username: users.username, deletedAt: users.deletedAt }).from(users).where(eq(users.id, member.id))
    expect(row).toEqual({ username: member.username, deletedAt: null })
  })
})
