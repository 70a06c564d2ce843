import { useState } from 'react'

/**
 * Post bodies travel once (decision 020). A loader puts the HTML a page shows under `HTML_ONCE_KEY`
 * ({ [key]: html }). In a document response the server renders it into the page and
 * `omitHtmlOnce` (html-once.server.ts, called by Remix through entry.server's `handoffLoaderData`) leaves it out of the embedded loader data; the
 * browser's first render then takes each body from the element the server rendered, which it finds
 * by `data-html-once`. Loader data fetched later (navigations, revalidation, fetchers) is JSON only,
 * so it keeps the HTML, and the page renders from it as usual.
 */
export const HTML_ONCE_KEY = 'htmlOnce'
export type HtmlOnce = Record<string, string>

/** What the browser found in the server's page, by key: a component that remounts finds it again. */
const foundInPage = new Map<string, string>()

function fromPage(key: string): string {
  let html = foundInPage.get(key)
  if (html === undefined) {
    html = document.querySelector(`[data-html-once="${CSS.escape(key)}"]`)?.innerHTML ?? ''
    foundInPage.set(key, html)
  }
  return html
}

/** The HTML for `key`: from loader data when it is there, else (only ever in the browser, at hydration) from the page. */
export function useHtmlOnce(bodies: HtmlOnce | undefined, key: string): string {
  const given = bodies?.[key]
  // Read once per mount: React compares the string with the last one and leaves the DOM alone.
  const [found] = useState(() => (given === undefined && typeof document !== 'undefined' ? fromPage(key) : ''))
  return given ?? found
}

/** A post body: rendered once, found again by the browser under the same key. */
export function HtmlOnce({ bodies, htmlKey, className }: { bodies: HtmlOnce | undefined; htmlKey: string; className?: string }) {
  const html = useHtmlOnce(bodies, htmlKey)
  return <div className={className} data-html-once={htmlKey} dangerouslySetInnerHTML={{ __html: html }} suppressHydrationWarning />
}
