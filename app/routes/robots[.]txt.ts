import type { LoaderFunctionArgs } from '@remix-run/node'
import { publicOrigin } from '~/platform/public-origin.server'

/**
 * What crawlers may skip: staff and account areas, edit forms and search result pages (a crawl trap
 * of endless queries). It keeps crawlers' visits where the public content is; it is not what keeps
 * private content private. That is sign-in: a private address answers a crawler with a redirect to
 * the log-in page that says `X-Robots-Tag: noindex` (requireUser), and Google documents that an
 * address disallowed here can still be indexed from links to it, while a noindex can only be read
 * where crawling is allowed. So tickets and the ask page, whose addresses members share and which
 * the site links from every page, are not listed (decision 036). The sitemap's address is absolute,
 * as the protocol wants: hence a route rather than a file in public/.
 */
const DISALLOWED = ['/settings', '/mod/', '/admin/', '/staff', '/notifications', '/me/', '/conflicts', '/report', '/api/', '/search?', '/search/', '/reset-password/', '/verify-email/', '/logout']

export async function loader({ request }: LoaderFunctionArgs) {
  const body = ['User-agent: *', ...DISALLOWED.map((path) => `Disallow: ${path}`), 'Disallow: /*/edit', '', `Sitemap: ${publicOrigin(request)}/sitemap.xml`, ''].join('\n')
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } })
}
