import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'

/**
 * A real S3-protocol server (s3rver) on 127.0.0.1 with one empty bucket, keeping its objects in a
 * temporary directory: the S3 driver is tested through the AWS SDK against it, signatures and all.
 * Port 0 lets the OS choose a free port. `url` is an S3_URL for that bucket.
 */
export async function startS3Server({ port = 0, bucket = 'parley-test' }: { port?: number; bucket?: string } = {}) {
  const directory = await mkdtemp(path.join(tmpdir(), 'parley-s3-'))
  const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] })
  const address = (await server.run()) as AddressInfo
  return {
    url: `http://S3RVER:S3RVER@127.0.0.1:${address.port}/${bucket}?region=us-east-1`,
    directory,
    async close() {
      await server.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}
