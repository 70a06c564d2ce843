import { describe, expect, test } from 'vitest'
import { allowedAppealActions, appealActionRefusal, type AppealFacts } from './appeal-actions'
import { allowedConflictActions, conflictActionRefusal, type ConflictFacts } from './conflict-actions'
import type { ItemFacts, Moderator } from './decision'
import type { ActionKind } from './effects.server'
import { allowedReportActions, reportActionRefusal, type ReportFacts } from './report-actions'

// The rules the queue page and decide* share; pure, so every combination is cheap to state.

const mod: Moderator = { id: 1, role: 'moderator' }
const otherMod: Moderator = { id: 2, role: 'moderator' }
const admin: Moderator = { id: 3, role: 'admin' }
const pending: ItemFacts = { status: 'pending', claimedById: null, claimedByUsername: null }

describe('report items', () => {
  const about = (kind: 'question' | 'answer' | 'user', userRole: Moderator['role'] = 'member', item = pending): ReportFacts => ({ ...item, target: { kind, userRole } })

  test.each([
    ['question', 'member', ['dismiss', 'ignore', 'hide', 'remove', 'lock', 'warn', 'silence', 'suspend', 'hide-silence', 'hide-suspend', 'ban']],
    ['answer', 'member', ['dismiss', 'ignore', 'hide', 'remove', 'warn', 'silence', 'suspend', 'hide-silence', 'hide-suspend', 'ban']],
    ['user', 'member', ['dismiss', 'ignore', 'warn', 'silence', 'suspend', 'ban']],
    ['question', 'agent', ['dismiss', 'ignore', 'hide', 'remove', 'lock']],
    ['answer', 'moderator', ['dismiss', 'ignore', 'hide', 'remove']],
    ['user', 'admin', ['dismiss', 'ignore']],
  ] as const)('on a %s by a %s', (kind, role, expected) => {
    expect(allowedReportActions(about(kind, role), mod)).toEqual(expected)
  })

  test('a resolved item, or one another moderator claimed, offers nothing; the claimer may decide', () => {
    expect(allowedReportActions(about('question', 'member', { ...pending, status: 'resolved' }), mod)).toEqual([])
    const claimed = about('answer', 'member', { ...pending, claimedById: otherMod.id, claimedByUsername: 'ines' })
    expect(allowedReportActions(claimed, mod)).toEqual([])
    expect(reportActionRefusal('hide', claimed, mod)).toEqual({ ok: false, reason: 'invalid', message: 'ines claimed this item; take it over to decide it.' })
    expect(allowedReportActions(claimed, otherMod)).toContain('hide')
  })

  test('content that is gone offers nothing', () => {
    expect(allowedReportActions({ ...pending, target: null }, mod)).toEqual([])
  })

  test('refusals say why', () => {
    expect(reportActionRefusal('lock', about('answer'), mod)).toMatchObject({ reason: 'invalid', message: expect.stringMatching(/Only a reported question locks its thread/) })
    expect(reportActionRefusal('remove', about('user'), mod)).toMatchObject({ message: expect.stringMatching(/A profile cannot be hidden/) })
    expect(reportActionRefusal('ban', about('answer', 'agent'), mod)).toMatchObject({ message: expect.stringMatching(/Staff accounts are not/) })
  })
})

describe('appeal items', () => {
  const appealOf = (moderatorId: number | null, { reversed = false, action = 'hide' as ActionKind, targetPurged = false } = {}): AppealFacts => ({
    ...pending,
    appealedAction: { action, moderatorId, reversed },
    targetPurged,
  })

  test('the moderator who acted may not decide; another moderator and any admin may', () => {
    expect(allowedAppealActions(appealOf(mod.id), mod)).toEqual([])
    expect(appealActionRefusal('upheld', appealOf(mod.id), mod)).toEqual({ ok: false, reason: 'same-moderator' })
    expect(allowedAppealActions(appealOf(mod.id), otherMod)).toEqual(['upheld', 'overturned'])
    expect(allowedAppealActions(appealOf(admin.id), admin)).toEqual(['upheld', 'overturned'])
    // An automatic action (no moderator) is anyone's to decide.
    expect(allowedAppealActions(appealOf(null), mod)).toEqual(['upheld', 'overturned'])
  })

  test('an action already reversed, or a removal already purged, can only be upheld', () => {
    expect(allowedAppealActions(appealOf(otherMod.id, { reversed: true }), mod)).toEqual(['upheld'])
    expect(allowedAppealActions(appealOf(otherMod.id, { action: 'remove', targetPurged: true }), mod)).toEqual(['upheld'])
    expect(appealActionRefusal('overturned', appealOf(otherMod.id, { reversed: true }), mod)).toMatchObject({ message: 'That action was already reversed.' })
  })

  test('a resolved appeal offers nothing', () => {
    expect(allowedAppealActions({ ...appealOf(otherMod.id), status: 'resolved' }, mod)).toEqual([])
  })
})

describe('conflict cases', () => {
  const caseOf = (parties: ConflictFacts['parties'], targetUserId = parties[1]?.id ?? null): ConflictFacts => ({ ...pending, targetUserId, parties })
  const a = { id: 10, role: 'member' as const }
  const b = { id: 11, role: 'member' as const }
  const agent = { id: 12, role: 'agent' as const }

  test('between two members: every outcome', () => {
    expect(allowedConflictActions(caseOf([a, b]), mod)).toEqual(['agreement', 'warning', 'mutual-block', 'suspension'])
  })

  test('about a staff member: no mutual block', () => {
    expect(allowedConflictActions(caseOf([a, agent]), mod)).toEqual(['agreement', 'warning', 'suspension'])
    expect(conflictActionRefusal('mutual-block', caseOf([a, agent]), mod)).toMatchObject({ message: expect.stringMatching(/A mutual block needs/) })
  })

  test('only staff parties: no suspension either', () => {
    expect(allowedConflictActions(caseOf([{ id: 13, role: 'agent' }, agent]), mod)).toEqual(['agreement', 'warning'])
  })

  test('a moderator who is a party does not decide the case; an admin who is one may', () => {
    const withMod = caseOf([a, { id: mod.id, role: 'moderator' }])
    expect(allowedConflictActions(withMod, mod)).toEqual([])
    expect(allowedConflictActions(withMod, otherMod)).toEqual(['agreement', 'warning', 'suspension'])
    expect(allowedConflictActions(caseOf([a, { id: admin.id, role: 'admin' }]), admin)).toEqual(['agreement', 'warning', 'suspension'])
  })
})
