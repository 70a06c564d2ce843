/**
 * Sitemaps (sitemaps.org 0.9) and Atom feeds (RFC 4287) as text, from plain values: domains load
 * what is public, routes pass it here. Everything user-written is escaped once, in `xmlText`.
 */

// Characters XML 1.0 does not allow at all, even escaped (a title pasted from a terminal may hold one).
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

/** Text for an XML element or a double-quoted attribute. */
export function xmlText(value: string): string {
  return value.replace(FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

const iso = (value: string | Date) => new Date(value).toISOString()

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

export function sitemapIndex(sitemapUrls: string[]): string {
  const items = sitemapUrls.map((loc) => `  <sitemap><loc>${xmlText(loc)}</loc></sitemap>\n`).join('')
  return `${XML_DECLARATION}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${items}</sitemapindex>\n`
}

export function sitemapUrlSet(urls: { loc: string; lastmod?: string | Date | null }[]): string {
  const items = urls.map((u) => `  <url><loc>${xmlText(u.loc)}</loc>${u.lastmod ? `<lastmod>${iso(u.lastmod)}</lastmod>` : ''}</url>\n`).join('')
  return `${XML_DECLARATION}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${items}</urlset>\n`
}

export type AtomEntry = {
  /** A permanent address that identifies the entry (never changes when the title does). */
  id: string
  title: string
  url: string
  published: string | Date
  updated: string | Date
  author: { name: string; url?: string }
  categories: string[]
  /** Sanitized HTML, as stored; sent escaped, as `type="html"` requires. */
  html: string
}

export function atomFeed({ title, selfUrl, pageUrl, origin, entries, updated }: { title: string; selfUrl: string; pageUrl: string; origin: string; entries: AtomEntry[]; updated: string | Date }): string {
  const items = entries
    .map(
      (e) => `  <entry>
    <id>${xmlText(e.id)}</id>
    <title type="text">${xmlText(e.title)}</title>
    <link rel="alternate" type="text/html" href="${xmlText(e.url)}"/>
    <published>${iso(e.published)}</published>
    <updated>${iso(e.updated)}</updated>
    <author><name>${xmlText(e.author.name)}</name>${e.author.url ? `<uri>${xmlText(e.author.url)}</uri>` : ''}</author>
${e.categories.map((term) => `    <category term="${xmlText(term)}"/>\n`).join('')}    <content type="html" xml:base="${xmlText(`${origin}/`)}">${xmlText(e.html)}</content>
  </entry>
`,
    )
    .join('')
  return `${XML_DECLARATION}<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xmlText(selfUrl)}</id>
  <title type="text">${xmlText(title)}</title>
  <updated>${iso(updated)}</updated>
  <author><name>Parley</name></author>
  <link rel="self" type="application/atom+xml" href="${xmlText(selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${xmlText(pageUrl)}"/>
  <generator>Parley</generator>
${items}</feed>
`
}

/** An XML document for crawlers and feed readers; shared caches may keep it a few minutes. */
export function xmlResponse(body: string, contentType: string): Response {
  return new Response(body, { headers: { 'Content-Type': `${contentType}; charset=utf-8`, 'Cache-Control': 'public, max-age=300' } })
}
