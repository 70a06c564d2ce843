import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { text } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startS3Server } from '../../../tests/setup/s3-server'
import { diskStorage } from './disk.server'
import { parseS3Url, s3Storage } from './s3.server'
import type { Storage } from './storage'

/** One contract, run against every driver: what the uploads domain relies on, nothing more. */
function storageContract(name: string, open: () => Promise<{ storage: Storage; close: () => Promise<void> }>) {
  describe(`${name} storage`, () => {
    let storage: Storage
    let close: () => Promise<void>
    beforeAll(async () => {
      ;({ storage, close } = await open())
    })
    afterAll(async () => close?.())

    test('gives back what was put, with its type and size', async () => {
      const bytes = new TextEncoder().encode('hello, storage')
      await storage.put('contract/hello.txt', bytes, 'text/plain; charset=utf-8')
      const object = await storage.get('contract/hello.txt')
      expect(object).not.toBeNull()
      expect(object!.contentType).toBe('text/plain; charset=utf-8')
      expect(object!.size).toBe(bytes.byteLength)
      expect(await text(object!.body)).toBe('hello, storage')
      expect(await storage.head('contract/hello.txt')).toEqual({ contentType: 'text/plain; charset=utf-8', size: bytes.byteLength })
    })

    test('keeps binary bytes exactly', async () => {
      const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256)
      await storage.put('contract/binary.bin', bytes, 'application/octet-stream')
      const object = await storage.get('contract/binary.bin')
      const chunks: Buffer[] = []
      for await (const chunk of object!.body) chunks.push(chunk as Buffer)
      expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true)
    })

    test('a put replaces the object under the same key', async () => {
      await storage.put('contract/again.txt', new TextEncoder().encode('first'), 'text/plain')
      await storage.put('contract/again.txt', new TextEncoder().encode('second one'), 'application/pdf')
      const object = await storage.get('contract/again.txt')
      expect(await text(object!.body)).toBe('second one')
      expect(object!.contentType).toBe('application/pdf')
    })

    test('a missing key is null, for get and head', async () => {
      expect(await storage.get('contract/never-written.png')).toBeNull()
      expect(await storage.head('contract/never-written.png')).toBeNull()
    })

    test('delete removes the object, and deleting it again is fine', async () => {
      await storage.put('contract/doomed.txt', new TextEncoder().encode('bye'), 'text/plain')
      await storage.delete('contract/doomed.txt')
      expect(await storage.get('contract/doomed.txt')).toBeNull()
      await expect(storage.delete('contract/doomed.txt')).resolves.toBeUndefined()
    })

    test.each(['../escape.txt', 'a/../../escape.txt', '/etc/passwd', '.hidden', 'a//b', 'UPPER.txt', 'a\\b', 'x.png.type', '', 'a/./b'])('refuses the key %j', async (key) => {
      await expect(storage.put(key, new Uint8Array([1]), 'text/plain')).rejects.toThrow(/Not a storage key/)
      await expect(storage.get(key)).rejects.toThrow(/Not a storage key/)
      await expect(storage.delete(key)).rejects.toThrow(/Not a storage key/)
    })
  })
}

let diskRoot = ''
storageContract('disk', async () => {
  diskRoot = await mkdtemp(path.join(tmpdir(), 'parley-disk-'))
  return { storage: diskStorage(diskRoot), close: () => rm(diskRoot, { recursive: true, force: true }) }
})

storageContract('s3', async () => {
  const server = await startS3Server()
  return { storage: s3Storage(parseS3Url(server.url)), close: server.close }
})

describe('disk storage files', () => {
  test('leaves no temporary files behind and writes nothing outside its directory', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'parley-disk-'))
    try {
      const storage = diskStorage(path.join(root, 'uploads'))
      await storage.put('a/b.txt', new TextEncoder().encode('x'), 'text/plain')
      await expect(storage.put('../outside.txt', new Uint8Array([1]), 'text/plain')).rejects.toThrow()
      expect(await readdir(root)).toEqual(['uploads'])
      expect((await readdir(path.join(root, 'uploads', 'a'))).sort()).toEqual(['b.txt', 'b.txt.type'])
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })
})

describe('S3_URL', () => {
  test('names endpoint, bucket, region and credentials', () => {
    expect(parseS3Url('https://AKIA%2FX:se%40cret@s3.eu-west-1.amazonaws.com/my-bucket?region=eu-west-1&forcePathStyle=false')).toEqual({
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      bucket: 'my-bucket',
      region: 'eu-west-1',
      accessKeyId: 'AKIA/X',
      secretAccessKey: 'se@cret',
      forcePathStyle: false,
    })
    expect(parseS3Url('http://k:s@127.0.0.1:9000/b')).toMatchObject({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', forcePathStyle: true })
  })

  test.each([
    ['not a url', /not a URL/],
    ['s3://k:s@host/b', /https:\/\//],
    ['https://k:s@host/', /one bucket/],
    ['https://k:s@host/a/b', /one bucket/],
    ['https://host/b', /access key/],
    ['https://k:s@host/b?forcePathStyle=yes', /true or false/],
  ])('refuses %j with a message saying the format', (value, message) => {
    expect(() => parseS3Url(value)).toThrow(message)
  })
})
