import { HTML_ONCE_KEY } from './html-once'

/**
 * A document's embedded loader data (`window.__remixContext`) without the HTML that the page itself
 * already carries: each route's `htmlOnce` object is embedded as `{}`. The page is rendered from the
 * full data, which this leaves alone (it copies the routes it changes).
 *
 * Remix calls this through the entry module's `handoffLoaderData` export, an addition of ours
 * (patches/@remix-run+server-runtime+*.patch) made just before it serialises the data; before it,
 * we searched the serialised text for the bodies and cut them out, which cost one more
 * serialisation and escaping of every body. tests/routes/thread-weight.test.ts checks the result.
 */
export function omitHtmlOnce(loaderData: Record<string, unknown>): Record<string, unknown> {
  let result: Record<string, unknown> | null = null
  for (const [routeId, data] of Object.entries(loaderData)) {
    if (!data || typeof data !== 'object' || !(HTML_ONCE_KEY in data)) continue
    result ??= { ...loaderData }
    result[routeId] = { ...data, [HTML_ONCE_KEY]: {} }
  }
  return result ?? loaderData
}
