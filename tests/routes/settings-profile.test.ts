import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { deflateSync } from 'node:zlib'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { users } from '#db/schema/index'
import { replaceAvatar } from '~/accounts/profile.server'
import * as avatars from '~/routes/avatars.$file'
import * as settings from '~/routes/settings._index'
import * as profilePage from '~/routes/u.$username'
import { authenticate } from '~/platform/auth/auth.server'
import { sniffImageType } from '~/accounts/avatar.server'
import { MAX_AVATAR_BYTES } from '~/accounts/rules'
import { createTestUser, responseOf, routeArgs, sessionCookieFor } from '../factories'

// Avatars live in the upload storage (here the disk driver) under avatars/; AVATAR_DIR is only
// read for pictures uploaded before they moved there.
let uploadDir: string
let avatarDir: string
let legacyDir: string
beforeAll(async () => {
  uploadDir = await mkdtemp(path.join(tmpdir(), 'parley-uploads-'))
  avatarDir = path.join(uploadDir, 'avatars')
  legacyDir = await mkdtemp(path.join(tmpdir(), 'parley-avatars-'))
  process.env.UPLOAD_DIR = uploadDir
  process.env.AVATAR_DIR = legacyDir
})
afterAll(async () => {
  delete process.env.UPLOAD_DIR
  delete process.env.AVATAR_DIR
  // Unset when the setup above failed; that failure is the one to report.
  if (uploadDir) await rm(uploadDir, { recursive: true, force: true })
  if (legacyDir) await rm(legacyDir, { recursive: true, force: true })
})

// A real PNG, built byte by byte: signature, IHDR, IDAT (zlib), IEND, each chunk with its CRC.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type: string, data: Buffer) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}
/** A width×height RGB PNG of one colour. */
function png(width: number, height: number, [r, g, b] = [200, 40, 90]) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, default compression, filter and no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())])
  const pixels = Buffer.concat(Array.from({ length: height }, () => row))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))])
}

/** The multipart POST a browser sends from the avatar form. */
async function uploadArgs(userId: number, file: { bytes: Uint8Array<ArrayBuffer>; name: string; type: string }) {
  const cookie = await sessionCookieFor(userId)
  const form = new FormData()
  form.append('intent', 'avatar')
  form.append('avatar', new File([file.bytes], file.name, { type: file.type }))
  const request = new Request('http://localhost/settings', { method: 'POST', headers: { Cookie: cookie, Origin: 'http://localhost' }, body: form })
  const auth = await authenticate(cookie)
  return { request, params: {}, context: { user: auth.user, session: auth.session, clientIp: '203.0.113.7' } }
}
const upload = async (userId: number, file: { bytes: Uint8Array<ArrayBuffer>; name: string; type: string }) => responseOf(async () => settings.action(await uploadArgs(userId, file)))

const avatarPathOf = async (userId: number) => (await db.select({ avatarPath: users.avatarPath }).from(users).where(eq(users.id, userId)))[0].avatarPath
/** The avatar objects in storage (the disk driver keeps each one's type in a `.type` file beside it). */
const storedFiles = async () => (await readdir(avatarDir).catch(() => [] as string[])).filter((name) => !name.endsWith('.type'))
const serve = (file: string) => responseOf(async () => avatars.loader(await routeArgs({ path: `/avatars/${encodeURIComponent(file)}`, params: { file } })))
const viewProfile = async (username: string, viewerId?: number) =>
  (await responseOf(async () => profilePage.loader(await routeArgs({ path: `/u/${username}`, userId: viewerId, params: { username } })))).json()

const saveProfile = async (userId: number, form: Record<string, string>) =>
  responseOf(async () => settings.action(await routeArgs({ path: '/settings', method: 'POST', userId, form: { intent: 'profile', ...form } })))

