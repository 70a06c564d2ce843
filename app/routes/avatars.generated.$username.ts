import type { LoaderFunctionArgs } from '@remix-run/node'
import { generatedAvatarSvg } from '~/accounts/generated-avatar.server'
import { pathParams } from '~/platform/request-input.server'

/**
 * The avatar of a member who uploaded none (app/accounts/generated-avatar.server.ts): an image
 * request, so pages carry an <img> and no drawing code. Cached a day by browsers: it changes only
 * if the name does, and then the address changes with it.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const svg = generatedAvatarSvg(pathParams(params).username ?? '')
  if (!svg) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  return new Response(svg, {
    headers: {
      'Content-Type': 'image/svg+xml',
      'Cache-Control': 'public, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      // Opened on its own, the image is still only an image: no scripts, no plugins, no framing.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
