import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import type { FragmentCache, Texts } from '~/platform/fragment-cache'

/** Elements kept (posts): a thread page's posts on a few hundred busy threads. */
const MAX_ELEMENTS = 2000
/** Variants kept per element: the kinds of viewer that see it differently (visitor, member, author, staff…). */
const MAX_VARIANTS = 8

type Variant = { props: object; texts: Texts; html: string }

/**
 * The server's fragment cache (decision 037). Under an element's key (`answer 12`) it keeps the HTML of
 * the last few sets of props and texts it was rendered with, the least recently used element
 * dropped first. A post that changes, a viewer who may do something else, another time zone or
 * another day's "3 days ago" is other props, so another variant: nothing is ever invalidated by hand.
 * Props are compared value by value, not serialised into a key: a serialised key and its hashing
 * cost more than the rest of a lookup. renderToString may run inside a render (React restores its
 * state after a nested call), and its markup is what the element's children would have had in the page.
 */
export function createFragmentCache({ maxElements = MAX_ELEMENTS, maxVariants = MAX_VARIANTS } = {}): FragmentCache & { readonly size: number } {
  const elements = new Map<string, Variant[]>()
  return {
    html(key, component, props, texts) {
      let variants = elements.get(key)
      if (variants) elements.delete(key)
      else {
        variants = []
        if (elements.size >= maxElements) elements.delete(elements.keys().next().value!)
      }
      // Most recently used last, in the Map and in the list.
      elements.set(key, variants)
      const at = variants.findIndex((v) => sameValues(v.props, props) && sameTexts(v.texts, texts))
      const variant = at === -1 ? { props, texts, html: flat(renderToString(createElement(component, { ...props, texts }))) } : variants.splice(at, 1)[0]
      variants.push(variant)
      if (variants.length > maxVariants) variants.shift()
      return variant.html
    },
    get size() {
      let size = 0
      for (const variants of elements.values()) size += variants.length
      return size
    },
  }
}

/**
 * The rendered HTML as one flat string. renderToString returns a rope of thousands of small pieces;
 * kept as it is, every page that includes it walks them all again when its text is encoded for the
 * socket (that walk cost more than rendering the post afresh). Encoding it once makes a flat copy.
 */
const flat = (html: string) => Buffer.from(html).toString()

/** Equal as JSON values: props are plain data (strings, numbers, booleans, null, arrays, objects). */
function sameValues(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameValues(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  for (const key of keys) if (!sameValues((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false
  return true
}

/** The same texts under the same keys. */
function sameTexts(kept: Texts, given: Texts) {
  let count = 0
  for (const key in given) {
    if (kept[key] !== given[key]) return false
    count++
  }
  return count === Object.keys(kept).length
}

export const fragmentCache = createFragmentCache()
