import { beforeEach, describe, expect, test } from 'vitest'
import { can, restrictionOf } from '~/platform/auth/permissions'
import { actionsOfItem, answerFor, appeal, item, mailsTo, member, report, reportedAnswer, staff, thread, userRow, versionOf } from '../../tests/moderation-fixtures'
import { decideAppeal, fileAppeal } from './appeal.server'
import { listAuditLog } from './audit.server'
import type { Moderator } from './decision'
import type { ReportAction } from './report-actions'
import { decideReport } from './report.server'

beforeEach(() => {
  // Mail lands in the outbox table, where the tests read it.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
})

describe('appeals', () => {
  /** A report decided with `action` by `moderator`, and the id of the action in the audit log. */
  async function decided(action: ReportAction, moderator: Moderator, { days }: { days?: number } = {}) {
    const reported = await reportedAnswer()
    const result = await decideReport({ id: reported.reviewItemId, version: await versionOf(reported.reviewItemId), moderator, action, reason: `Reason for ${action}`, days })
    expect(result).toEqual({ ok: true })
    const [row] = (await actionsOfItem(reported.reviewItemId)).filter((a) => a.moderatorId === moderator.id)
    return { ...reported, actionId: row.id }
  }

  test('only the affected member, only appealable actions, only once', async () => {
    const mod = await staff()
    const hidden = await decided('hide', mod.moderator)
    expect(await fileAppeal({ memberId: hidden.reporters[0].id, actionId: hidden.actionId, statement: 'x' })).toEqual({ ok: false, reason: 'not-found' })
    expect(await fileAppeal({ memberId: hidden.asker.id, actionId: hidden.actionId, statement: 'x' })).toEqual({ ok: false, reason: 'not-found' })
    const first = await fileAppeal({ memberId: hidden.writer.id, actionId: hidden.actionId, statement: '  Please look again. ' })
    expect(first.ok).toBe(true)
    expect(await fileAppeal({ memberId: hidden.writer.id, actionId: hidden.actionId, statement: 'And again' })).toEqual({ ok: false, reason: 'duplicate' })
    if (first.ok) expect((await item(first.reviewItemId)).item).toMatchObject({ kind: 'appeal', status: 'pending', statement: 'Please look again.', moderationActionId: hidden.actionId })

    const dismissed = await decided('dismiss', mod.moderator)
    expect(await fileAppeal({ memberId: dismissed.writer.id, actionId: dismissed.actionId, statement: 'x' })).toEqual({ ok: false, reason: 'not-appealable' })

    const auto = await thread()
    let autoItem = 0
    for (const r of [await member(), await member(), await member()]) autoItem = (await report(r, 'answer', auto.answer.id)).reviewItemId
    const [autoHide] = await actionsOfItem(autoItem)
    expect(autoHide.action).toBe('auto-hide')
    expect(await fileAppeal({ memberId: auto.writer.id, actionId: autoHide.id, statement: 'x' })).toEqual({ ok: false, reason: 'not-appealable' })

    for (const action of ['remove', 'warn', 'suspend', 'ban'] as const) {
      const other = await decided(action, mod.moderator, { days: 2 })
      expect((await fileAppeal({ memberId: other.writer.id, actionId: other.actionId, statement: 'x' })).ok).toBe(true)
    }
  })

  test('the moderator who acted cannot decide the appeal; an admin who acted can', async () => {
    const mod = await staff()
    const hidden = await decided('hide', mod.moderator)
    const appealId = await appeal(hidden.writer.id, hidden.actionId)
    expect(await decideAppeal({ id: appealId, version: await versionOf(appealId), moderator: mod.moderator, outcome: 'overturned', reason: 'x' })).toEqual({ ok: false, reason: 'same-moderator' })
    expect((await item(appealId)).item.status).toBe('pending')
    expect(await answerFor(hidden.question.id, hidden.answer.id, null)).toBeNull()

    const admin = await staff('admin')
    const byAdmin = await decided('hide', admin.moderator)
    const adminAppeal = await appeal(byAdmin.writer.id, byAdmin.actionId)
    expect(await decideAppeal({ id: adminAppeal, version: await versionOf(adminAppeal), moderator: admin.moderator, outcome: 'upheld', reason: 'Still off topic.' })).toEqual({ ok: true })
  })

  test('overturning a hide shows the answer again and records the reversal and the decision', async () => {
    const first = await staff()
    const second = await staff()
    const hidden = await decided('hide', first.moderator)
    expect(await answerFor(hidden.question.id, hidden.answer.id, null)).toBeNull()
    const appealId = await appeal(hidden.writer.id, hidden.actionId)
    const reason = 'On reflection the answer is helpful.'
    expect(await decideAppeal({ id: appealId, version: await versionOf(appealId), moderator: second.moderator, outcome: 'overturned', reason })).toEqual({ ok: true })
    expect(await answerFor(hidden.question.id, hidden.answer.id, null)).toMatchObject({ id: hidden.answer.id, hiddenAt: null })
    expect((await item(appealId)).item).toMatchObject({ status: 'resolved', resolution: 'overturned', resolvedByUsername: second.username })

    const { entries } = await listAuditLog({ filters: { member: hidden.writer.username } })
    const chronological = [...entries].reverse()
    expect(chronological.map((e) => [e.action, e.moderatorUsername])).toEqual([
      ['hide', first.username],
      ['unhide', second.username],
      ['appeal-overturned', second.username],
    ])
    expect(chronological[1]).toMatchObject({ reversesActionId: hidden.actionId, reviewItemId: appealId, reason })
    expect(chronological[2]).toMatchObject({ reviewItemId: appealId, reason })

    const mails = await mailsTo(hidden.writer.email)
    expect(mails.map((m) => m.subject)).toContain('Your appeal was successful')
    expect(mails.find((m) => m.subject === 'Your appeal was successful')?.text).toContain(reason)
  })

  test('overturning a suspension lifts it; a suspended member can still appeal', async () => {
    const first = await staff()
    const second = await staff()
    const suspended = await decided('suspend', first.moderator, { days: 30 })
    const row = await userRow(suspended.writer.id)
    expect(restrictionOf(row)?.kind).toBe('suspended')
    expect(can(row, 'create:report')).toBe(false)
    // The model does not check restrictions for appeals: the right to appeal survives a suspension.
    const appealId = await appeal(suspended.writer.id, suspended.actionId)
    expect(await decideAppeal({ id: appealId, version: await versionOf(appealId), moderator: second.moderator, outcome: 'overturned', reason: 'Too harsh.' })).toEqual({ ok: true })
    const after = await userRow(suspended.writer.id)
    expect(after.suspendedUntil).toBeNull()
    expect(restrictionOf(after)).toBeNull()
    expect(can(after, 'create:answer')).toBe(true)
    const audit = (await listAuditLog({ filters: { member: suspended.writer.username } })).entries
    expect(audit.find((e) => e.action === 'lift-suspension')).toMatchObject({ reversesActionId: suspended.actionId })
    expect(audit.map((e) => e.action)).toContain('appeal-overturned')
  })

  test('overturning a removal restores the content; overturning a ban lifts it', async () => {
    const first = await staff()
    const second = await staff()
    const removed = await decided('remove', first.moderator)
    expect(await answerFor(removed.question.id, removed.answer.id, null)).toBeNull()
    const removalAppeal = await appeal(removed.writer.id, removed.actionId)
    expect(await decideAppeal({ id: removalAppeal, version: await versionOf(removalAppeal), moderator: second.moderator, outcome: 'overturned', reason: 'Not spam.' })).toEqual({ ok: true })
    expect(await answerFor(removed.question.id, removed.answer.id, null)).toMatchObject({ removedAt: null })
    expect((await listAuditLog({ filters: { member: removed.writer.username, action: 'restore' } })).entries[0]).toMatchObject({ reversesActionId: removed.actionId })

    const banned = await decided('ban', first.moderator)
    expect(restrictionOf(await userRow(banned.writer.id))).toEqual({ kind: 'banned' })
    const banAppeal = await appeal(banned.writer.id, banned.actionId)
    expect(await decideAppeal({ id: banAppeal, version: await versionOf(banAppeal), moderator: second.moderator, outcome: 'overturned', reason: 'Wrong account.' })).toEqual({ ok: true })
    expect(restrictionOf(await userRow(banned.writer.id))).toBeNull()
    expect((await listAuditLog({ filters: { member: banned.writer.username, action: 'lift-ban' } })).entries[0]).toMatchObject({ reversesActionId: banned.actionId })
  })

  test('upholding keeps the effect and records the decision; the member hears of it', async () => {
    const first = await staff()
    const second = await staff()
    const hidden = await decided('hide', first.moderator)
    const appealId = await appeal(hidden.writer.id, hidden.actionId)
    const reason = 'The link is still an advert.'
    expect(await decideAppeal({ id: appealId, version: await versionOf(appealId), moderator: second.moderator, outcome: 'upheld', reason })).toEqual({ ok: true })
    expect(await answerFor(hidden.question.id, hidden.answer.id, null)).toBeNull()
    const actions = (await listAuditLog({ filters: { member: hidden.writer.username } })).entries.map((e) => e.action)
    expect(actions).toEqual(['appeal-upheld', 'hide'])
    const mails = (await mailsTo(hidden.writer.email)).filter((m) => m.subject === 'Your appeal was reviewed')
    expect(mails).toHaveLength(1)
    expect(mails[0].text).toContain(reason)
    // A decided appeal cannot be decided again.
    expect(await decideAppeal({ id: appealId, version: await versionOf(appealId), moderator: second.moderator, outcome: 'overturned', reason: 'x' })).toMatchObject({ ok: false, reason: 'conflict' })
  })
})
