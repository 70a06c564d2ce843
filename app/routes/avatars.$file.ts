import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { readAvatarFile } from '~/accounts/avatar.server'
import { pathParams } from '~/platform/request-input.server'

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/**
 * Streams an uploaded avatar from the upload storage. Only names the upload could have made are
 * looked up, so no request reaches anything but an avatar. A name is never reused, so the file
 * never changes.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const file = await readAvatarFile(pathParams(params).file ?? '')
  if (!file) return notFound()
  return new Response(createReadableStreamFromReadable(file.body), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      // Opened on its own, the image is still only an image: no scripts, no plugins, no framing.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
