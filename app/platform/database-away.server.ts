/**
 * While the database is away (restarting, failing over), every request that needs it is answered
 * with 503 and Retry-After, never a hang, a stack trace or a 500; nothing else changes, and the next
 * request after the database returns is served normally (decision 017).
 *
 * Remix hands every error a loader or action threw to entry.server.tsx's handleError, with the
 * request, before it builds its 500 response; handleError notes the request here when the error
 * says the database is away, and the server's wrapper around the Remix handler swaps that 500 for
 * this 503. Errors before Remix (the session lookup, the page cache) reach the Express error handler.
 */
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { isDatabaseUnavailable } from '#db/connection-errors'

/** Seconds a client should wait before trying again: a restart takes a few. */
export const RETRY_AFTER_SECONDS = 5

export const DATABASE_AWAY_MESSAGE = 'Parley can’t reach its database for a moment, so nothing was changed. Please try again in a few seconds.'

// Shared through globalThis: entry.server.tsx (inside the Remix build) and app/server.ts each load
// their own copy of this module.
const awayKey = Symbol.for('parley.database-away.requests')
const awayRequests: WeakSet<Request> = ((globalThis as Record<symbol, unknown>)[awayKey] as WeakSet<Request> | undefined) ?? new WeakSet()
;(globalThis as Record<symbol, unknown>)[awayKey] = awayRequests

/** Called from handleError: remembers that `request` failed because the database is away. */
export function noteDatabaseAway(error: unknown, request: Request): boolean {
  if (!isDatabaseUnavailable(error)) return false
  awayRequests.add(request)
  return true
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * A page of its own, since the layout needs the database for the header: no scripts (it needs no
 * CSP nonce), the site's stylesheet, and for a page view a refresh once the wait is over.
 */
export function databaseAwayHtml({ stylesheetHref, refresh }: { stylesheetHref?: string | null; refresh: boolean }) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>We’ll be right back · Parley</title>
${refresh ? `<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}">` : ''}
${stylesheetHref ? `<link rel="stylesheet" href="${escapeHtml(stylesheetHref)}">` : ''}
</head>
<body>
<main id="main">
<section class="error-page">
<h1>We’ll be right back</h1>
<p>${escapeHtml(DATABASE_AWAY_MESSAGE)}</p>
<p class="muted">Error 503</p>
<p><a href="/">Back to the latest questions</a></p>
</section>
</main>
</body>
</html>`
}

const headers = (contentType: string) => ({
  'Content-Type': contentType,
  'Retry-After': String(RETRY_AFTER_SECONDS),
  'Cache-Control': 'no-store',
})

/**
 * The 503 for `request`: Remix's data requests get what its client shows in the error boundary (a
 * caught response with a message), pages get the page above.
 */
export function databaseAwayResponse(request: Request, stylesheetHref?: string | null): Response {
  const url = new URL(request.url)
  if (url.searchParams.has('_data')) {
    return new Response(JSON.stringify({ message: DATABASE_AWAY_MESSAGE }), {
      status: 503,
      headers: { ...headers('application/json; charset=utf-8'), 'X-Remix-Catch': 'yes' },
    })
  }
  return new Response(databaseAwayHtml({ stylesheetHref, refresh: request.method === 'GET' }), { status: 503, headers: headers('text/html; charset=utf-8') })
}

/** Wraps a Remix request handler: a response that failed because the database is away becomes the 503. */
export function answerDatabaseAway<Context>(
  handler: (request: Request, context: Context) => Promise<Response>,
  stylesheetHref?: string | null,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    const response = await handler(request, context)
    if (response.status >= 500 && awayRequests.has(request)) return databaseAwayResponse(request, stylesheetHref)
    return response
  }
}

/**
 * Express error handler for errors before Remix (the session lookup, the page cache): the 503 when
 * the database is away; anything else goes on to the last handler, which logs it and answers 500.
 */
export function answerDatabaseAwayErrors(stylesheetHref?: string | null) {
  return (error: unknown, req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (res.headersSent || !isDatabaseUnavailable(error)) return next(error)
    const wantsData = typeof req.query._data === 'string'
    res.status(503).set(headers(wantsData ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8'))
    if (wantsData) return res.set('X-Remix-Catch', 'yes').send(JSON.stringify({ message: DATABASE_AWAY_MESSAGE }))
    res.send(databaseAwayHtml({ stylesheetHref, refresh: req.method === 'GET' }))
  }
}
