import type { LoaderFunctionArgs } from '@remix-run/node'
import { sitemapCategories, sitemapPageCounts, sitemapQuestions, sitemapTags } from '~/forum/sharing.server'
import { idOrNull, invariantResponse, questionPath } from '~/platform/misc'
import { publicOrigin } from '~/platform/public-origin.server'
import { pathParams } from '~/platform/request-input.server'
import { sitemapUrlSet, xmlResponse } from '~/platform/syndication.server'

/** One file of the sitemap: `pages.xml`, `questions-N.xml` or `tags-N.xml`; anything else is a 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const origin = publicOrigin(request)
  const file = pathParams(params).file ?? ''
  if (file === 'pages.xml') {
    const categories = await sitemapCategories()
    const paths = ['/', '/questions', '/help', ...categories.map((c) => `/c/${encodeURIComponent(c.slug)}`)]
    return xmlResponse(sitemapUrlSet(paths.map((path) => ({ loc: `${origin}${path}` }))), 'application/xml')
  }
  const match = file.match(/^(questions|tags)-(\d{1,7})\.xml$/)
  const page = match ? idOrNull(match[2]) : null
  invariantResponse(match && page, 'There is no such sitemap.')
  // A page past the last is a 404, not an empty file, so a made-up address is not a valid sitemap.
  const counts = await sitemapPageCounts()
  invariantResponse(page <= counts[match[1] as 'questions' | 'tags'], 'There is no such sitemap.')
  if (match[1] === 'questions') {
    const rows = await sitemapQuestions({ page })
    return xmlResponse(sitemapUrlSet(rows.map((q) => ({ loc: `${origin}${questionPath(q)}`, lastmod: q.lastActivityAt }))), 'application/xml')
  }
  const rows = await sitemapTags({ page })
  return xmlResponse(sitemapUrlSet(rows.map((t) => ({ loc: `${origin}/tags/${encodeURIComponent(t.name)}` }))), 'application/xml')
}
