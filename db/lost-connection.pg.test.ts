import postgres from 'postgres'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connectionOptions } from '../tests/setup/global-setup'
import { isDatabaseUnavailable } from './connection-errors'
import { reconnectBackoff } from './client.server'

/**
 * postgres.js, as patched (patches/postgres+3.4.9.patch), after a connection is lost mid-query while
 * the database refuses new connections: the next query on that pool fails at once with an error that
 * says the database is away. Unpatched, the lost query stayed attached to the connection, the refusal
 * was taken for that query's error, and the next query hung, reconnecting in a loop until the
 * database came back (the web answered nothing instead of 503).
 */
const databaseUrl = new URL(process.env.DATABASE_URL!)
const databaseName = databaseUrl.pathname.slice(1)
let admin: postgres.Sql

beforeAll(() => {
  admin = postgres({ ...connectionOptions(databaseUrl), database: 'postgres', onnotice: () => {} })
})

afterAll(async () => {
  await admin.unsafe(`alter database "${databaseName}" allow_connections true`)
  await admin.end()
})

/** Settles with what the promise did, or 'still waiting' after `ms`. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise.then(
      () => 'answered' as const,
      (error: unknown) => error,
    ),
    new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms)),
  ])

test('a query after a lost one fails at once while the database refuses connections, and succeeds once it is back', async () => {
  const client = postgres(databaseUrl.toString(), { max: 1, connect_timeout: 5, backoff: reconnectBackoff, onnotice: () => {} })
  try {
    const lost = client`select pg_sleep(30)`.execute()
    for (let waited = 0; ; waited += 20) {
      const [{ running }] = await admin<{ running: number }[]>`
        select count(*)::int as running from pg_stat_activity where datname = ${databaseName} and query like 'select pg_sleep(30)%'`
      if (running > 0) break
      if (waited > 10_000) throw new Error('the slow query never reached the database')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await admin.unsafe(`alter database "${databaseName}" allow_connections false`)
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${databaseName}`
    expect(isDatabaseUnavailable(await lost.then(() => null, (error: unknown) => error))).toBe(true)

    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await within(client`select 1`, 10_000)
      expect(outcome).not.toBe('still waiting')
      expect(outcome).not.toBe('answered')
      expect((outcome as { code?: string }).code).toBe('55000')
      expect(isDatabaseUnavailable(outcome)).toBe(true)
    }

    await admin.unsafe(`alter database "${databaseName}" allow_connections true`)
    expect(await within(client`select 1`, 10_000)).toBe('answered')
  } finally {
    await client.end({ timeout: 1 })
  }
})
