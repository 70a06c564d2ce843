/**
 * The origin absolute links are built from (canonical URLs, cards, sitemaps, feeds): PUBLIC_URL when
 * it is set, else the request's own. PUBLIC_URL should be set in production: without it a Host
 * header chosen by the client ends up in the page (the page cache keys its entries by host for that).
 */
export function publicOrigin(request: Request): string {
  const configured = process.env.PUBLIC_URL?.trim()
  if (configured) return configured.replace(/\/+$/, '')
  return new URL(request.url).origin
}
