import { eq } from 'drizzle-orm'
import { parseDocument, DomUtils } from 'htmlparser2'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { questions } from '#db/schema/index'
import { sitemapQuestions } from '~/forum/sharing.server'
import { questionPath } from '~/platform/misc'
import * as sitemapFile from '~/routes/sitemap.$file'
import * as sitemapIndex from '~/routes/sitemap[.]xml'
import * as latestFeed from '~/routes/feeds.latest[.]atom'
import * as categoryFeed from '~/routes/c.$categorySlug_.feed[.]atom'
import * as tagFeed from '~/routes/tags.$tag_.feed[.]atom'
import { createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'
import { routesMatching } from './route-tree'

const hide = (id: number) => db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'spam' }).where(eq(questions.id, id))
const remove = (id: number) => db.update(questions).set({ removedAt: new Date(), removedReason: 'spam' }).where(eq(questions.id, id))

type Loader = (args: Awaited<ReturnType<typeof routeArgs>>) => Promise<unknown>
async function get(loader: Loader, path: string, params: Record<string, string> = {}) {
  return responseOf(async () => loader(await routeArgs({ path, params })))
}
const xml = (text: string) => parseDocument(text, { xmlMode: true })
const texts = (text: string, tag: string) => DomUtils.getElementsByTagName(tag, xml(text)).map((e) => DomUtils.textContent(e))

async function forum() {
  const author = await createTestUser()
  const open = await createTestQuestion({ authorId: author.id, title: 'Printer <drops> off the network & more', body: 'It drops off *every* night at 2:00.\n\n```\nping 10.0.0.7\n```', tags: ['printing'] })
  const hidden = await createTestQuestion({ authorId: author.id, title: 'A hidden question about spam links', tags: ['printing'] })
  const removed = await createTestQuestion({ authorId: author.id, title: 'A removed question about rude words', tags: ['printing'] })
  await hide(hidden.id)
  await remove(removed.id)
  return { author, open, hidden, removed }
}

describe('the sitemap', () => {
  test('the index lists the pages file and id-range files; a question file lists public threads at their canonical address only', async () => {
    const { open, hidden, removed } = await forum()
    const index = await get(sitemapIndex.loader as Loader, '/sitemap.xml')
    expect(index.headers.get('Content-Type')).toBe('application/xml; charset=utf-8')
    const files = texts(await index.text(), 'loc')
    expect(files).toEqual(expect.arrayContaining(['http://localhost/sitemap/pages.xml', 'http://localhost/sitemap/questions-1.xml', 'http://localhost/sitemap/tags-1.xml']))

    const page = await (await get(sitemapFile.loader as Loader, '/sitemap/questions-1.xml', { file: 'questions-1.xml' })).text()
    const urls = texts(page, 'loc')
    expect(urls).toContain(`http://localhost${questionPath(open)}`)
    expect(urls.some((u) => u.includes(`/questions/${hidden.id}/`) || u.includes(`/questions/${removed.id}/`))).toBe(false)
    // Every address is escaped once: the title's "&" never reaches the file raw.
    expect(page).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/)

    const pages = texts(await (await get(sitemapFile.loader as Loader, '/sitemap/pages.xml', { file: 'pages.xml' })).text(), 'loc')
    expect(pages).toEqual(expect.arrayContaining(['http://localhost/', 'http://localhost/questions', 'http://localhost/c/technical']))
    const tags = texts(await (await get(sitemapFile.loader as Loader, '/sitemap/tags-1.xml', { file: 'tags-1.xml' })).text(), 'loc')
    expect(tags).toContain('http://localhost/tags/printing')
  })

  test('files are id ranges of a fixed size: each question is on exactly one, and a file past the last or a made-up name is a 404', async () => {
    const { open } = await forum()
    const pageSize = 2
    const pageOf = Math.ceil(open.id / pageSize)
    expect((await sitemapQuestions({ page: pageOf, pageSize })).map((q) => q.id)).toContain(open.id)
    expect((await sitemapQuestions({ page: pageOf + 1, pageSize })).map((q) => q.id)).not.toContain(open.id)
    expect((await sitemapQuestions({ page: pageOf, pageSize })).length).toBeLessThanOrEqual(pageSize)
    for (const file of ['questions-999.xml', 'questions-0.xml', 'questions-x.xml', 'users-1.xml', 'questions-1.xml.gz']) {
      expect((await get(sitemapFile.loader as Loader, `/sitemap/${file}`, { file })).status, file).toBe(404)
    }
  })

  test('the addresses are the ones Remix routes to these files', async () => {
    expect((await routesMatching('/sitemap.xml')).at(-1)?.id).toBe('routes/sitemap[.]xml')
    expect((await routesMatching('/sitemap/questions-1.xml')).at(-1)?.id).toBe('routes/sitemap.$file')
    expect((await routesMatching('/feeds/latest.atom')).at(-1)?.id).toBe('routes/feeds.latest[.]atom')
    // The feeds are not children of the category and tag pages, whose loaders would run too.
    expect((await routesMatching('/c/technical/feed.atom')).map((r) => r.id)).toEqual(['root', 'routes/c.$categorySlug_.feed[.]atom'])
    expect((await routesMatching('/tags/printing/feed.atom')).map((r) => r.id)).toEqual(['root', 'routes/tags.$tag_.feed[.]atom'])
  })
})

