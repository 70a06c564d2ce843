import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { renderToString } from 'react-dom/server'
import { CspNonceContext } from '~/platform/csp-nonce'
import { fragmentCache } from '~/platform/fragment-cache.server'
import { FragmentCacheContext } from '~/platform/fragment-cache'
import { omitHtmlOnce } from '~/platform/html-once.server'
import { withMatchedRoutesOnly } from '~/platform/matched-routes.server'
import { hasSessionCookie } from '~/platform/auth/auth.server'
import { noteDatabaseAway } from '~/platform/database-away.server'
import { logger } from '~/platform/logger.server'
import { RenderedResponse } from '~/platform/send-response.server'
import { contentSecurityPolicy, createCspNonce, inlineScriptHashes, keepPrivate, nonceSource } from '~/platform/security-headers.server'

/**
 * Pages have no deferred data, so the whole page is rendered before the first byte; renderToString
 * does that with less overhead than the streaming renderer (measured: see tests/bench).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce === null ? undefined : (loadContext.cspNonce ?? createCspNonce())
  const html =
    '<!DOCTYPE html>' +
    renderToString(
      <CspNonceContext.Provider value={nonce}>
        <FragmentCacheContext.Provider value={fragmentCache}>
          <RemixServer context={withMatchedRoutesOnly(remixContext)} url={request.url} nonce={nonce} />
        </FragmentCacheContext.Provider>
      </CspNonceContext.Provider>,
    )
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
  responseHeaders.set('Content-Security-Policy', contentSecurityPolicy(nonce ? [nonceSource(nonce)] : inlineScriptHashes(html)))
  responseHeaders.set('Referrer-Policy', 'same-origin')
  responseHeaders.set('X-Frame-Options', 'DENY')
  keepPrivate(responseHeaders, { request, signedIn: signedIn(request, loadContext) })
  // Bytes, not the string: a string body is first checked character by character for lone
  // surrogates (WebIDL's USVString), which cost more than encoding it.
  return new RenderedResponse(Buffer.from(html), { status: responseStatusCode, headers: responseHeaders })
}

/**
 * The loader data embedded in a document for hydration (called by Remix: a patch of ours): without
 * the post bodies the page already shows (decision 020).
 */
export const handoffLoaderData = omitHtmlOnce

/** Loader and action data (`?_data`) holds what the page would: it is kept as private. X-Content-Type-Options comes from app/server.ts. */
export function handleDataRequest(response: Response, { request, context }: { request: Request; context: AppLoadContext }) {
  keepPrivate(response.headers, { request, signedIn: signedIn(request, context) })
  return response
}

const signedIn = (request: Request, context: AppLoadContext) => !!context.user || hasSessionCookie(request.headers.get('Cookie'))

/**
 * Server errors are logged once, with the request's id so the line joins that request's log line;
 * unknown URLs and requests the browser gave up on are not errors. A database that is away is not
 * this request's fault: the server answers 503 for it (app/platform/database-away.server.ts) and a
 * warning says why.
 */
export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return
  if (isRouteErrorResponse(error) && error.status === 404) return
  if (noteDatabaseAway(error, request)) {
    logger.warn({ reqId: context.requestId, reason: error instanceof Error ? error.message : String(error) }, 'database away: answered 503')
    return
  }
  logger.error({ err: error, reqId: context.requestId }, 'request failed')
}
