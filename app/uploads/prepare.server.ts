import sharp from 'sharp'
import { env } from '~/platform/env.server'
import { ALLOWED_TYPES_TEXT, MAX_IMAGE_WIDTH } from './constants'
import { sniffUpload, type SniffedType } from './sniff.server'

export type PreparedUpload = SniffedType & { bytes: Uint8Array; fileName: string; width: number | null; height: number | null }

export type PrepareResult = { ok: true; upload: PreparedUpload } | { ok: false; message: string }

/** Images larger than this many pixels are refused before they are decoded (a small file can unpack to gigabytes). */
const MAX_INPUT_PIXELS = 50_000_000

export const sizeInWords = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`)

/**
 * The sender's file name, kept for the link text and the download's name: no path, no control or
 * Markdown characters, at most 100 characters.
 */
export function cleanFileName(name: string) {
  const base = name.split(/[\\/]/).pop() ?? ''
  const cleaned = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._-]+/gu, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.-]+/, '')
    .trim()
    .slice(-100)
  return cleaned || 'file'
}

/**
 * Re-encodes an image in its own format: turned upright by its EXIF orientation, then with every
 * piece of metadata dropped (sharp keeps none unless asked: no EXIF, no GPS position, no camera),
 * scaled down to MAX_IMAGE_WIDTH. A GIF keeps its frames.
 */
async function reencode(bytes: Uint8Array, type: SniffedType) {
  const animated = type.extension === 'gif'
  let image = sharp(bytes, { animated, limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
  if (!animated) image = image.rotate()
  image = image.resize({ width: MAX_IMAGE_WIDTH, withoutEnlargement: true })
  const format = type.extension === 'jpg' ? 'jpeg' : (type.extension as 'png' | 'gif' | 'webp')
  const { data, info } = await image.toFormat(format).toBuffer({ resolveWithObject: true })
  return { bytes: new Uint8Array(data), width: info.width, height: animated ? (info.pageHeight ?? info.height) : info.height }
}

/**
 * Checks one file and makes it ready to store: its type from the bytes (ALLOWED_TYPES_TEXT), its
 * size within the limits (UPLOAD_MAX_IMAGE_MB, UPLOAD_MAX_FILE_MB), and images re-encoded. The
 * refusal message names the file, for the field's error.
 */
export async function prepareUpload({ bytes, fileName }: { bytes: Uint8Array; fileName: string }): Promise<PrepareResult> {
  const name = cleanFileName(fileName)
  if (bytes.byteLength === 0) return { ok: false, message: `“${name}” is empty.` }
  if (bytes.byteLength > env.uploadMaxFileBytes) return { ok: false, message: `“${name}” is too large: files may be at most ${sizeInWords(env.uploadMaxFileBytes)}.` }
  const type = await sniffUpload(bytes, name)
  if (!type) return { ok: false, message: `“${name}” is not a file type we accept. Attach ${ALLOWED_TYPES_TEXT}.` }
  if (type.kind === 'file') return { ok: true, upload: { ...type, bytes, fileName: name, width: null, height: null } }
  if (bytes.byteLength > env.uploadMaxImageBytes) return { ok: false, message: `“${name}” is too large: images may be at most ${sizeInWords(env.uploadMaxImageBytes)}.` }
  try {
    const image = await reencode(bytes, type)
    return { ok: true, upload: { ...type, ...image, fileName: name } }
  } catch {
    // A file that starts like an image but does not decode as one (cut off, corrupt, or too many pixels).
    return { ok: false, message: `“${name}” could not be read as an image.` }
  }
}
