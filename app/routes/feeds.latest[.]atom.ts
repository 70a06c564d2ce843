import type { LoaderFunctionArgs } from '@remix-run/node'
import { atomEntriesOf, feedEntries, feedUpdatedAt } from '~/forum/sharing.server'
import { publicOrigin } from '~/platform/public-origin.server'
import { atomFeed, xmlResponse } from '~/platform/syndication.server'

/** The newest public questions of the whole forum, as an Atom feed. */
export async function loader({ request }: LoaderFunctionArgs) {
  const origin = publicOrigin(request)
  const entries = atomEntriesOf(await feedEntries(), origin)
  const body = atomFeed({ title: 'Parley: latest questions', selfUrl: `${origin}/feeds/latest.atom`, pageUrl: `${origin}/questions`, origin, entries, updated: feedUpdatedAt(entries) })
  return xmlResponse(body, 'application/atom+xml')
}
