import { fileTypeFromBuffer } from 'file-type'

export type SniffedType = { kind: 'image' | 'file'; extension: string; contentType: string }

/** The types we take, by what the bytes are; the extension is the one we give the stored file. */
const BY_MAGIC: Record<string, SniffedType> = {
  png: { kind: 'image', extension: 'png', contentType: 'image/png' },
  jpg: { kind: 'image', extension: 'jpg', contentType: 'image/jpeg' },
  gif: { kind: 'image', extension: 'gif', contentType: 'image/gif' },
  webp: { kind: 'image', extension: 'webp', contentType: 'image/webp' },
  pdf: { kind: 'file', extension: 'pdf', contentType: 'application/pdf' },
  zip: { kind: 'file', extension: 'zip', contentType: 'application/zip' },
}

const TEXT_NAME = /\.(txt|log)$/i

function isPlainText(bytes: Uint8Array) {
  if (bytes.includes(0)) return false
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/**
 * What the file really is, read from its bytes: the declared type and the name are the sender's
 * word, and a browser shown a "PNG" that is really HTML could run it. Text has no signature, so a
 * text file is taken only under a .txt or .log name, as valid UTF-8 without NUL bytes; it is
 * always served as text/plain, so HTML inside one is shown as text, never run.
 */
export async function sniffUpload(bytes: Uint8Array, fileName: string): Promise<SniffedType | null> {
  const found = await fileTypeFromBuffer(bytes)
  if (found) return Object.hasOwn(BY_MAGIC, found.ext) ? BY_MAGIC[found.ext] : null
  if (TEXT_NAME.test(fileName) && isPlainText(bytes)) {
    return { kind: 'file', extension: TEXT_NAME.exec(fileName)![1].toLowerCase(), contentType: 'text/plain; charset=utf-8' }
  }
  return null
}
