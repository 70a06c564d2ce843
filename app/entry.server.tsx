import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { renderToString } from 'react-dom/server'

/**
 * Pages have no deferred data, so the whole page is rendered before the first byte; renderToString
 * does that with less overhead than the streaming renderer (measured: see tests/bench).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const html = '<!DOCTYPE html>' + renderToString(<RemixServer context={remixContext} url={request.url} />)
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
  responseHeaders.set('X-Content-Type-Options', 'nosniff')
  responseHeaders.set('Referrer-Policy', 'same-origin')
  responseHeaders.set('X-Frame-Options', 'DENY')
  return new Response(html, { status: responseStatusCode, headers: responseHeaders })
}

/** Server errors are logged once; unknown URLs and requests the browser gave up on are not errors. */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return
  if (isRouteErrorResponse(error) && error.status === 404) return
  console.error(error)
}
