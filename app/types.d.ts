/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

declare module 'fxa-common-password-list' {
  const list: { test(password: string): boolean }
  export default list
}

// s3rver ships no types; the tests use only these.
declare module 's3rver' {
  export default class S3rver {
    constructor(options: { address?: string; port?: number; silent?: boolean; directory: string; configureBuckets?: { name: string; configs: (string | Buffer)[] }[] })
    run(): Promise<unknown>
    close(): Promise<void>
  }
}
