import { gunzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { canonicalThreadRedirect, createPageCache, threadAddress } from './page-cache.server'

const page = (revision: number, text = 'html') => ({ revision, status: 200, headers: [['content-type', 'text/html']] as [string, string][], body: Buffer.from(text) })

describe('page cache', () => {
  test('serves an entry only while the revision is unchanged', () => {
    const cache = createPageCache()
    cache.set('/questions/1', page(3, 'three'))
    expect(cache.get('/questions/1', 3)?.body.toString()).toBe('three')
    expect(gunzipSync(cache.get('/questions/1', 3)!.gzipped).toString()).toBe('three')
    expect(cache.get('/questions/1', 4)).toBeNull()
    // A changed revision evicts the stale page for good.
    expect(cache.get('/questions/1', 3)).toBeNull()
  })

  test('entries expire after the maximum age', () => {
    const cache = createPageCache({ maxAgeMs: 1000 })
    cache.set('/questions/1', page(1), 10_000)
    expect(cache.get('/questions/1', 1, 11_000)).not.toBeNull()
    expect(cache.get('/questions/1', 1, 11_001)).toBeNull()
  })

  test('holds a bounded number of pages, dropping the least recently used', () => {
    const cache = createPageCache({ maxEntries: 2 })
    cache.set('/a', page(1))
    cache.set('/b', page(1))
    cache.get('/a', 1)
    cache.set('/c', page(1))
    expect(cache.size).toBe(2)
    expect(cache.get('/b', 1)).toBeNull()
    expect(cache.get('/a', 1)).not.toBeNull()
    expect(cache.get('/c', 1)).not.toBeNull()
  })

  test('recognises thread addresses only', () => {
    expect(threadAddress('/questions/42')).toEqual({ id: 42, slug: null })
    expect(threadAddress('/questions/42/how-to-sync')).toEqual({ id: 42, slug: 'how-to-sync' })
    expect(threadAddress('/questions/42/how-to-sync/page/3')).toEqual({ id: 42, slug: 'how-to-sync' })
    expect(threadAddress('/questions/42/how-to-sync/page/x')).toBeNull()
    expect(threadAddress('/questions/42/edit')).toBeNull()
    expect(threadAddress('/questions/42/edit/x')).toBeNull()
    expect(threadAddress('/questions/new')).toBeNull()
    expect(threadAddress('/questions')).toBeNull()
  })
})

describe('a public thread has one address', () => {
  const thread = { id: 42, title: 'Printer drops off the network!', isPublic: true }
  test('no slug, a wrong slug or a wrong slug on a later page is sent to the thread’s own address, keeping the page and the query', () => {
    expect(canonicalThreadRedirect('/questions/42', thread)).toBe('/questions/42/printer-drops-off-the-network')
    expect(canonicalThreadRedirect('/questions/42/', thread)).toBe('/questions/42/printer-drops-off-the-network')
    expect(canonicalThreadRedirect('/questions/42/old-title', thread)).toBe('/questions/42/printer-drops-off-the-network')
    expect(canonicalThreadRedirect('/questions/42/old-title/page/3?x=1', thread)).toBe('/questions/42/printer-drops-off-the-network/page/3?x=1')
  })
  test('the own address, other pages and hidden or missing threads are served as they are', () => {
    expect(canonicalThreadRedirect('/questions/42/printer-drops-off-the-network', thread)).toBeNull()
    expect(canonicalThreadRedirect('/questions/42/printer-drops-off-the-network/page/2', thread)).toBeNull()
    expect(canonicalThreadRedirect('/questions/42/edit', thread)).toBeNull()
    expect(canonicalThreadRedirect('/questions/42', { ...thread, isPublic: false })).toBeNull()
    expect(canonicalThreadRedirect('/questions/42', null)).toBeNull()
  })
  test('a title without letters or digits still gets a slug, so its address is never a bare id', () => {
    expect(canonicalThreadRedirect('/questions/7', { id: 7, title: '？？？', isPublic: true })).toBe('/questions/7/question')
    expect(canonicalThreadRedirect('/questions/7/question', { id: 7, title: '？？？', isPublic: true })).toBeNull()
  })
})