describe('Atom feeds', () => {
  test('the latest feed has public questions only, with escaped titles and the stored HTML as escaped content', async () => {
    const { open, hidden, removed } = await forum()
    const res = await get(latestFeed.loader as Loader, '/feeds/latest.atom')
    expect(res.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8')
    const body = await res.text()
    const titles = texts(body, 'title')
    expect(titles).toContain('Printer <drops> off the network & more')
    expect(titles).not.toContain(hidden.title)
    expect(titles).not.toContain(removed.title)
    expect(body).toContain('<title type="text">Printer &lt;drops&gt; off the network &amp; more</title>')
    // The content element holds the HTML as text, which a feed reader renders.
    const entry = DomUtils.getElementsByTagName('entry', xml(body)).find((e) => DomUtils.textContent(DomUtils.getElementsByTagName('title', e)[0]) === open.title)!
    const content = DomUtils.textContent(DomUtils.getElementsByTagName('content', entry)[0])
    expect(content).toContain('<em>every</em>')
    expect(content).toContain('<code>ping 10.0.0.7')
    expect(DomUtils.getElementsByTagName('link', entry)[0].attribs.href).toBe(`http://localhost${questionPath(open)}`)
    expect(DomUtils.getElementsByTagName('category', entry).map((c) => c.attribs.term)).toEqual(expect.arrayContaining(['printing']))
  })

  test('category and tag feeds list only their own public questions; an unknown category or a malformed tag is a 404', async () => {
    const { author, open, hidden } = await forum()
    const other = await createTestQuestion({ authorId: author.id, title: 'Billing question in another category', category: 'account' })
    const technical = texts(await (await get(categoryFeed.loader as Loader, '/c/technical/feed.atom', { categorySlug: 'technical' })).text(), 'title')
    expect(technical).toContain(open.title)
    expect(technical).not.toContain(other.title)
    const tagged = texts(await (await get(tagFeed.loader as Loader, '/tags/printing/feed.atom', { tag: 'printing' })).text(), 'title')
    expect(tagged).toContain(open.title)
    expect(tagged).not.toContain(hidden.title)
    expect(tagged).not.toContain(other.title)
    expect((await get(categoryFeed.loader as Loader, '/c/nope/feed.atom', { categorySlug: 'nope' })).status).toBe(404)
    expect((await get(tagFeed.loader as Loader, '/tags/%3Cx%3E/feed.atom', { tag: '<x>' })).status).toBe(404)
  })
})

test('robots.txt keeps the private areas out and points to the sitemap at the public address', async () => {
  const { loader } = await import('~/routes/robots[.]txt')
  const previous = process.env.PUBLIC_URL
  process.env.PUBLIC_URL = 'https://forum.example.test/'
  try {
    const body = await (await get(loader as Loader, '/robots.txt')).text()
    for (const path of ['/settings', '/mod/', '/admin/', '/staff', '/notifications', '/me/', '/search?']) expect(body).toContain(`Disallow: ${path}\n`)
    // Tickets and the ask page stay crawlable, so a crawler can read the noindex of the log-in
    // redirect they answer it with (decision 036).
    expect(body).not.toMatch(/^Disallow: \/(tickets|questions)/m)
    expect(body).not.toMatch(/^Disallow: \/$/m)
    expect(body).toContain('Sitemap: https://forum.example.test/sitemap.xml')
  } finally {
    if (previous === undefined) delete process.env.PUBLIC_URL
    else process.env.PUBLIC_URL = previous
  }
})
