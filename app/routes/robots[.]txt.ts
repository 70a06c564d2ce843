import type { LoaderFunctionArgs } from '@remix-run/node'
import { publicOrigin } from '~/platform/public-origin.server'

/**
 * Private areas stay out of search engines (they answer 404 or a log-in page to a crawler anyway,
 * this saves it the visits), and the sitemap's address is absolute, as the protocol wants: hence a
 * route rather than a file in public/.
 */
const PRIVATE = ['/tickets', '/settings', '/mod/', '/admin/', '/staff', '/notifications', '/me/', '/conflicts', '/report', '/api/', '/search?', '/search/', '/questions/new', '/reset-password/', '/verify-email/', '/logout']

export async function loader({ request }: LoaderFunctionArgs) {
  const body = ['User-agent: *', ...PRIVATE.map((path) => `Disallow: ${path}`), 'Disallow: /*/edit', '', `Sitemap: ${publicOrigin(request)}/sitemap.xml`, ''].join('\n')
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } })
}
