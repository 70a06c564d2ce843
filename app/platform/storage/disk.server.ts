import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { assertStorageKey, type Storage } from './storage'

/**
 * Objects as files under `root`. The content type is kept in a `.type` file beside the object,
 * since a file system has nowhere else to keep it. Writes go to a temporary name and are renamed
 * into place, so a reader never sees half a file.
 */
export function diskStorage(root: string): Storage {
  const base = path.resolve(root)
  const fileOf = (key: string) => {
    assertStorageKey(key)
    const file = path.resolve(base, key)
    // The key pattern already rules out climbing out; this says so once more, where it matters.
    if (!file.startsWith(base + path.sep)) throw new Error('Storage key escapes the upload directory')
    return file
  }
  const typeOf = (file: string) => `${file}.type`
  const readType = async (file: string) => {
    const handle = await open(typeOf(file), 'r').catch(() => null)
    if (!handle) return 'application/octet-stream'
    try {
      return (await handle.readFile('utf8')).trim() || 'application/octet-stream'
    } finally {
      await handle.close()
    }
  }

  return {
    driver: 'disk',
    async put(key, bytes, contentType) {
      const file = fileOf(key)
      await mkdir(path.dirname(file), { recursive: true })
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
      await writeFile(`${temporary}.type`, contentType)
      await writeFile(temporary, bytes)
      await rename(`${temporary}.type`, typeOf(file))
      await rename(temporary, file)
    },
    async get(key) {
      const file = fileOf(key)
      // Opened once, so a file removed between the check and the read cannot break the response.
      const handle = await open(file, 'r').catch(() => null)
      if (!handle) return null
      const info = await handle.stat()
      if (!info.isFile()) {
        await handle.close()
        return null
      }
      return { contentType: await readType(file), size: info.size, body: handle.createReadStream() }
    },
    async head(key) {
      const file = fileOf(key)
      const info = await stat(file).catch(() => null)
      if (!info?.isFile()) return null
      return { contentType: await readType(file), size: info.size }
    },
    async delete(key) {
      const file = fileOf(key)
      await rm(file, { force: true })
      await rm(typeOf(file), { force: true })
    },
  }
}
