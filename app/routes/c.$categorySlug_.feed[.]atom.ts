import type { LoaderFunctionArgs } from '@remix-run/node'
import { getCategoryBySlug } from '~/forum/categories.server'
import { atomEntriesOf, feedEntries, feedUpdatedAt } from '~/forum/sharing.server'
import { invariantResponse } from '~/platform/misc'
import { publicOrigin } from '~/platform/public-origin.server'
import { pathParams } from '~/platform/request-input.server'
import { categoryFeedPath } from '~/platform/seo'
import { atomFeed, xmlResponse } from '~/platform/syndication.server'

/** A category's newest public questions, as an Atom feed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const category = await getCategoryBySlug({ slug: pathParams(params).categorySlug ?? '' })
  invariantResponse(category, 'There is no such category.')
  const origin = publicOrigin(request)
  const entries = atomEntriesOf(await feedEntries({ categoryId: category.id }), origin)
  const body = atomFeed({
    title: `Parley: ${category.name}`,
    selfUrl: `${origin}${categoryFeedPath(category.slug)}`,
    pageUrl: `${origin}/c/${encodeURIComponent(category.slug)}`,
    origin,
    entries,
    updated: feedUpdatedAt(entries),
  })
  return xmlResponse(body, 'application/atom+xml')
}
