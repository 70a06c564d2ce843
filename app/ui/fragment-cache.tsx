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
export type FragmentCache = { html<P extends object>(name: string, component: ComponentType<P & { texts: Texts }>, props: P, texts: Texts): string }

export const FragmentCacheContext = createContext<FragmentCache | null>(null)

type Attributes = Record<string, string | undefined>

export function CachedElement<P extends object>({
  as: Tag,
  attributes,
  name,
  component,
  props,
  texts,
}: {
  as: keyof JSX.IntrinsicElements
  attributes: Attributes
  name: string
  component: ComponentType<P & { texts: Texts }>
  props: P
  texts: Texts
}) {
  const cache = useContext(FragmentCacheContext)
  if (!cache) return createElement(Tag, attributes, createElement(component, { ...props, texts }))
  return createElement(Tag, { ...attributes, dangerouslySetInnerHTML: { __html: cache.html(name, component, props, texts) } })
}
