import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import type { FragmentCache, Texts } from '~/ui/fragment-cache'

/** Entries kept: a thread page's posts for a few kinds of viewer on a few hundred busy threads. */
const MAX_ENTRIES = 2000

/**
 * The server's fragment cache (decision 037): HTML by component name, props and texts, the least
 * recently used dropped first. The key is the props themselves, serialised: a post that changes, a
 * viewer who may do something else, another time zone or another day's "3 days ago" is another key,
 * so nothing is ever invalidated by hand. The long texts (post bodies) are compared as they are rather
 * than serialised into the key, which costs more than the rest of it. renderToString may run inside a
 * render (React restores its state after a nested call), and its markup is the same as the element's
 * children would have had in the page.
 */
export function createFragmentCache(maxEntries = MAX_ENTRIES): FragmentCache & { readonly size: number } {
  const entries = new Map<string, { texts: Texts; html: string }>()
  return {
    html(name, component, props, texts) {
      const key = `${name} ${Object.keys(texts).join(',')} ${JSON.stringify(props)}`
      let entry = entries.get(key)
      if (entry === undefined || !sameTexts(entry.texts, texts)) {
        entry = { texts, html: flat(renderToString(createElement(component, { ...props, texts }))) }
        if (entries.size >= maxEntries && !entries.has(key)) entries.delete(entries.keys().next().value!)
      }
      // Most recently used last: a Map keeps insertion order.
      entries.delete(key)
      entries.set(key, entry)
      return entry.html
    },
    get size() {
      return entries.size
    },
  }
}

/**
 * The rendered HTML as one flat string. renderToString returns a rope of thousands of small pieces;
 * kept as it is, every page that includes it walks them all again when its text is encoded for the
 * socket (that walk cost more than rendering the post afresh). Encoding it once makes a flat copy.
 */
const flat = (html: string) => Buffer.from(html).toString()

/** Same keys (the cache key lists them) and the same text under each. */
function sameTexts(kept: Texts, given: Texts) {
  for (const key in given) if (kept[key] !== given[key]) return false
  return true
}

export const fragmentCache = createFragmentCache()
