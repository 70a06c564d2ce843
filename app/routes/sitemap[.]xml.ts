import type { LoaderFunctionArgs } from '@remix-run/node'
import { sitemapPageCounts } from '~/forum/sharing.server'
import { publicOrigin } from '~/platform/public-origin.server'
import { sitemapIndex, xmlResponse } from '~/platform/syndication.server'

/** The sitemap index: the site's pages and categories, then questions and tags in id-range files (decision 026). */
export async function loader({ request }: LoaderFunctionArgs) {
  const origin = publicOrigin(request)
  const counts = await sitemapPageCounts()
  const files = [
    'pages.xml',
    ...Array.from({ length: counts.questions }, (_, i) => `questions-${i + 1}.xml`),
    ...Array.from({ length: counts.tags }, (_, i) => `tags-${i + 1}.xml`),
  ]
  return xmlResponse(sitemapIndex(files.map((file) => `${origin}/sitemap/${file}`)), 'application/xml')
}
