import type { MetaDescriptor } from '@remix-run/node'

/**
 * What a page tells search engines and link previews: its one canonical address, a description,
 * and the OpenGraph/Twitter card fields. Absolute addresses come from the root loader's `origin`
 * (PUBLIC_URL when set, else the request's origin), so this file stays free of server code.
 */
type Match = { id: string; data?: unknown }

export const SITE_NAME = 'Parley'

/** The site's origin as the root loader saw it ('' before it loaded: addresses stay relative). */
export function originOf(matches: readonly Match[]): string {
  const root = matches.find((m) => m.id === 'root')?.data as { origin?: string } | undefined
  return root?.origin ?? ''
}

/** Plain text on one line, at most `max` characters, cut at a word. */
export function clip(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`
}

export function pageMeta({
  matches,
  title,
  description,
  path,
  type = 'website',
  card = false,
  feeds = [],
  extra = [],
}: {
  matches: readonly Match[]
  /** The document title; the card's title leaves out the " · Parley" suffix. */
  title: string
  description: string
  /** The canonical path (no query, no fragment); null for pages that should carry none. */
  path: string | null
  /** OpenGraph type: `article` for threads, `profile` for members. */
  type?: 'website' | 'article' | 'profile'
  /** Whether the page gets OpenGraph/Twitter card fields (threads, profiles, lists). */
  card?: boolean
  /** Atom feeds of this page's content, linked with rel=alternate. */
  feeds?: { title: string; path: string }[]
  extra?: MetaDescriptor[]
}): MetaDescriptor[] {
  const origin = originOf(matches)
  const url = path === null ? null : `${origin}${path}`
  const cardTitle = title.replace(/ · Parley$/, '')
  const text = clip(description)
  return [
    { title },
    { name: 'description', content: text },
    ...(url ? [{ tagName: 'link', rel: 'canonical', href: url }] : []),
    ...feeds.map((feed) => ({ tagName: 'link', rel: 'alternate', type: 'application/atom+xml', title: feed.title, href: `${origin}${feed.path}` })),
    ...(card
      ? [
          { property: 'og:site_name', content: SITE_NAME },
          { property: 'og:type', content: type },
          { property: 'og:title', content: cardTitle },
          { property: 'og:description', content: text },
          ...(url ? [{ property: 'og:url', content: url }] : []),
          { name: 'twitter:card', content: 'summary' },
          { name: 'twitter:title', content: cardTitle },
          { name: 'twitter:description', content: text },
        ]
      : []),
    ...extra,
  ]
}

/** The site-wide feed, linked from every page that lists questions. */
export const LATEST_FEED = { title: 'Parley: latest questions', path: '/feeds/latest.atom' }
export const categoryFeedPath = (slug: string) => `/c/${encodeURIComponent(slug)}/feed.atom`
export const tagFeedPath = (tag: string) => `/tags/${encodeURIComponent(tag)}/feed.atom`
