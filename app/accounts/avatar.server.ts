import { randomBytes } from 'node:crypto'
import { open, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import {
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  MaxPartSizeExceededError,
  type UploadHandler,
} from '@remix-run/node'
import { env } from '~/platform/env.server'
import { MAX_AVATAR_BYTES } from '~/accounts/rules'
import { getStorage } from '~/platform/storage/index.server'

export type ImageType = { extension: 'png' | 'jpg' | 'gif' | 'webp'; contentType: string }

const TYPES_BY_EXTENSION: Record<ImageType['extension'], string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
}

/** The names this module gives files: nothing else is ever read from the avatar directory. */
const AVATAR_FILE_NAME = /^[a-f0-9]{32}\.(png|jpg|gif|webp)$/

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b)
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0))

/**
 * The image type the file really is, read from its first bytes. The declared type and the file
 * name are the sender's word; a browser shown a "PNG" that is really HTML or SVG could run it.
 */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const type = (extension: ImageType['extension']): ImageType => ({ extension, contentType: TYPES_BY_EXTENSION[extension] })
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return type('png')
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return type('jpg')
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return type('gif')
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return type('webp')
  return null
}

/**
 * A stored avatar's storage key and type, or null for any name this module would not have made.
 * Avatars live in the upload storage (UPLOAD_DIR or S3_URL) under `avatars/`, so every machine
 * serving Parley sees them (docs/decisions/035).
 */
export function avatarFile(fileName: string): { key: string; contentType: string } | null {
  const match = AVATAR_FILE_NAME.exec(fileName)
  if (!match) return null
  return { key: `avatars/${fileName}`, contentType: TYPES_BY_EXTENSION[match[1] as ImageType['extension']] }
}

export const avatarUrl = (fileName: string) => `/avatars/${fileName}`

/** Writes the image under a fresh random name (never an existing one) and returns that name. */
export async function writeAvatarFile(bytes: Uint8Array, type: ImageType): Promise<string> {
  const fileName = `${randomBytes(16).toString('hex')}.${type.extension}`
  await getStorage().put(`avatars/${fileName}`, bytes, type.contentType)
  return fileName
}

/**
 * A stored avatar's bytes as a stream, or null. Avatars uploaded before they moved to the upload
 * storage are still read from AVATAR_DIR, so existing pictures keep working until they are copied
 * over (README: "Avatars").
 */
export async function readAvatarFile(fileName: string): Promise<{ contentType: string; size: number; body: Readable } | null> {
  const file = avatarFile(fileName)
  if (!file) return null
  const stored = await getStorage().get(file.key)
  if (stored) return { contentType: file.contentType, size: stored.size, body: stored.body }
  // Opened once, so a file removed between the check and the read cannot break the response.
  const handle = await open(path.join(env.avatarDir, fileName), 'r').catch(() => null)
  if (!handle) return null
  const info = await handle.stat()
  if (!info.isFile()) {
    await handle.close()
    return null
  }
  return { contentType: file.contentType, size: info.size, body: handle.createReadStream() }
}

/** A stored avatar's bytes, or null (the data export packs them). */
export async function readAvatarBytes(fileName: string): Promise<Uint8Array | null> {
  const stored = await readAvatarFile(fileName)
  if (!stored) return null
  const chunks: Buffer[] = []
  for await (const chunk of stored.body) chunks.push(Buffer.from(chunk as Uint8Array))
  return new Uint8Array(Buffer.concat(chunks))
}

/** Removes a stored avatar; one already gone is fine. */
export async function deleteAvatarFile(fileName: string | null | undefined): Promise<void> {
  const file = fileName ? avatarFile(fileName) : null
  if (!file) return
  await getStorage().delete(file.key)
  // One uploaded before avatars moved to the upload storage.
  await rm(path.join(env.avatarDir, fileName!), { force: true })
}

export type AvatarUpload =
  | { status: 'ok'; formData: FormData }
  | { status: 'too-large' }
  | { status: 'malformed' }

class UnexpectedPartError extends Error {}

/** The avatar form sends two parts (the file and its intent); a little slack, no more. */
const MAX_PARTS = 4

/** The largest body an allowed avatar comes in: the image plus part headers and the small fields. */
const MAX_AVATAR_BODY_BYTES = MAX_AVATAR_BYTES + MAX_PARTS * 2048

/**
 * Reads a multipart form holding at most one avatar of at most MAX_AVATAR_BYTES, kept in memory:
 * a larger one is refused while it streams in, before anything reaches the disk. The parser
 * buffers any part it is not asked to read, so every part is read here, each with a limit.
 */
export async function parseAvatarUpload(request: Request): Promise<AvatarUpload> {
  const [type] = (request.headers.get('Content-Type') ?? '').split(';')
  if (type.trim().toLowerCase() !== 'multipart/form-data') return { status: 'malformed' }
  // A body that says it is larger than any allowed upload is refused before a byte is read.
  if (Number(request.headers.get('Content-Length')) > MAX_AVATAR_BODY_BYTES) return { status: 'too-large' }
  const avatar = createMemoryUploadHandler({ maxPartSize: MAX_AVATAR_BYTES })
  const smallField = createMemoryUploadHandler({ maxPartSize: 1024 })
  let parts = 0
  let avatars = 0
  const handler: UploadHandler = async (part) => {
    if (++parts > MAX_PARTS) throw new UnexpectedPartError()
    if (part.name !== 'avatar') return smallField(part)
    if (++avatars > 1) throw new UnexpectedPartError()
    return avatar(part)
  }
  try {
    return { status: 'ok', formData: await parseMultipartFormData(request, handler) }
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return error.field === 'avatar' ? { status: 'too-large' } : { status: 'malformed' }
    // A cut-off or garbled body is the sender's mistake, not a server error.
    if (error instanceof UnexpectedPartError || error instanceof TypeError || /^malformed multipart/.test((error as Error)?.message ?? '')) return { status: 'malformed' }
    throw error
  }
}
