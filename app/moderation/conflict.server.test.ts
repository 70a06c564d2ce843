import { beforeEach, describe, expect, test } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { moderationActions, reviewItems } from '#db/schema/index'
import { restrictionOf } from '~/platform/auth/permissions'
import { actionsOfItem, DAY_MS, isBlockedBetween, item, mailsTo, member, report, reportedAnswer, staff, userRow } from '../../tests/moderation-fixtures'
import { decideAppeal, fileAppeal } from './appeal.server'
import { getMemberModeration } from './audit.server'
import { blockMember, hasBlocked, unblockMember } from './blocks.server'
import { getConflictCase, openConflict, openConflictFromReport, postConflictMessage, resolveConflict } from './conflict.server'

beforeEach(() => {
  // Mail lands in the outbox table, where the tests read it.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
})

describe('conflict cases', () => {
  async function openCase() {
    const [a, b] = [await member(), await member()]
    const opened = await openConflict({ openerId: a.id, otherUsername: `@${b.username.toUpperCase()}`, description: 'We keep clashing.', links: 'https://example.test/q/1' })
    if (!opened.ok) throw new Error(opened.reason)
    return { a, b, id: opened.id }
  }

  const caseVersion = async (id: number, moderatorId: number) => (await getConflictCase({ id, viewer: { id: moderatorId }, canModerate: true }))!.item.version

  test('opening: unknown member, oneself, or a case between two members', async () => {
    const a = await member()
    expect(await openConflict({ openerId: a.id, otherUsername: 'nobody-by-that-name', description: 'x', links: '' })).toEqual({ ok: false, reason: 'no-such-member' })
    expect(await openConflict({ openerId: a.id, otherUsername: a.username, description: 'x', links: '' })).toEqual({ ok: false, reason: 'self' })
    const { id, b } = await openCase()
    expect((await item(id)).item).toMatchObject({ kind: 'conflict', status: 'pending', targetUserId: b.id })
  })

  test('the parties and moderators see the case; nobody else does, nor may post in it', async () => {
    const { a, b, id } = await openCase()
    const third = await member()
    const mod = await staff()
    for (const viewer of [a, b]) {
      const found = await getConflictCase({ id, viewer, canModerate: false })
      expect(found?.parties.map((p) => p.id).sort()).toEqual([a.id, b.id].sort())
      expect(found?.messages[0].bodyHtml).toContain('We keep clashing.')
    }
    expect(await getConflictCase({ id, viewer: mod, canModerate: true })).not.toBeNull()
    expect(await getConflictCase({ id, viewer: third, canModerate: false })).toBeNull()

    expect(await postConflictMessage({ id, author: third, canModerate: false, body: 'Let me in' })).toBe('not-found')
    expect(await postConflictMessage({ id, author: b, canModerate: false, body: 'My side of it' })).toBe('ok')
    expect(await postConflictMessage({ id, author: mod, canModerate: true, body: 'Noted' })).toBe('ok')
    expect((await getConflictCase({ id, viewer: a, canModerate: false }))?.messages.map((m) => m.authorUsername)).toEqual([a.username, b.username, mod.username])
  })

  test('a mutual block blocks both ways and only a moderator can lift it', async () => {
    const { a, b, id } = await openCase()
    const mod = await staff()
    expect(await isBlockedBetween(db, a.id, b.id)).toBe(false)
    expect(await resolveConflict({ id, version: await caseVersion(id, mod.id), moderator: mod.moderator, outcome: 'mutual-block', reason: 'Keep apart.' })).toEqual({ ok: true })
    expect(await isBlockedBetween(db, a.id, b.id)).toBe(true)
    expect(await isBlockedBetween(db, b.id, a.id)).toBe(true)
    expect(await hasBlocked({ blockerId: a.id, blockedId: b.id })).toEqual({ byModerator: true })
    expect(await hasBlocked({ blockerId: b.id, blockedId: a.id })).toEqual({ byModerator: true })
    expect(await unblockMember({ blockerId: a.id, username: b.username })).toBe(false)
    expect(await unblockMember({ blockerId: b.id, username: a.username })).toBe(false)
    expect(await isBlockedBetween(db, a.id, b.id)).toBe(true)
    expect((await getMemberModeration({ userId: a.id })).blocks).toEqual([expect.objectContaining({ username: b.username, byModerator: true })])
    // Blocking again does not turn the moderator's block into one the member can lift.
    expect(await blockMember({ blockerId: a.id, username: b.username })).toBe('ok')
    expect(await hasBlocked({ blockerId: a.id, blockedId: b.id })).toEqual({ byModerator: true })
    expect((await getConflictCase({ id, viewer: a, canModerate: false }))?.item).toMatchObject({ status: 'resolved', resolution: 'mutual-block' })
    expect(await postConflictMessage({ id, author: a, canModerate: false, body: 'But…' })).toBe('closed')

    // One party appeals their block and a second moderator overturns it: the whole mutual block lifts.
    const [blockAction] = await db
      .select({ id: moderationActions.id })
      .from(moderationActions)
      .where(and(eq(moderationActions.reviewItemId, id), eq(moderationActions.action, 'block'), eq(moderationActions.targetUserId, a.id)))
    const appeal = await fileAppeal({ memberId: a.id, actionId: blockAction.id, statement: 'We have talked it over and made peace with each other.' })
    if (!appeal.ok) throw new Error('appeal refused')
    const second = await staff()
    const [{ version }] = await db.select({ version: reviewItems.version }).from(reviewItems).where(eq(reviewItems.id, appeal.reviewItemId))
    expect(await decideAppeal({ id: appeal.reviewItemId, version, moderator: second.moderator, outcome: 'overturned', reason: 'They settled it.' })).toEqual({ ok: true })
    expect(await isBlockedBetween(db, a.id, b.id)).toBe(false)
  })

  test('a warning applies to the chosen party only', async () => {
    const { a, b, id } = await openCase()
    const mod = await staff()
    expect(await resolveConflict({ id, version: await caseVersion(id, mod.id), moderator: mod.moderator, outcome: 'warning', reason: 'Stop it.', userIds: [] })).toMatchObject({ ok: false, reason: 'invalid' })
    expect(await resolveConflict({ id, version: await caseVersion(id, mod.id), moderator: mod.moderator, outcome: 'warning', reason: 'Stop it.', userIds: [b.id] })).toEqual({ ok: true })
    const audit = await actionsOfItem(id)
    expect(audit.filter((x) => x.action === 'warn').map((x) => x.targetUserId)).toEqual([b.id])
    expect(audit.filter((x) => x.action === 'conflict-resolved').map((x) => x.targetUserId).sort()).toEqual([a.id, b.id].sort())
    expect((await getMemberModeration({ userId: a.id })).actions).toEqual([])
    expect((await getMemberModeration({ userId: b.id })).actions.map((x) => x.action)).toEqual(['warn'])
    expect(await mailsTo(a.email)).toEqual([expect.objectContaining({ subject: 'Your conflict case was resolved' })])
  })

  test('a suspension with days suspends the chosen party', async () => {
    const { a, b, id } = await openCase()
    const mod = await staff()
    expect(await resolveConflict({ id, version: await caseVersion(id, mod.id), moderator: mod.moderator, outcome: 'suspension', reason: 'Cool off.', userIds: [a.id] })).toMatchObject({ ok: false, reason: 'invalid' })
    const before = Date.now()
    expect(await resolveConflict({ id, version: await caseVersion(id, mod.id), moderator: mod.moderator, outcome: 'suspension', reason: 'Cool off.', userIds: [a.id], days: 5 })).toEqual({ ok: true })
    const row = await userRow(a.id)
    expect(row.suspendedUntil!.getTime()).toBeGreaterThanOrEqual(before + 5 * DAY_MS - 1000)
    expect(row.suspendedUntil!.getTime()).toBeLessThanOrEqual(Date.now() + 5 * DAY_MS + 1000)
    expect(restrictionOf(row)?.kind).toBe('suspended')
    expect(restrictionOf(await userRow(b.id))).toBeNull()
  })

  test('two moderators resolving at once: the second gets a conflict', async () => {
    const { id } = await openCase()
    const [first, second] = [await staff(), await staff()]
    const version = await caseVersion(id, first.id)
    expect(await resolveConflict({ id, version, moderator: first.moderator, outcome: 'agreement', reason: 'Shook hands.' })).toEqual({ ok: true })
    expect(await resolveConflict({ id, version, moderator: second.moderator, outcome: 'mutual-block', reason: 'x' })).toMatchObject({
      ok: false,
      reason: 'conflict',
      current: { status: 'resolved', resolution: 'agreement', resolvedByUsername: first.username },
    })
    expect((await actionsOfItem(id)).every((x) => x.moderatorId === first.id && x.action === 'conflict-resolved')).toBe(true)
  })

  test('from a report: the reported member and the reporters are the parties', async () => {
    const { reviewItemId, writer, reporters } = await reportedAnswer({ reason: 'harassment' })
    const mod = await staff()
    const caseId = await openConflictFromReport({ reportItemId: reviewItemId, moderator: mod.moderator, note: 'Talk it through here.' })
    expect(caseId).toEqual(expect.any(Number))
    const found = await getConflictCase({ id: caseId!, viewer: writer, canModerate: false })
    expect(found?.parties.map((p) => p.id).sort()).toEqual([writer.id, ...reporters.map((r) => r.id)].sort())
    expect(found?.messages.map((m) => m.authorUsername)).toEqual([mod.username])
    expect(await getConflictCase({ id: caseId!, viewer: reporters[1], canModerate: false })).not.toBeNull()
    expect(await getConflictCase({ id: caseId!, viewer: await member(), canModerate: false })).toBeNull()
  })
})

