import { env } from '~/platform/env.server'
import { diskStorage } from './disk.server'
import { parseS3Url, s3Storage } from './s3.server'
import type { Storage } from './storage'

export type { Storage, StoredObject, StoredObjectMeta } from './storage'
export { isStorageKey } from './storage'

let storage: Storage | null = null

/** The configured storage: S3 when S3_URL is set, else files under UPLOAD_DIR. Made once per process. */
export function getStorage(): Storage {
  storage ??= env.s3Url ? s3Storage(parseS3Url(env.s3Url)) : diskStorage(env.uploadDir)
  return storage
}