describe('/settings profile', () => {
  test('visitors are sent to log in', async () => {
    const res = await responseOf(async () => settings.loader(await routeArgs({ path: '/settings' })))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?redirectTo=%2Fsettings')
  })

  test('display name and bio are saved, shown on the profile, and the bio never carries a script', async () => {
    const member = await createTestUser()
    const bio = 'I fix **printers**.\n\n<script>alert("owned")</script>\n\n[site](javascript:alert(1)) <img src=x onerror=alert(2)>'
    const res = await saveProfile(member.id, { displayName: '  Ada Lovelace  ', bio })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/settings?saved=profile')

    const [row] = await db.select({ displayName: users.displayName, bioSource: users.bioSource, bioHtml: users.bioHtml }).from(users).where(eq(users.id, member.id))
    expect(row.displayName).toBe('Ada Lovelace')
    expect(row.bioSource).toBe(bio)
    expect(row.bioHtml).toContain('<strong>printers</strong>')
    // Raw HTML is only ever text: the reader sees it, their browser never runs it.
    expect(row.bioHtml).not.toMatch(/<script|<img|href="javascript:/i)
    expect(row.bioHtml).toContain('&lt;script&gt;')

    const page = await viewProfile(member.username)
    expect(page.profile).toMatchObject({ username: member.username, displayName: 'Ada Lovelace', bioHtml: row.bioHtml, avatarUrl: null })

    const form = await (await responseOf(async () => settings.loader(await routeArgs({ path: '/settings?saved=profile', userId: member.id })))).json()
    expect(form).toMatchObject({ displayName: 'Ada Lovelace', bio, saved: 'profile' })
  })

  test('an empty display name and bio clear them', async () => {
    const member = await createTestUser()
    await saveProfile(member.id, { displayName: 'Someone', bio: 'Hello' })
    expect((await saveProfile(member.id, { displayName: '   ', bio: '' })).status).toBe(302)
    const page = await viewProfile(member.username)
    expect(page.profile).toMatchObject({ displayName: null, bioHtml: '' })
  })

  test('too long a name or bio is a 400 beside the field, and nothing changes', async () => {
    const member = await createTestUser()
    await saveProfile(member.id, { displayName: 'Before', bio: 'Before bio' })
    const res = await saveProfile(member.id, { displayName: 'n'.repeat(51), bio: 'b'.repeat(2001) })
    expect(res.status).toBe(400)
    const { intent, result } = await res.json()
    expect(intent).toBe('profile')
    expect(result.error.displayName).toEqual(['Use at most 50 characters.'])
    expect(result.error.bio).toEqual(['Use at most 2,000 characters.'])
    expect(result.initialValue.displayName).toBe('n'.repeat(51))
    expect((await viewProfile(member.username)).profile).toMatchObject({ displayName: 'Before', bioHtml: '<p>Before bio</p>\n' })

    // Exactly at the limits is fine, and a browser's CRLF line breaks count as one character each.
    const atLimit = await saveProfile(member.id, { displayName: 'n'.repeat(50), bio: `${'b'.repeat(998)}\r\n\r\n${'c'.repeat(1000)}` })
    expect(atLimit.status).toBe(302)
  })

  test('a line break in the display name is refused', async () => {
    const member = await createTestUser()
    const res = await saveProfile(member.id, { displayName: 'Two\nlines' })
    expect(res.status).toBe(400)
    expect((await res.json()).result.error.displayName).toEqual(['Use letters, digits, spaces and punctuation only.'])
  })

  test('a suspended member cannot change their profile', async () => {
    const member = await createTestUser()
    await db.update(users).set({ suspendedUntil: new Date(Date.now() + 86_400_000) }).where(eq(users.id, member.id))
    const res = await saveProfile(member.id, { displayName: 'Spam Spam', bio: 'Buy things at spam.example' })
    expect(res.status).toBe(403)
    expect((await res.json()).message).toMatch(/suspended until/)
    expect((await viewProfile(member.username)).profile).toMatchObject({ displayName: null, bioHtml: '' })
  })
})

describe('avatars', () => {
  test('a real PNG is stored in the upload storage, shown on the profile and served as image/png', async () => {
    const member = await createTestUser()
    const bytes = png(4, 4)
    const res = await upload(member.id, { bytes, name: 'me.png', type: 'image/png' })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/settings?saved=avatar')

    const fileName = await avatarPathOf(member.id)
    expect(fileName).toMatch(/^[a-f0-9]{32}\.png$/)
    expect(await readFile(path.join(avatarDir, fileName!))).toEqual(bytes)

    const page = await viewProfile(member.username)
    expect(page.profile.avatarUrl).toBe(`/avatars/${fileName}`)
    const settingsPage = await (await responseOf(async () => settings.loader(await routeArgs({ path: '/settings', userId: member.id })))).json()
    expect(settingsPage.avatarUrl).toBe(`/avatars/${fileName}`)

    const served = await serve(fileName!)
    expect(served.status).toBe(200)
    expect(served.headers.get('Content-Type')).toBe('image/png')
    expect(served.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(served.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes)
  })

  test('the type comes from the bytes: a PNG named .gif is stored as .png, a text file named .png is refused', async () => {
    const member = await createTestUser()
    expect((await upload(member.id, { bytes: png(2, 2), name: 'odd.gif', type: 'image/gif' })).status).toBe(302)
    const fileName = await avatarPathOf(member.id)
    expect(fileName).toMatch(/\.png$/)

    const before = await storedFiles()
    const html = new TextEncoder().encode('<html><script>alert(document.cookie)</script></html>')
    const res = await upload(member.id, { bytes: html, name: 'cat.png', type: 'image/png' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ intent: 'avatar', result: { error: { avatar: ['Upload a PNG, JPEG, GIF or WebP image.'] } } })
    expect(await storedFiles()).toEqual(before)
    expect(await avatarPathOf(member.id)).toBe(fileName)

    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    expect((await upload(member.id, { bytes: svg, name: 'logo.svg', type: 'image/svg+xml' })).status).toBe(400)
  })

  test('JPEG, GIF and WebP are recognised by their first bytes', () => {
    const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)))
    expect(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))?.contentType).toBe('image/jpeg')
    expect(sniffImageType(bytes('GIF89a', [1, 0, 1, 0]))?.contentType).toBe('image/gif')
    expect(sniffImageType(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))?.contentType).toBe('image/webp')
    expect(sniffImageType(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toBeNull()
    expect(sniffImageType(bytes([0x89], 'PNG'))).toBeNull()
  })

  test('an image over 1 MB is a 413 with its message beside the field, and nothing is written', async () => {
    const member = await createTestUser()
    const before = await storedFiles()
    const big = Buffer.concat([png(1, 1), Buffer.alloc(MAX_AVATAR_BYTES)])
    const res = await upload(member.id, { bytes: big, name: 'huge.png', type: 'image/png' })
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ intent: 'avatar', result: { error: { avatar: ['The image is too large: choose one of at most 1 MB.'] } } })
    expect(await storedFiles()).toEqual(before)
    expect(await avatarPathOf(member.id)).toBeNull()

    // Exactly 1 MB is allowed.
    const exact = Buffer.concat([png(1, 1), Buffer.alloc(MAX_AVATAR_BYTES - png(1, 1).length)])
    expect((await upload(member.id, { bytes: exact, name: 'exact.png', type: 'image/png' })).status).toBe(302)
  })

  test('a 20 MB upload is refused with a 413 without reading it: by its Content-Length, or at the limit when it has none', async () => {
    const member = await createTestUser()
    const before = await storedFiles()
    const { context } = await uploadArgs(member.id, { bytes: png(1, 1), name: 'a.png', type: 'image/png' })
    const cookie = await sessionCookieFor(member.id)
    const head = new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="intent"\r\n\r\navatar\r\n--b\r\nContent-Disposition: form-data; name="avatar"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n')
    const chunk = new Uint8Array(64 * 1024).fill(0x61)
    const twentyMegabytes = (counter: { sent: number }) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(head)
        },
        pull(controller) {
          if (counter.sent >= 20 * 1024 * 1024) return controller.close()
          counter.sent += chunk.byteLength
          controller.enqueue(chunk)
        },
      })
    for (const declared of [String(20 * 1024 * 1024), null]) {
      const counter = { sent: 0 }
      const headers = new Headers({ Cookie: cookie, Origin: 'http://localhost', 'Content-Type': 'multipart/form-data; boundary=b' })
      if (declared) headers.set('Content-Length', declared)
      const request = new Request('http://localhost/settings', { method: 'POST', headers, body: twentyMegabytes(counter), duplex: 'half' } as RequestInit)
      const res = await responseOf(() => settings.action({ request, params: {}, context }))
      expect(res.status).toBe(413)
      expect((await res.json()).result.error.avatar).toEqual(['The image is too large: choose one of at most 1 MB.'])
      expect(counter.sent).toBeLessThan(declared ? 1 : 2 * MAX_AVATAR_BYTES)
    }
    expect(await storedFiles()).toEqual(before)
    expect(await avatarPathOf(member.id)).toBeNull()
  })

  test('submitting without choosing a file asks for one', async () => {
    const member = await createTestUser()
    const res = await upload(member.id, { bytes: new Uint8Array(0), name: '', type: 'application/octet-stream' })
    expect(res.status).toBe(400)
    expect((await res.json()).result.error.avatar).toEqual(['Choose an image to upload.'])
  })

  test('replacing an avatar deletes the old file; removing it deletes the file and the link', async () => {
    const member = await createTestUser()
    await upload(member.id, { bytes: png(3, 3), name: 'first.png', type: 'image/png' })
    const first = (await avatarPathOf(member.id))!
    await upload(member.id, { bytes: png(5, 5, [0, 0, 255]), name: 'second.png', type: 'image/png' })
    const second = (await avatarPathOf(member.id))!
    expect(second).not.toBe(first)
    const files = await storedFiles()
    expect(files).toContain(second)
    expect(files).not.toContain(first)
    expect((await serve(first)).status).toBe(404)

    const removed = await responseOf(async () => settings.action(await routeArgs({ path: '/settings', method: 'POST', userId: member.id, form: { intent: 'remove-avatar' } })))
    expect(removed.status).toBe(302)
    expect(removed.headers.get('Location')).toBe('/settings?saved=avatar-removed')
    expect(await avatarPathOf(member.id)).toBeNull()
    expect(await storedFiles()).not.toContain(second)
    expect((await viewProfile(member.username)).profile.avatarUrl).toBeNull()
  })

  test('when the profile row cannot be updated, the new file is removed again', async () => {
    const before = await storedFiles()
    await expect(replaceAvatar({ userId: 2_000_000_000, bytes: png(1, 1), type: sniffImageType(png(1, 1))! })).rejects.toThrow()
    expect(await storedFiles()).toEqual(before)
  })

  test('a suspended member cannot upload an avatar, but can remove theirs', async () => {
    const member = await createTestUser()
    await upload(member.id, { bytes: png(2, 2), name: 'a.png', type: 'image/png' })
    await db.update(users).set({ suspendedUntil: new Date(Date.now() + 86_400_000) }).where(eq(users.id, member.id))
    const before = await storedFiles()
    expect((await upload(member.id, { bytes: png(6, 6), name: 'b.png', type: 'image/png' })).status).toBe(403)
    expect(await storedFiles()).toEqual(before)
    await settings.action(await routeArgs({ path: '/settings', method: 'POST', userId: member.id, form: { intent: 'remove-avatar' } }))
    expect(await avatarPathOf(member.id)).toBeNull()
  })

  test('an avatar uploaded before avatars moved to the upload storage is still served from AVATAR_DIR', async () => {
    const bytes = png(2, 3)
    const name = `${'b'.repeat(32)}.png`
    await writeFile(path.join(legacyDir, name), bytes)
    const res = await serve(name)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('image/png')
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes)
  })

  test('the avatars route serves only names the upload makes: no path traversal, 404 otherwise', async () => {
    await mkdir(avatarDir, { recursive: true })
    await writeFile(path.join(avatarDir, 'notes.txt'), 'secret')
    await writeFile(path.join(path.dirname(avatarDir), `${path.basename(avatarDir)}-outside.png`), png(1, 1))
    for (const name of ['../../../etc/passwd', `../${path.basename(avatarDir)}-outside.png`, '..%2F..%2Fetc%2Fpasswd', 'notes.txt', 'ABCDEF0123456789ABCDEF0123456789.png', `${'a'.repeat(32)}.svg`, `${'a'.repeat(32)}.png`]) {
      const res = await serve(name)
      expect(res.status, name).toBe(404)
      expect(res.headers.get('Content-Type'), name).toMatch(/^text\/plain/)
    }
    await rm(path.join(path.dirname(avatarDir), `${path.basename(avatarDir)}-outside.png`))
  })
})
