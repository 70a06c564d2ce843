import { beforeEach, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { isBlockedBetween, member, staff } from '../../tests/moderation-fixtures'
import { blockMember, hasBlocked, unblockMember } from './blocks.server'

beforeEach(() => {
  // Mail lands in the outbox table, where the tests read it.
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
})

describe('blockMember and unblockMember', () => {
  test('self, staff and unknown members cannot be blocked; others can, and unblocked', async () => {
    const a = await member()
    const b = await member()
    expect(await blockMember({ blockerId: a.id, username: a.username })).toBe('self')
    expect(await blockMember({ blockerId: a.id, username: (await staff('agent')).username })).toBe('staff')
    expect(await blockMember({ blockerId: a.id, username: (await staff('moderator')).username })).toBe('staff')
    expect(await blockMember({ blockerId: a.id, username: 'no-such-member-here' })).toBe('no-such-member')
    expect(await hasBlocked({ blockerId: a.id, blockedId: b.id })).toBeNull()
    expect(await blockMember({ blockerId: a.id, username: b.username.toUpperCase() })).toBe('ok')
    expect(await hasBlocked({ blockerId: a.id, blockedId: b.id })).toEqual({ byModerator: false })
    expect(await hasBlocked({ blockerId: b.id, blockedId: a.id })).toBeNull()
    expect(await isBlockedBetween(db, b.id, a.id)).toBe(true)
    expect(await unblockMember({ blockerId: a.id, username: b.username })).toBe(true)
    expect(await hasBlocked({ blockerId: a.id, blockedId: b.id })).toBeNull()
    expect(await unblockMember({ blockerId: a.id, username: b.username })).toBe(false)
  })
})
