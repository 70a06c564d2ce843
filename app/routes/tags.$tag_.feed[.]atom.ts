import type { LoaderFunctionArgs } from '@remix-run/node'
import { TAG_PATTERN } from '~/forum/questions.server'
import { atomEntriesOf, feedEntries, feedUpdatedAt } from '~/forum/sharing.server'
import { invariantResponse } from '~/platform/misc'
import { publicOrigin } from '~/platform/public-origin.server'
import { pathParams } from '~/platform/request-input.server'
import { tagFeedPath } from '~/platform/seo'
import { atomFeed, xmlResponse } from '~/platform/syndication.server'

/** The newest public questions with a tag, as an Atom feed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const tag = (pathParams(params).tag ?? '').toLowerCase()
  invariantResponse(TAG_PATTERN.test(tag), 'There is no such tag.')
  const origin = publicOrigin(request)
  const entries = atomEntriesOf(await feedEntries({ tagName: tag }), origin)
  const body = atomFeed({
    title: `Parley: tagged ${tag}`,
    selfUrl: `${origin}${tagFeedPath(tag)}`,
    pageUrl: `${origin}/tags/${encodeURIComponent(tag)}`,
    origin,
    entries,
    updated: feedUpdatedAt(entries),
  })
  return xmlResponse(body, 'application/atom+xml')
}
