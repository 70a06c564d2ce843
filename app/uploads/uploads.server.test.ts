import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { uploads } from '#db/schema/index'
import { getStorage } from '~/platform/storage/index.server'
import { createTestUser } from '../../tests/factories'
import { cleanFileName } from './prepare.server'
import { sniffUpload } from './sniff.server'
import { storeUploads } from './uploads.server'

let uploadDir = ''
let ownerId = 0
beforeAll(async () => {
  uploadDir = await mkdtemp(path.join(tmpdir(), 'parley-uploads-'))
  process.env.UPLOAD_DIR = uploadDir
  ownerId = (await createTestUser()).id
})
afterAll(async () => {
  delete process.env.UPLOAD_DIR
  await rm(uploadDir, { recursive: true, force: true })
})
afterEach(() => {
  delete process.env.UPLOAD_MAX_IMAGE_MB
  delete process.env.UPLOAD_MAX_FILE_MB
})

const png = (width = 40, height = 20) => sharp({ create: { width, height, channels: 3, background: '#3366cc' } }).png().toBuffer()
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

async function storedBytes(key: string) {
  const object = await getStorage().get(key)
  expect(object).not.toBeNull()
  return buffer(object!.body)
}

const rowsOf = async () => db.select({ key: uploads.key }).from(uploads).where(eq(uploads.ownerId, ownerId))

describe('what a file is, from its bytes', () => {
  test('a “.png” that is really HTML is refused', async () => {
    const html = Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>')
    expect(await sniffUpload(html, 'cat.png')).toBeNull()
    const result = await storeUploads({ ownerId, files: [{ bytes: html, fileName: 'cat.png' }], private: false })
    expect(result).toEqual({ ok: false, messages: [expect.stringMatching(/“cat.png” is not a file type we accept/)] })
  })

  test('a renamed file is recognised by its bytes and stored under its real type', async () => {
    const result = await storeUploads({ ownerId, files: [{ bytes: await png(), fileName: 'notes.txt' }], private: false })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const [upload] = result.uploads
    expect(upload.kind).toBe('image')
    expect(upload.key).toMatch(/^[a-f0-9]{32}\.png$/)
    expect(upload.markdown).toBe(`![notes.txt](/uploads/${upload.key})`)
    expect((await getStorage().head(upload.key))?.contentType).toBe('image/png')
    expect(await sniffUpload(pdf, 'report.jpg')).toMatchObject({ kind: 'file', contentType: 'application/pdf' })
  })

  test('plain text only under a .txt or .log name, and never with NUL bytes or invalid UTF-8', async () => {
    const log = Buffer.from('2026-01-01 ERROR export failed\n')
    expect(await sniffUpload(log, 'server.log')).toEqual({ kind: 'file', extension: 'log', contentType: 'text/plain; charset=utf-8' })
    expect(await sniffUpload(log, 'server.html')).toBeNull()
    expect(await sniffUpload(Buffer.from([0x61, 0x00, 0x62]), 'a.txt')).toBeNull()
    expect(await sniffUpload(Buffer.from([0xc3, 0x28]), 'a.txt')).toBeNull()
    expect(await sniffUpload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'logo.svg')).toBeNull()
  })

  test('an image that does not decode is refused, and nothing is stored', async () => {
    const broken = Buffer.concat([(await png()).subarray(0, 40), Buffer.alloc(200, 7)])
    const before = (await rowsOf()).length
    const result = await storeUploads({ ownerId, files: [{ bytes: broken, fileName: 'broken.png' }], private: false })
    expect(result).toEqual({ ok: false, messages: ['“broken.png” could not be read as an image.'] })
    expect((await rowsOf()).length).toBe(before)
  })

  test('file names are kept for display, without paths or Markdown', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd')
    expect(cleanFileName('C:\\Users\\me\\shot [1](x).png')).toBe('shot -1-x-.png')
    expect(cleanFileName('.')).toBe('file')
  })
})

describe('size limits', () => {
  test('an image over UPLOAD_MAX_IMAGE_MB is refused with the limit named, and no file of the batch is stored', async () => {
    process.env.UPLOAD_MAX_IMAGE_MB = '0.01'
    const big = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .png()
      .toBuffer()
    expect(big.byteLength).toBeGreaterThan(0.01 * 1024 * 1024)
    const filesBefore = await readdir(uploadDir).catch(() => [])
    const rowsBefore = (await rowsOf()).length
    const result = await storeUploads({ ownerId, files: [{ bytes: pdf, fileName: 'fine.pdf' }, { bytes: big, fileName: 'huge.png' }], private: false })
    expect(result).toEqual({ ok: false, messages: ['“huge.png” is too large: images may be at most 10 KB.'] })
    expect((await rowsOf()).length).toBe(rowsBefore)
    expect(await readdir(uploadDir).catch(() => [])).toEqual(filesBefore)
  })

  test('a file over UPLOAD_MAX_FILE_MB is refused', async () => {
    process.env.UPLOAD_MAX_FILE_MB = '0.00002'
    const result = await storeUploads({ ownerId, files: [{ bytes: pdf, fileName: 'report.pdf' }], private: false })
    expect(result).toEqual({ ok: false, messages: ['“report.pdf” is too large: files may be at most 0 KB.'] })
    delete process.env.UPLOAD_MAX_FILE_MB
    expect((await storeUploads({ ownerId, files: [{ bytes: pdf, fileName: 'report.pdf' }], private: false })).ok).toBe(true)
  })
})

describe('images are re-encoded', () => {
  test('EXIF is removed, the image turned upright and scaled down to 1600 px wide', async () => {
    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#884422' } })
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'Jane Private', Artist: 'Jane Private', Make: 'SecretCam' } } })
      .toBuffer()
    const sent = await sharp(photo).metadata()
    expect(sent.exif).toBeDefined()
    expect(sent.orientation).toBe(6)
    expect(photo.includes('Jane Private')).toBe(true)

    const result = await storeUploads({ ownerId, files: [{ bytes: photo, fileName: 'IMG_0001.JPG' }], private: false })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const stored = await storedBytes(result.uploads[0].key)
    const meta = await sharp(stored).metadata()
    expect(meta.format).toBe('jpeg')
    expect(meta.exif).toBeUndefined()
    expect(meta.orientation).toBeUndefined()
    expect(stored.includes('Jane Private')).toBe(false)
    expect(stored.includes('SecretCam')).toBe(false)
    // Orientation 6 means "turn 90°": the 3000×2000 photo is upright at 2000×3000, then scaled to 1600 wide.
    expect([meta.width, meta.height]).toEqual([1600, 2400])
    const [row] = await db.select().from(uploads).where(eq(uploads.key, result.uploads[0].key))
    expect(row).toMatchObject({ kind: 'image', contentType: 'image/jpeg', width: 1600, height: 2400, byteSize: stored.byteLength, private: false, ownerId })
  })

  test('small images are not enlarged, and a GIF keeps its frames', async () => {
    const frames = await sharp({ create: { width: 30, height: 60, channels: 4, background: '#ff0000' } })
      .gif()
      .toBuffer()
    const gif = await sharp(frames, { animated: true }).gif().toBuffer()
    const result = await storeUploads({ ownerId, files: [{ bytes: await png(300, 100), fileName: 'small.png' }, { bytes: gif, fileName: 'anim.gif' }], private: false })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const small = await sharp(await storedBytes(result.uploads[0].key)).metadata()
    expect([small.width, small.height]).toEqual([300, 100])
    expect((await sharp(await storedBytes(result.uploads[1].key)).metadata()).format).toBe('gif')
  })
})
