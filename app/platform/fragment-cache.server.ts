import { createElement, type ComponentType } from 'react'
import { renderToString } from 'react-dom/server'
import type { FragmentCache, Texts } from '~/platform/fragment-cache'

/** Elements kept (posts): a thread page's posts on a few hundred busy threads. */
const MAX_ELEMENTS = 2000
/** Variants kept per element: the kinds of viewer that see it differently (visitor, member, author, staff…). */
const MAX_VARIANTS = 8

/** `parts`: the HTML between slots, with the slot names between them (odd places); a single part when there are none. */
type Variant = { props: object; texts: Texts; parts: string[] }

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
    html(key, component, props, texts, slots) {
      let variants = elements.get(key)
      if (variants) elements.delete(key)
      else {
        variants = []
        if (elements.size >= maxElements) elements.delete(elements.keys().next().value!)
      }
      // Most recently used last, in the Map and in the list.
      elements.set(key, variants)
      // The most recently used first: the viewer before was most likely the same kind of viewer,
      // and comparing against the other variants first (a visitor's, say) cost as much again.
      let at = variants.length - 1
      while (at >= 0 && !(sameValues(variants[at].props, props) && sameTexts(variants[at].texts, texts))) at--
      const variant = at === -1 ? { props, texts, parts: render(component, props, texts, slots) } : at === variants.length - 1 ? variants.pop()! : variants.splice(at, 1)[0]
      variants.push(variant)
      if (variants.length > maxVariants) variants.shift()
      return fill(variant.parts, slots)
    },
    get size() {
      let size = 0
      for (const variants of elements.values()) size += variants.length
      return size
    },
  }
}

/**
 * Renders the element's children once, with each slot a marker (private-use characters, which
 * React's escaping leaves alone), and cuts the HTML at the markers.
 */
function render<P extends object>(component: ComponentType<P & { texts: Texts; slots: Texts }>, props: P, texts: Texts, slots: Texts | undefined): string[] {
  const markers: Texts = {}
  for (const name in slots) markers[name] = `${SLOT_START}${name}${SLOT_END}`
  // Each part flat and of its own: cut out of the marked HTML they would be slices of a two-byte
  // string (the markers are not Latin-1), and a page holding one is copied out as two-byte text
  // before it is encoded for the socket (that took 7.5 % of a signed-in view, against 1.8 %).
  return renderToString(createElement(component, { ...props, texts, slots: markers }))
    .split(SLOT_MARKER)
    .map(flat)
}

const SLOT_START = '\uE000'
const SLOT_END = '\uE001'
/** Splitting on this leaves the slot names at the odd places. */
const SLOT_MARKER = /\uE000([^\uE000\uE001]*)\uE001/

/** The HTML with each slot's value escaped as React escapes text and attribute values. */
function fill(parts: string[], slots: Texts | undefined) {
  if (parts.length === 1) return parts[0]
  let html = parts[0]
  for (let i = 1; i < parts.length; i += 2) html += escapeHtml(slots?.[parts[i]] ?? '') + parts[i + 1]
  return html
}

/** React's own escaping of text and attribute values (react-dom/server's escapeTextForBrowser). */
const escapeHtml = (value: string) => (/["&'<>]/.test(value) ? value.replace(/["&'<>]/g, (c) => ESCAPES[c]) : value)
const ESCAPES: Record<string, string> = { '"': '&quot;', '&': '&amp;', "'": '&#x27;', '<': '&lt;', '>': '&gt;' }

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
  // for…in over both, no key arrays: Object.keys made two arrays per object compared, and this ran
  // for every post of every page (2.6 % of a signed-in thread view; for…in takes about half).
  let count = 0
  for (const key in a) {
    if (!sameValues((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false
    count++
  }
  for (const _ in b) count--
  return count === 0
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
