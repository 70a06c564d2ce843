import type { Readable } from 'node:stream'

/** What a stored object is, as its driver reports it. */
export type StoredObjectMeta = { contentType: string; size: number }

export type StoredObject = StoredObjectMeta & { body: Readable }

/**
 * Where uploaded bytes live, behind one interface: local disk for one machine, S3-compatible
 * object storage when several machines serve Parley (docs/decisions/023-uploads-and-storage.md).
 * Keys are ours (never a sender's file name): lower-case letters, digits, `.`, `_`, `-` and `/`
 * between segments; every driver refuses any other key the same way.
 */
export interface Storage {
  readonly driver: 'disk' | 's3'
  /** Writes the object (replacing one with the same key). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  /** The object as a stream with its type and size, or null when there is none. */
  get(key: string): Promise<StoredObject | null>
  /** Its type and size without the bytes, or null when there is none. */
  head(key: string): Promise<StoredObjectMeta | null>
  /** Removes the object; one already gone is fine. */
  delete(key: string): Promise<void>
}

const KEY = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*(?:\/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)*$/

export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`Not a storage key: ${JSON.stringify(key.slice(0, 100))}`)
  }
}

/**
 * Whether `key` is one of ours: segments that cannot climb (no `..`, no leading dot or slash).
 * `.type` and `.tmp` endings are the disk driver's own files, so no key may take them.
 */
export const isStorageKey = (key: string) => key.length <= 200 && KEY.test(key) && !/\.(type|tmp)$/.test(key)

export function assertStorageKey(key: string) {
  if (!isStorageKey(key)) throw new InvalidStorageKeyError(key)
}
