import type { EntryContext } from '@remix-run/node'
import { HTML_ONCE_KEY } from './html-once'

// Remix's own escaping of the embedded data (server-runtime markup.ts): character by character, so
// the escaped form of a part of the data is a substring of the escaped whole.
const ESCAPES: Record<string, string> = { '&': '\\u0026', '>': '\\u003e', '<': '\\u003c', '\u2028': '\\u2028', '\u2029': '\\u2029' }
const escapeHtml = (text: string) => text.replace(/[&><\u2028\u2029]/g, (c) => ESCAPES[c])

/**
 * A document's embedded loader data (`window.__remixContext`) without the HTML that the page itself
 * already carries: each route's `htmlOnce` object is written as `{}`. The page rendered from the
 * full data (`staticHandlerContext`), which this leaves alone. Costs one JSON.stringify of the
 * bodies and one search; if the text is not found (Remix changed its serialisation) nothing is
 * removed and the page only gets bigger, which tests/routes/thread-weight.test.ts reports.
 */
export function omitHtmlOnceFromHandoff(context: EntryContext): EntryContext {
  let handoff = context.serverHandoffString
  if (!handoff) return context
  for (const data of Object.values(context.staticHandlerContext.loaderData ?? {})) {
    const bodies = data && typeof data === 'object' ? (data as Record<string, unknown>)[HTML_ONCE_KEY] : undefined
    if (!bodies || typeof bodies !== 'object' || Object.keys(bodies).length === 0) continue
    const serialised = escapeHtml(`"${HTML_ONCE_KEY}":${JSON.stringify(bodies)}`)
    const at = handoff.indexOf(serialised)
    if (at !== -1) handoff = handoff.slice(0, at) + `"${HTML_ONCE_KEY}":{}` + handoff.slice(at + serialised.length)
  }
  return handoff === context.serverHandoffString ? context : { ...context, serverHandoffString: handoff }
}
