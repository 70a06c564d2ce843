import { createHash, randomFillSync } from 'node:crypto'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { env } from '~/platform/env.server'

declare module '@remix-run/node' {
  interface AppLoadContext {
    /**
     * The nonce this response's inline scripts carry. `null` when the page will be shared between
     * responses (the page cache): a nonce served twice proves nothing, so that page's scripts are
     * allowed by their hashes instead. Unset, the page gets a nonce of its own when rendered.
     */
    cspNonce?: string | null
  }
}

/** Random bytes drawn 4 KiB at a time (as crypto.randomUUID does): one call to the CSPRNG per 256 nonces, each part used once. */
const pool = Buffer.alloc(4096)
let taken = pool.length

/** 128 random bits per response, as CSP asks of a nonce. */
export function createCspNonce() {
  if (taken === pool.length) {
    randomFillSync(pool)
    taken = 0
  }
  taken += 16
  return pool.toString('base64', taken - 16, taken)
}

/**
 * The policy of every HTML page (docs/decisions/014-content-security-policy.md): only scripts the
 * server marked run, and what they load; nothing is framed, posted elsewhere or re-based.
 * Members' posts may show images from any HTTPS address, as their Markdown allows.
 */
export function contentSecurityPolicy(scriptSources: string[]) {
  return [
    "default-src 'self'",
    `script-src ${scriptSources.length ? [...scriptSources, "'strict-dynamic'"].join(' ') : "'none'"}`,
    "style-src 'self'",
    "img-src 'self' https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ')
}

export const nonceSource = (nonce: string) => `'nonce-${nonce}'`

/**
 * The hash sources of a rendered page's inline scripts. The browser hashes the script's text as
 * parsed, and the HTML parser turns CR LF and CR into LF, so the same is done here.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>()
  for (const [, attributes, text] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(attributes)) continue
    hashes.add(`'sha256-${createHash('sha256').update(text.replace(/\r\n?/g, '\n'), 'utf8').digest('base64')}'`)
  }
  return [...hashes]
}

// Pages with someone's own data even without a session (a mailed link to rate a ticket or reset a password).
const PRIVATE_PATH = /^\/(tickets|settings|notifications|me|admin|staff|mod|conflicts|reset-password|verify-email|claim-account)(\/|$)/

/**
 * Keeps a page or data response out of every cache, the browser's included, when it may hold a
 * member's data: any request carrying a session cookie (a stale one too: its response clears it),
 * and the private sections whoever asks.
 */
export function keepPrivate(headers: Headers, { request, signedIn }: { request: Request; signedIn: boolean }) {
  if (signedIn || PRIVATE_PATH.test(new URL(request.url).pathname)) headers.set('Cache-Control', 'private, no-store')
}

/** A year, subdomains included: once a browser has seen it, it never tries plain HTTP here. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains'

/** Express middleware for every response, static files, data and downloads included; pages add theirs in entry.server.tsx. */
export function securityHeaders(_req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  res.set('X-Content-Type-Options', 'nosniff')
  if (env.hsts) res.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY)
  next()
}