describe('mutual block from a report', () => {
  test('the reported member is blocked from each reporter; reporters are not blocked from each other, staff from nobody', async () => {
    const { reviewItemId, writer, reporters, answer } = await reportedAnswer({ reason: 'harassment' })
    const agent = await staff('agent')
    await report(agent, 'answer', answer.id, 'harassment')
    const mod = await staff()
    const caseId = (await openConflictFromReport({ reportItemId: reviewItemId, moderator: mod.moderator, note: '' }))!
    const version = (await getConflictCase({ id: caseId, viewer: mod, canModerate: true }))!.item.version
    expect(await resolveConflict({ id: caseId, version, moderator: mod.moderator, outcome: 'mutual-block', reason: 'Keep apart.' })).toEqual({ ok: true })
    for (const r of reporters) {
      expect(await hasBlocked({ blockerId: writer.id, blockedId: r.id })).toEqual({ byModerator: true })
      expect(await hasBlocked({ blockerId: r.id, blockedId: writer.id })).toEqual({ byModerator: true })
    }
    expect(await isBlockedBetween(db, reporters[0].id, reporters[1].id)).toBe(false)
    expect(await isBlockedBetween(db, writer.id, agent.id)).toBe(false)
    expect(await isBlockedBetween(db, reporters[0].id, agent.id)).toBe(false)
    const blocked = (await actionsOfItem(caseId)).filter((x) => x.action === 'block').map((x) => x.targetUserId)
    expect(blocked.sort()).toEqual([writer.id, ...reporters.map((r) => r.id)].sort())
  })

  test('a case about a staff member cannot end in a mutual block', async () => {
    const a = await member()
    const agent = await staff('agent')
    const opened = await openConflict({ openerId: a.id, otherUsername: agent.username, description: 'x', links: '' })
    if (!opened.ok) throw new Error(opened.reason)
    const mod = await staff()
    const version = (await getConflictCase({ id: opened.id, viewer: mod, canModerate: true }))!.item.version
    expect(await resolveConflict({ id: opened.id, version, moderator: mod.moderator, outcome: 'mutual-block', reason: 'x' })).toMatchObject({ ok: false, reason: 'invalid' })
    expect(await isBlockedBetween(db, a.id, agent.id)).toBe(false)
  })
})
