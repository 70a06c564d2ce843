import { gzipSync } from 'node:zlib'
import { questionPath, questionSlug } from './misc'

/**
 * Rendered pages for visitors who are not signed in, the bulk of a support forum's traffic. An
 * entry is served only while the content's revision is unchanged (one indexed query per hit) and
 * for at most a minute, so relative times such as "5 minutes ago" never drift far.
 */
export type CachedPage = {
  revision: number
  storedAt: number
  status: number
  headers: [string, string][]
  body: Buffer
  gzipped: Buffer
}

const MAX_AGE_MS = 60_000
const MAX_ENTRIES = 2_000

export function createPageCache({ maxAgeMs = MAX_AGE_MS, maxEntries = MAX_ENTRIES } = {}) {
  const entries = new Map<string, CachedPage>()
  return {
    get(key: string, revision: number, now = Date.now()): CachedPage | null {
      const entry = entries.get(key)
      if (!entry) return null
      if (entry.revision !== revision || now - entry.storedAt > maxAgeMs) {
        entries.delete(key)
        return null
      }
      // Map keeps insertion order: re-inserting makes this the most recently used.
      entries.delete(key)
      entries.set(key, entry)
      return entry
    },
    set(key: string, page: Omit<CachedPage, 'gzipped' | 'storedAt'>, now = Date.now()) {
      entries.delete(key)
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value!)
      entries.set(key, { ...page, storedAt: now, gzipped: gzipSync(page.body) })
    },
    get size() {
      return entries.size
    },
  }
}

/**
 * `/questions/42`, `/questions/42/any-slug` or a later page `/questions/42/any-slug/page/3` →
 * { id: 42, slug }; anything else (the edit page too) → null. Each page is cached at its own path.
 */
export function threadAddress(path: string): { id: number; slug: string | null } | null {
  const match = path.match(/^\/questions\/(\d{1,10})(?:\/(?!edit$)([^/?]*)(?:\/page\/\d{1,6})?)?$/)
  return match ? { id: Number(match[1]), slug: match[2] || null } : null
}

/**
 * Where a request for a thread should go instead (decision 026), or null to serve it: a public
 * thread has one address, `/questions/:id/:slug`, and any other slug or none is a 301 there. A later
 * page keeps its `/page/n` and the query string is kept. `thread` is the row looked up by id, null
 * when there is none; hidden and removed threads are never redirected, since the new address would
 * tell anyone their title.
 */
export function canonicalThreadRedirect(url: string, thread: { id: number; title: string; isPublic: boolean } | null): string | null {
  const queryAt = url.indexOf('?')
  const path = queryAt === -1 ? url : url.slice(0, queryAt)
  const address = threadAddress(path)
  if (!address || !thread || !thread.isPublic || address.slug === questionSlug(thread.title)) return null
  const later = path.match(/\/page\/\d+$/)?.[0] ?? ''
  return `${questionPath(thread)}${later}${queryAt === -1 ? '' : url.slice(queryAt)}`
}
