import { renderToString } from 'react-dom/server'
import { describe, expect, test } from 'vitest'
import { PostFrame, type ThreadAnswer, type ThreadViewer } from '~/forum/ui/thread-post'
import { createFragmentCache } from '~/platform/fragment-cache.server'
import { CachedElement, FragmentCacheContext, type FragmentCache, type Texts } from '~/platform/fragment-cache'
import { InZone } from '~/ui/time'

/**
 * The fragment cache (decision 037) stands in for rendering on the server; the browser renders the
 * same components without it and hydrates the server's markup. So the page must be the same markup
 * either way, and no viewer may ever get HTML worked out for another.
 */
const answer = (id: number, changes: Partial<ThreadAnswer> = {}): ThreadAnswer => ({
  id,
  score: 2,
  viewerVote: null,
  authorId: 7,
  authorUsername: 'grace',
  authorRole: 'agent',
  authorAvatarPath: null,
  authorDisplayName: 'Grace H.',
  authorJoinedAt: '2024-03-01T10:00:00.000Z',
  createdAt: '2026-11-30T09:15:00.000Z',
  editedAt: '2026-12-01T08:00:00.000Z',
  hiddenAt: null,
  hiddenReason: null,
  removedAt: null,
  removedReason: null,
  reviewEditUsed: false,
  queuedAt: null,
  ...changes,
})
const revisions = [{ id: 31, postKind: 'answer', postId: 1, title: null, editorUsername: 'grace', createdAt: '2026-11-30T09:15:00.000Z' }]
const htmlOnce = { a1: '<p>Restart the <strong>worker</strong> &amp; retry.</p>', r31: '<p>Restart it.</p>', a2: '<p>Or check the logs.</p>' }
const member: ThreadViewer = { id: 9, role: 'member' } as ThreadViewer
const author: ThreadViewer = { id: 7, role: 'agent' } as ThreadViewer

function page(cache: FragmentCache | null, { viewer = member, zone = 'UTC', now = '2026-12-02T12:00:00.000Z', answers = [answer(1), answer(2, { viewerVote: 1, editedAt: null })], bodies = htmlOnce as Record<string, string> } = {}) {
  return renderToString(
    <FragmentCacheContext.Provider value={cache}>
      <InZone zone={zone}>
        {answers.map((a) => (
          <PostFrame key={a.id} kind="answer" post={a} user={viewer} now={now} htmlOnce={bodies} revisions={revisions.filter((r) => r.postId === a.id)} href={`/answers/${a.id}`} loginHref="/login" top={{ heading: { id: `answer-${a.id}-label`, text: `Answer by ${a.authorUsername}` } }} id={`answer-${a.id}`} className="answer" />
        ))}
      </InZone>
    </FragmentCacheContext.Provider>,
  )
}

describe('fragment cache', () => {
  test('a page renders the same markup from the cache as without it, the first time and every time after', () => {
    const cache = createFragmentCache()
    const fresh = page(null)
    expect(fresh).toContain('Restart the <strong>worker</strong>')
    expect(page(cache)).toBe(fresh)
    expect(page(cache)).toBe(fresh)
    expect(cache.size).toBe(2)
  })

  test('what differs by viewer, zone, age or post is another entry, never another viewer’s HTML', () => {
    const cache = createFragmentCache()
    page(cache)
    const cases = [
      { viewer: author }, // the author may edit, not vote or report
      { viewer: null }, // a visitor is asked to log in
      { zone: 'Asia/Tokyo' },
      { now: '2026-12-09T12:00:00.000Z' }, // a week later, "… ago" reads differently
      { answers: [answer(1, { score: 5 }), answer(2, { viewerVote: -1, editedAt: null })] },
      { answers: [answer(1, { hiddenAt: '2026-12-01T00:00:00.000Z', hiddenReason: 'Off topic' }), answer(2, { editedAt: null })] },
      { bodies: { ...htmlOnce, a1: '<p>Edited body.</p>' } },
    ]
    for (const options of cases) {
      const cached = page(cache, options)
      expect(cached, JSON.stringify(options)).toBe(page(null, options))
      expect(cached).not.toBe(page(null))
    }
    expect(page(cache, { viewer: author })).toContain('Edit answer')
    expect(page(cache)).not.toContain('Edit answer')
    expect(page(cache, { bodies: { ...htmlOnce, a1: '<p>Edited body.</p>' } })).toContain('Edited body.')
    expect(page(cache)).toContain('Restart the <strong>worker</strong>')
  })

  test('keeps at most its number of elements and of variants of each, dropping the least recently used', () => {
    const cache = createFragmentCache({ maxElements: 3, maxVariants: 2 })
    let renders = 0
    const Counted = ({ n }: { n: number; texts: Texts }) => (renders++, <span>{n}</span>)
    const html = (n: number, variant = 0) =>
      renderToString(<FragmentCacheContext.Provider value={cache}>{<CachedElement as="p" attributes={{}} cacheKey={`n${n}`} component={Counted} props={{ n, variant }} texts={{}} />}</FragmentCacheContext.Provider>)
    for (const n of [1, 2, 3, 1, 4]) html(n) // 2 is the least recently used when 4 comes
    expect(renders).toBe(4)
    expect(cache.size).toBe(3)
    html(1)
    html(3)
    expect(renders).toBe(4)
    expect(html(2)).toBe('<p><span>2</span></p>')
    expect(renders).toBe(5)
    // Variants of one element: the third drops the first.
    html(2, 1)
    html(2, 2)
    expect(renders).toBe(7)
    html(2, 2)
    html(2, 1)
    expect(renders).toBe(7)
    html(2, 0)
    expect(renders).toBe(8)
  })

  test('slots: the shared markup with each viewer’s own strings, escaped as React escapes them, rendered once', () => {
    const cache = createFragmentCache()
    let renders = 0
    // A slot as a whole text node, as a whole attribute value, and as part of text and of an attribute.
    const Card = ({ count, slots }: { count: number; texts: Texts; slots: Texts }) => (
      renders++,
      (
        <>
          <span className="name">{slots.name}</span>
          <a href={slots.href} title={`Profile of ${slots.name}`}>
            Hello {slots.name}, {count} new
          </a>
          <input type="hidden" name="back" value={slots.back} />
        </>
      )
    )
    const view = (c: FragmentCache | null, count: number, slots: Texts) =>
      renderToString(
        <FragmentCacheContext.Provider value={c}>
          <CachedElement as="div" attributes={{ className: 'card', onClick: () => undefined }} cacheKey="card" component={Card} props={{ count }} texts={{}} slots={slots} />
        </FragmentCacheContext.Provider>,
      )
    const viewers = [
      { name: 'ada', href: '/u/ada', back: '/questions?sort=new' },
      { name: `<script>alert("x")</script> & 'q'`, href: '/u/%3Cscript%3E', back: `/search?q="a"&b=<c>'` },
      { name: '\uE000name\uE001', href: '/u/\uE000', back: '/' }, // the markers themselves, as a value
    ]
    for (const slots of viewers) expect(view(cache, 3, slots), slots.name).toBe(view(null, 3, slots))
    expect(renders).toBe(1 + viewers.length) // one render for the cache; the plain renders above are the rest
    expect(view(cache, 3, viewers[1])).not.toContain('<script>')
    expect(view(cache, 3, viewers[0])).not.toContain('script')
    // Props are the key: another count is another variant, and keeps the viewer's own strings.
    expect(view(cache, 4, viewers[0])).toBe(view(null, 4, viewers[0]))
    expect(view(cache, 4, viewers[1])).toBe(view(null, 4, viewers[1]))
    expect(cache.size).toBe(2)
  })
})
