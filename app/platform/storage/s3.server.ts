import { Readable } from 'node:stream'
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3'
import { assertStorageKey, type Storage } from './storage'

export type S3Settings = {
  endpoint: string
  bucket: string
  region: string
  accessKeyId: string
  secretAccessKey: string
  forcePathStyle: boolean
}

const FORMAT = 'https://ACCESS_KEY:SECRET@host[:port]/bucket[?region=…&forcePathStyle=false]'

/**
 * S3_URL is the service's own address with the credentials and the bucket in it:
 * `https://ACCESS_KEY:SECRET@host[:port]/bucket?region=eu-west-1`. `http:` for a server without
 * TLS (a local MinIO or s3rver). Key and secret are URL-encoded. Buckets are addressed by path
 * (`host/bucket/key`), which every S3-compatible server understands; `forcePathStyle=false`
 * switches to `bucket.host/key` for AWS buckets that need it. The region defaults to us-east-1.
 */
export function parseS3Url(value: string): S3Settings {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`S3_URL is not a URL; expected ${FORMAT}.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`S3_URL must start with https:// (or http:// without TLS); expected ${FORMAT}.`)
  const bucket = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''))
  if (!bucket || bucket.includes('/')) throw new Error(`S3_URL must name one bucket as its path; expected ${FORMAT}.`)
  if (!url.username || !url.password) throw new Error(`S3_URL must carry the access key and secret; expected ${FORMAT}.`)
  const pathStyle = url.searchParams.get('forcePathStyle')
  if (pathStyle !== null && pathStyle !== 'true' && pathStyle !== 'false') throw new Error('S3_URL: forcePathStyle is true or false.')
  return {
    endpoint: `${url.protocol}//${url.host}`,
    bucket,
    region: url.searchParams.get('region') || 'us-east-1',
    accessKeyId: decodeURIComponent(url.username),
    secretAccessKey: decodeURIComponent(url.password),
    forcePathStyle: pathStyle !== 'false',
  }
}

const isMissing = (error: unknown) =>
  error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey' || error.name === 'NotFound')

/** Objects in one bucket of an S3-compatible service, through the official AWS SDK. */
export function s3Storage(settings: S3Settings): Storage {
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
  })
  const Bucket = settings.bucket
  return {
    driver: 's3',
    async put(key, bytes, contentType) {
      assertStorageKey(key)
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.byteLength }))
    },
    async get(key) {
      assertStorageKey(key)
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key }))
        if (!object.Body) return null
        return { contentType: object.ContentType ?? 'application/octet-stream', size: Number(object.ContentLength ?? 0), body: object.Body as Readable }
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
    },
    async head(key) {
      assertStorageKey(key)
      try {
        const object = await client.send(new HeadObjectCommand({ Bucket, Key: key }))
        return { contentType: object.ContentType ?? 'application/octet-stream', size: Number(object.ContentLength ?? 0) }
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
    },
    async delete(key) {
      assertStorageKey(key)
      // S3 answers a delete of a missing key with success, as the interface asks.
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }))
    },
  }
}
