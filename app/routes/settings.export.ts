import type { LoaderFunctionArgs } from '@remix-run/node'
import { buildDataExport } from '~/accounts/data-export.server'
import { requireUser } from '~/platform/auth/auth.server'
import { invariantResponse } from '~/platform/misc'

/** "Download my data": a zip of data.json and the Markdown of every post, built on request. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const exported = await buildDataExport({ userId: user.id })
  invariantResponse(exported, 'Not found')
  return new Response(exported.zip, {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${exported.filename}"`,
      'Content-Length': String(exported.zip.byteLength),
      // Personal data: never kept by a shared cache or the browser's back-forward cache.
      'Cache-Control': 'private, no-store',
    },
  })
}
