import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { getUser } from '~/platform/auth/auth.server'
import { isStorageKey, getStorage } from '~/platform/storage/index.server'
import { pathParams } from '~/platform/request-input.server'
import { uploadVisibleTo } from '~/uploads/access.server'
import { findUpload } from '~/uploads/uploads.server'

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })

/** RFC 6266: a plain ASCII name for old clients, the real one UTF-8 encoded for the rest. */
const disposition = (type: 'inline' | 'attachment', fileName: string) =>
  `${type}; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`

/**
 * GET /uploads/:key: an uploaded image or file, if the viewer may see it (access.server.ts);
 * anyone else, and any key we never made, gets the same 404. Images show inline; other files
 * download, and no file is ever sniffed or run by the browser. A key is never reused, so a public
 * upload is cached for good; a private one only by the viewer's browser.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const key = pathParams(params).key ?? ''
  if (!isStorageKey(key)) return notFound()
  const upload = await findUpload({ key })
  if (!upload || !(await uploadVisibleTo(upload, getUser(context)))) return notFound()
  const object = await getStorage().get(upload.key)
  if (!object) return notFound()
  return new Response(createReadableStreamFromReadable(object.body), {
    headers: {
      'Content-Type': upload.contentType,
      'Content-Length': String(object.size),
      'Content-Disposition': disposition(upload.kind === 'image' ? 'inline' : 'attachment', upload.fileName),
      'Cache-Control': upload.private ? 'private, max-age=3600' : 'public, max-age=31536000, immutable',
      ...(upload.private ? { Vary: 'Cookie' } : {}),
      'X-Content-Type-Options': 'nosniff',
      // Opened on its own, an upload is still only an image or a file: no scripts, no plugins, no framing.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
