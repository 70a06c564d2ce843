import { asc, eq } from 'drizzle-orm'
import { beforeEach, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { moderationActions } from '#db/schema/index'
import { createTestAnswer, createTestQuestion, createTestUser } from '../../tests/factories'
import { atOnce } from '../../tests/setup/at-once'
import { getConflictCase, openConflict, resolveConflict } from './conflict.server'
import type { Moderator } from './decision'
import { getReviewItem } from './queue.server'
import { decideReport, fileReport } from './report.server'

// PostgreSQL only (see vitest.config.ts): PGlite runs one transaction at a time, so there the
// second moderator could never arrive while the first is still deciding.

beforeEach(() => {
  // Mail lands in the outbox table.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
})

async function staff() {
  const user = await createTestUser({ role: 'moderator' })
  return { ...user, moderator: { id: user.id, role: 'moderator', username: user.username } satisfies Moderator }
}

async function reportedAnswer() {
  const asker = await createTestUser()
  const writer = await createTestUser()
  const question = await createTestQuestion({ authorId: asker.id })
  const answer = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: `Answer text ${writer.username}` })
  const result = await fileReport({ reporterId: (await createTestUser()).id, targetKind: 'answer', targetId: answer.id, reason: 'spam', note: '' })
  if (!result.ok) throw new Error(`report not filed: ${result.reason}`)
  return result.reviewItemId
}

const versionOf = async (id: number) => (await getReviewItem({ id }))!.item.version

/** Audit rows written for one queue item, oldest first. */
async function actionsOfItem(reviewItemId: number) {
  return db.select().from(moderationActions).where(eq(moderationActions.reviewItemId, reviewItemId)).orderBy(asc(moderationActions.id))
}

describe('two moderators deciding the same item', () => {
  test('at the same time: exactly one takes effect', async () => {
    const reviewItemId = await reportedAnswer()
    const first = await staff()
    const second = await staff()
    const version = await versionOf(reviewItemId)
    const results = await atOnce('review_items', [
      () => decideReport({ id: reviewItemId, version, moderator: first.moderator, action: 'hide', reason: 'First look' }),
      () => decideReport({ id: reviewItemId, version, moderator: second.moderator, action: 'remove', reason: 'Second look' }),
    ])
    const winner = results.findIndex((r) => r.ok)
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const [winningModerator, winningAction] = winner === 0 ? [first, 'hide'] : [second, 'remove']
    expect(results[1 - winner]).toMatchObject({ ok: false, reason: 'conflict', current: { status: 'resolved', resolution: winningAction, resolvedByUsername: winningModerator.username } })
    const audit = await actionsOfItem(reviewItemId)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: winningAction, moderatorId: winningModerator.id })
  })
})

describe('conflict cases', () => {
  test('two moderators resolving at the same time: exactly one takes effect, the other gets a conflict', async () => {
    const [a, b] = [await createTestUser(), await createTestUser()]
    const opened = await openConflict({ openerId: a.id, otherUsername: b.username, description: 'We keep clashing.', links: '' })
    if (!opened.ok) throw new Error(opened.reason)
    const [first, second] = [await staff(), await staff()]
    const version = (await getConflictCase({ id: opened.id, viewer: { id: first.id }, canModerate: true }))!.item.version
    const results = await atOnce('review_items', [
      () => resolveConflict({ id: opened.id, version, moderator: first.moderator, outcome: 'agreement', reason: 'Shook hands.' }),
      () => resolveConflict({ id: opened.id, version, moderator: second.moderator, outcome: 'mutual-block', reason: 'Keep apart.' }),
    ])
    const winner = results.findIndex((r) => r.ok)
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const [winningModerator, resolution] = winner === 0 ? [first, 'agreement'] : [second, 'mutual-block']
    expect(results[1 - winner]).toMatchObject({ ok: false, reason: 'conflict', current: { status: 'resolved', resolution, resolvedByUsername: winningModerator.username } })
    expect((await actionsOfItem(opened.id)).every((x) => x.moderatorId === winningModerator.id)).toBe(true)
  })
})
