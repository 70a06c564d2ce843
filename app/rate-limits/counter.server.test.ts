import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { rateLimitHits } from '#db/schema/index'
import { uniqueName } from '../../tests/factories'
import { hitLimits } from './counter.server'

const hitsOf = async (key: string) => (await db.select({ windowStartAt: rateLimitHits.windowStartAt, hits: rateLimitHits.hits }).from(rateLimitHits).where(eq(rateLimitHits.key, key)))

describe('hitLimits', () => {
  test('a request served after a later one still counts in the window that one opened', async () => {
    // Concurrent requests read the clock before they wait for the lock, so they are not served in
    // the order of their clocks; a window opened "in the future" of a request is still its window.
    const limit = { key: `test:${uniqueName()}`, max: 1, windowSeconds: 30 }
    const later = new Date('2026-11-22T12:00:00.250Z')
    const earlier = new Date('2026-11-22T12:00:00.100Z')
    expect(await hitLimits([limit], { now: later })).toEqual([])
    expect(await hitLimits([limit], { now: earlier })).toEqual([{ limit, retryAt: new Date('2026-11-22T12:00:30.250Z') }])
    expect(await hitsOf(limit.key)).toEqual([{ windowStartAt: later, hits: 1 }])
  })

  test('counts nothing against any limit when one of them is used up', async () => {
    const now = new Date('2026-11-22T12:00:00Z')
    const roomy = { key: `test:${uniqueName()}`, max: 5, windowSeconds: 60 }
    const tight = { key: `test:${uniqueName()}`, max: 1, windowSeconds: 60 }
    expect(await hitLimits([roomy, tight], { now })).toEqual([])
    expect((await hitLimits([roomy, tight], { now: new Date(now.getTime() + 1000) })).map((b) => b.limit)).toEqual([tight])
    expect(await hitsOf(roomy.key)).toEqual([{ windowStartAt: now, hits: 1 }])
  })

  test('a window closes windowSeconds after it opened, and the next hit opens a new one', async () => {
    const opened = new Date('2026-11-22T12:00:00Z')
    const limit = { key: `test:${uniqueName()}`, max: 2, windowSeconds: 60 }
    expect(await hitLimits([limit], { now: opened })).toEqual([])
    expect(await hitLimits([limit], { now: new Date('2026-11-22T12:00:40Z') })).toEqual([])
    expect(await hitLimits([limit], { now: new Date('2026-11-22T12:00:59.999Z') })).toEqual([{ limit, retryAt: new Date('2026-11-22T12:01:00Z') }])
    const reopened = new Date('2026-11-22T12:01:00Z')
    expect(await hitLimits([limit], { now: reopened })).toEqual([])
    expect(await hitsOf(limit.key)).toEqual([{ windowStartAt: reopened, hits: 1 }])
  })
})
