import { createContext, createElement, useContext, type ComponentType, type JSX } from 'react'

/**
 * Fragment caching (decision 037): an element whose children are a pure function of a few plain
 * props and some long texts (post bodies, as HTML). On the server their HTML comes from a cache
 * keyed by those (app/platform/fragment-cache.server.ts, provided by entry.server.tsx), so a thread's
 * twenty answers are rendered once per version and kind of viewer, not on every view; in the browser
 * nothing is provided and they render as usual, hydrating the same markup. The component must read
 * no context and no loader data: what it shows is its props.
 *
 * `slots` (decision 039) are short strings that differ from viewer to viewer or page to page (a
 * username, the page to return to) in markup that is otherwise shared: they are not part of the key
 * but filled in, escaped as React escapes them, on every use. The component must show a slot as it
 * is, as text or an attribute's value or part of one, never transformed (encode a URL part into a
 * slot of its own).
 */
export type Texts = Record<string, string>
/** `key` names the element (`answer 12`); its HTML is kept for each of the last few props and texts it had. */
export type FragmentCache = {
  html<P extends object>(key: string, component: ComponentType<P & { texts: Texts; slots: Texts }>, props: P, texts: Texts, slots?: Texts): string
}

export const FragmentCacheContext = createContext<FragmentCache | null>(null)

/** The element's own attributes; a ref and event handlers are the browser's (the server renders none of them). */
type Attributes = Record<string, unknown>

export function CachedElement<P extends object>({
  as: Tag,
  attributes,
  cacheKey,
  component,
  props,
  texts,
  slots = NO_SLOTS,
}: {
  as: keyof JSX.IntrinsicElements
  attributes: Attributes
  cacheKey: string
  component: ComponentType<P & { texts: Texts; slots: Texts }>
  props: P
  texts: Texts
  slots?: Texts
}) {
  const cache = useContext(FragmentCacheContext)
  if (!cache) return createElement(Tag, attributes, createElement(component, { ...props, texts, slots }))
  return createElement(Tag, { ...attributes, dangerouslySetInnerHTML: { __html: cache.html(cacheKey, component, props, texts, slots) } })
}

const NO_SLOTS: Texts = {}
