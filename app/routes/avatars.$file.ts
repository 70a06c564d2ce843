import { open } from 'node:fs/promises'
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { avatarFile } from '~/accounts/avatar.server'
import { pathParams } from '~/platform/request-input.server'

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/**
 * Streams an uploaded avatar. Only names the upload could have made are looked up, so no request
 * reaches a file outside the avatar directory. A name is never reused, so the file never changes.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const file = avatarFile(pathParams(params).file ?? '')
  if (!file) return notFound()
  // Opened once, so a file removed between the checks and the read cannot break the response.
  const handle = await open(file.filePath, 'r').catch(() => null)
  if (!handle) return notFound()
  const info = await handle.stat()
  if (!info.isFile()) {
    await handle.close()
    return notFound()
  }
  return new Response(createReadableStreamFromReadable(handle.createReadStream()), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(info.size),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      // Opened on its own, the image is still only an image: no scripts, no plugins, no framing.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
