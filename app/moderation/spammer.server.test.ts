import { beforeEach, describe, expect, test } from 'vitest'
import { and, eq, inArray } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, moderationActions, questions, reviewItems, screenedEntries, sessions, users } from '#db/schema/index'
import { createTestAnswer, createTestQuestion, createTestUser, sessionCookieFor } from '../../tests/factories'
import { member, report, reportStatuses, staff } from '../../tests/moderation-fixtures'
import { deleteSpammer } from './spammer.server'
import { screeningFor } from './screening.server'
import { fileAppeal } from './appeal.server'

beforeEach(() => {
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
})

async function spamBurst(email?: string, ip = '198.51.100.23') {
  const spammer = await createTestUser()
  if (email) await db.update(users).set({ email }).where(eq(users.id, spammer.id))
  await db.update(users).set({ signupIp: ip, lastPostIp: '2001:db8:5::7' }).where(eq(users.id, spammer.id))
  const questionIds: number[] = []
  for (let i = 0; i < 3; i++) questionIds.push((await createTestQuestion({ authorId: spammer.id, title: `Cheap watches ${i} best price online now` })).id)
  const victim = await member()
  const victimQuestion = await createTestQuestion({ authorId: victim.id })
  const answerIds: number[] = []
  for (let i = 0; i < 7; i++) answerIds.push((await createTestAnswer({ questionId: victimQuestion.id, authorId: spammer.id, body: `Buy now ${i} at spam.example` })).id)
  return { spammer, questionIds, answerIds, victim, victimQuestion }
}

describe('deleteSpammer', () => {
  test('removes every post, bans, screens, resolves every open item about them, as one logged decision', async () => {
    const { spammer, questionIds, answerIds, victimQuestion } = await spamBurst('seller@spam-shop.test')
    const reporters = [await member(), await member()]
    const items = new Set<number>()
    for (const id of answerIds.slice(0, 3)) items.add((await report(reporters[0], 'answer', id)).reviewItemId)
    items.add((await report(reporters[1], 'question', questionIds[0])).reviewItemId)
    items.add((await report(reporters[1], 'user', spammer.id)).reviewItemId)
    const untouched = await report(reporters[0], 'question', victimQuestion.id, 'off-topic')
    const mod = await staff()

    const result = await deleteSpammer({ userId: spammer.id, moderator: mod.moderator })
    expect(result).toMatchObject({ ok: true, removedPosts: 10, resolvedItems: items.size })
    if (!result.ok) return

    const removedQ = await db.select({ removedAt: questions.removedAt }).from(questions).where(inArray(questions.id, questionIds))
    const removedA = await db.select({ removedAt: answers.removedAt }).from(answers).where(inArray(answers.id, answerIds))
    expect([...removedQ, ...removedA].every((p) => p.removedAt !== null)).toBe(true)
    const [row] = await db.select({ bannedAt: users.bannedAt }).from(users).where(eq(users.id, spammer.id))
    expect(row.bannedAt).not.toBeNull()

    // Address, domain and both addresses, each tied to the decision.
    const screened = await db.select({ kind: screenedEntries.kind, value: screenedEntries.value, actionId: screenedEntries.moderationActionId }).from(screenedEntries).where(eq(screenedEntries.moderationActionId, result.actionId))
    expect(screened.map((s) => `${s.kind}:${s.value}`).sort()).toEqual(['domain:spam-shop.test', 'email:seller@spam-shop.test', 'ip:198.51.100.23/32', 'ip:2001:db8:5::7/128'])
    expect(await screeningFor({ email: 'another@spam-shop.test', ip: null })).toBe('block')

    const pending = await db.select({ id: reviewItems.id, status: reviewItems.status, resolution: reviewItems.resolution }).from(reviewItems).where(inArray(reviewItems.id, [...items, untouched.reviewItemId]))
    for (const p of pending) {
      if (p.id === untouched.reviewItemId) expect(p.status).toBe('pending')
      else expect(p).toMatchObject({ status: 'resolved', resolution: 'delete-spammer' })
    }
    for (const id of items) expect(await reportStatuses(id)).toEqual(expect.arrayContaining(['upheld']))

    // One decision in the audit log, nothing else about this member.
    const logged = await db.select({ action: moderationActions.action, moderatorId: moderationActions.moderatorId }).from(moderationActions).where(eq(moderationActions.targetUserId, spammer.id))
    expect(logged.filter((a) => a.action !== 'auto-hide')).toEqual([{ action: 'delete-spammer', moderatorId: mod.id }])
    expect(await db.select().from(sessions).where(eq(sessions.userId, spammer.id))).toEqual([])
  })

  test('a domain other live accounts use is not screened', async () => {
    const { spammer } = await spamBurst('seller@shared-company.test', '198.51.100.77')
    const colleague = await createTestUser()
    await db.update(users).set({ email: 'colleague@shared-company.test' }).where(eq(users.id, colleague.id))
    const result = await deleteSpammer({ userId: spammer.id, moderator: (await staff()).moderator })
    expect(result.ok && result.screened).not.toContain('shared-company.test')
    expect(await screeningFor({ email: 'colleague@shared-company.test', ip: null })).toBeNull()
  })

  test('a common provider’s domain is not screened, nor an address a staff member uses', async () => {
    const { spammer } = await spamBurst('someone.spam@gmail.com', '198.51.100.99')
    const mod = await staff()
    // The moderator signs in from the address the spammer posted from (an office, a shared proxy).
    await sessionCookieFor(mod.id)
    await db.update(sessions).set({ ipAddress: '::ffff:198.51.100.99' }).where(eq(sessions.userId, mod.id))
    const result = await deleteSpammer({ userId: spammer.id, moderator: mod.moderator })
    expect(result.ok && result.screened.sort()).toEqual(['2001:db8:5::7/128', 'someone.spam@gmail.com'])
    expect(await screeningFor({ email: 'friend@gmail.com', ip: '198.51.100.99' })).toBeNull()
  })

  test('resolves the spammer’s own appeal too, and refuses staff and unknown accounts without writing', async () => {
    const { spammer, answerIds } = await spamBurst()
    const mod = await staff()
    const other = await staff()
    // An earlier warning, appealed: the appeal is a queue item opened by the spammer.
    const [warning] = await db.insert(moderationActions).values({ moderatorId: other.id, action: 'warn', targetKind: 'answer', targetId: answerIds[0], targetUserId: spammer.id, reason: 'Do not post links.' }).returning({ id: moderationActions.id })
    const appealed = await fileAppeal({ memberId: spammer.id, actionId: warning.id, statement: 'Those links are helpful, honestly.' })
    expect(appealed.ok).toBe(true)
    const result = await deleteSpammer({ userId: spammer.id, moderator: mod.moderator })
    expect(result.ok && result.resolvedItems).toBe(1)

    const colleague = await staff()
    const before = await db.select({ id: moderationActions.id }).from(moderationActions)
    expect(await deleteSpammer({ userId: colleague.id, moderator: mod.moderator })).toMatchObject({ ok: false, reason: 'invalid' })
    expect(await deleteSpammer({ userId: 2_000_000_000, moderator: mod.moderator })).toEqual({ ok: false, reason: 'not-found' })
    expect(await db.select({ id: moderationActions.id }).from(moderationActions)).toHaveLength(before.length)
    const [row] = await db.select({ bannedAt: users.bannedAt }).from(users).where(and(eq(users.id, colleague.id)))
    expect(row.bannedAt).toBeNull()
  })
})
