import { eq, inArray, lt, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { rateLimitHits } from '#db/schema/index'

export type Limit = { key: string; windowSeconds: number; max: number }

function windowStart(limit: Limit, now: Date) {
  const ms = limit.windowSeconds * 1000
  return new Date(Math.floor(now.getTime() / ms) * ms)
}

/**
 * Fixed windows counted in the database, so every server process sees the same counts.
 * Returns when the caller may retry if any limit is already used up, else null.
 */
export async function limitedUntil(limits: Limit[], { now = new Date(), tx = db as DbOrTx } = {}): Promise<Date | null> {
  if (limits.length === 0) return null
  const rows = await tx
    .select({ key: rateLimitHits.key, windowStartAt: rateLimitHits.windowStartAt, hits: rateLimitHits.hits })
    .from(rateLimitHits)
    .where(inArray(rateLimitHits.key, limits.map((l) => l.key)))
  let retryAt: Date | null = null
  for (const limit of limits) {
    const start = windowStart(limit, now)
    const row = rows.find((r) => r.key === limit.key && r.windowStartAt.getTime() === start.getTime())
    if (row && row.hits >= limit.max) {
      const end = new Date(start.getTime() + limit.windowSeconds * 1000)
      if (!retryAt || end > retryAt) retryAt = end
    }
  }
  return retryAt
}

export async function recordHits(limits: Limit[], { now = new Date(), tx = db as DbOrTx } = {}) {
  if (limits.length === 0) return
  await tx
    .insert(rateLimitHits)
    .values(limits.map((l) => ({ key: l.key, windowStartAt: windowStart(l, now), hits: 1 })))
    .onConflictDoUpdate({
      target: [rateLimitHits.key, rateLimitHits.windowStartAt],
      set: { hits: sql`${rateLimitHits.hits} + 1` },
    })
}

export async function clearHits(key: string, { tx = db as DbOrTx } = {}) {
  await tx.delete(rateLimitHits).where(eq(rateLimitHits.key, key))
}

/** Old windows only matter until they end; called at start-up to keep the table small. */
export async function pruneRateLimits(olderThan = new Date(Date.now() - 24 * 3600 * 1000)) {
  await db.delete(rateLimitHits).where(lt(rateLimitHits.windowStartAt, olderThan))
}
