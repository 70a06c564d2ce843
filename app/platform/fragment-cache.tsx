import { createContext, createElement, useContext, type ComponentType, type JSX } from 'react'

/**
 * Fragment caching (decision 037): an element whose children are a pure function of a few plain
 * props and some long texts (post bodies, as HTML). On the server their HTML comes from a cache
 * keyed by those (app/platform/fragment-cache.server.ts, provided by entry.server.tsx), so a thread's
 * twenty answers are rendered once per version and kind of viewer, not on every view; in the browser
 * nothing is provided and they render as usual, hydrating the same markup. The component must read
 * no context and no loader data: what it shows is its props.
 */
export type Texts = Record<string, string>
/** `key` names the element (`answer 12`); its HTML is kept for each of the last few props and texts it had. */
export type FragmentCache = { html<P extends object>(key: string, component: ComponentType<P & { texts: Texts }>, props: P, texts: Texts): string }

export const FragmentCacheContext = createContext<FragmentCache | null>(null)

type Attributes = Record<string, string | undefined>

export function CachedElement<P extends object>({
  as: Tag,
  attributes,
  cacheKey,
  component,
  props,
  texts,
}: {
  as: keyof JSX.IntrinsicElements
  attributes: Attributes
  cacheKey: string
  component: ComponentType<P & { texts: Texts }>
  props: P
  texts: Texts
}) {
  const cache = useContext(FragmentCacheContext)
  if (!cache) return createElement(Tag, attributes, createElement(component, { ...props, texts }))
  return createElement(Tag, { ...attributes, dangerouslySetInnerHTML: { __html: cache.html(cacheKey, component, props, texts) } })
}
