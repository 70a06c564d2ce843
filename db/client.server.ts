import { mkdirSync, readFileSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import type { ExtractTablesWithRelations } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as schema from './schema/index'

export type Schema = typeof schema
export type Db = PgDatabase<PgQueryResultHKT, Schema>
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>
/** Model functions accept either, so a caller can run several of them in one transaction. */
export type DbOrTx = Db | Tx

/** drizzle's execute answers with the driver's result: an array (postgres.js) or { rows } (PGlite). */
export function rowsOf<T = unknown>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as T[]
}

type Connection =
  | { driver: 'pglite'; db: Db; client: PGlite; close: () => Promise<void> }
  | { driver: 'postgres'; db: Db; client: postgres.Sql; close: () => Promise<void> }

/**
 * Counts every statement drizzle sends, so tests can prove a page costs a bounded number of
 * queries; while a test sets `statements` to an array, each statement's SQL and parameters land
 * there too (to check what a page asked the database, e.g. a keyset bound and no OFFSET).
 */
export const queryCounter: { count: number; statements: { sql: string; params: unknown[] }[] | null } = { count: 0, statements: null }
const logger = {
  logQuery(query: string, params: unknown[]) {
    queryCounter.count++
    queryCounter.statements?.push({ sql: query, params })
  },
}

/**
 * Seconds a lost connection waits before connecting again, by how many connections of the pool
 * failed in a row. postgres.js's default grows to 10–20 s after a dozen failures (3^n / 100, capped
 * at 20), so after a restart a query could wait that long for a connection while the database had
 * long been back. Half a second at most: a refused connection costs the server almost nothing.
 */
export function reconnectBackoff(failures: number) {
  return Math.min(0.05 * 2 ** failures, 0.5)
}

function connect(): Connection {
  const url = process.env.DATABASE_URL
  if (url) {
    const client = postgres(url, {
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      // A server that does not answer (a failover in progress, a dropped packet) fails the query
      // after 5 s instead of postgres.js's 30: the request gets its 503 while the member still waits.
      connect_timeout: 5,
      backoff: reconnectBackoff,
      // Migrations raise harmless NOTICEs ("already exists, skipping"); they are not errors.
      onnotice: () => {},
    })
    const db = drizzlePostgres({ client, schema, logger }) as unknown as Db
    return { driver: 'postgres', db, client, close: () => client.end({ timeout: 5 }) }
  }
  const dataDir = process.env.PGLITE_DIR ?? './data'
  // PGlite creates only the last directory of the path; a fresh clone has none of them.
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true })
  // A tarball written by dumpDataDir(): the test setup migrates once and every test file loads a
  // copy, far cheaper than migrating again. Only an in-memory database starts from it: a directory
  // on disk may already hold one (PGlite then refuses the tarball), and scripts the tests spawn
  // with a directory of their own inherit this variable.
  const image = dataDir === 'memory://' ? process.env.PGLITE_LOAD_FROM : undefined
  const loadDataDir = image ? new Blob([readFileSync(image)]) : undefined
  // pg_trgm lets search find a misspelled word's nearest match; the PostgreSQL server has it in contrib.
  const client = new PGlite(dataDir, { extensions: { pg_trgm }, loadDataDir })
  const db = drizzlePglite({ client, schema, logger }) as unknown as Db
  return { driver: 'pglite', db, client, close: () => client.close() }
}

// One connection per process, even when this module is loaded twice (by the server script and
// again inside the Remix build): two PGlite instances on one data directory would corrupt it.
const globalKey = Symbol.for('parley.database')
type GlobalWithDb = typeof globalThis & { [globalKey]?: Connection }

export function getConnection(): Connection {
  const g = globalThis as GlobalWithDb
  return (g[globalKey] ??= connect())
}

// Kept on globalThis for the same reason as the connection: the hooks of both module copies must run.
const beforeCloseKey = Symbol.for('parley.database.before-close')
type GlobalWithHooks = typeof globalThis & { [beforeCloseKey]?: Set<() => Promise<void>> }

/**
 * Runs `hook` when the connection is about to close, while queries still work: whatever holds
 * work on the connection (the job workers) stops first. Returns a function that removes the hook.
 */
export function onBeforeClose(hook: () => Promise<void>) {
  const hooks = ((globalThis as GlobalWithHooks)[beforeCloseKey] ??= new Set())
  hooks.add(hook)
  return () => void hooks.delete(hook)
}

export async function closeDatabase() {
  const g = globalThis as GlobalWithDb & GlobalWithHooks
  const connection = g[globalKey]
  if (!connection) return
  const hooks = [...(g[beforeCloseKey] ?? [])]
  g[beforeCloseKey]?.clear()
  try {
    for (const hook of hooks) await hook()
  } finally {
    g[globalKey] = undefined
    await connection.close()
  }
}

export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const real = getConnection().db as unknown as Record<PropertyKey, unknown>
    const value = real[property]
    return typeof value === 'function' ? (value as Function).bind(real) : value
  },
})

/**
 * Builds prepared statements once per connection (tests and tools reopen it): hot queries then
 * skip drizzle's query building and the server's parsing and planning on every call.
 */
export function prepared<T>(build: (database: Db) => T): () => T {
  let cache: { database: Db; statements: T } | null = null
  return () => {
    const database = getConnection().db
    if (cache?.database !== database) cache = { database, statements: build(database) }
    return cache.statements
  }
}

/**
 * Whether the database answers a trivial query within `timeoutMs`. Used to wait for it to come back
 * (the job workers) and by the readiness check; never throws.
 */
export async function databaseAnswers(timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
  const probe = (async () => {
    const connection = getConnection()
    if (connection.driver === 'pglite') await connection.client.query('select 1')
    else await connection.client`select 1`
    return true as const
  })().catch(() => false as const)
  try {
    return await Promise.race([probe, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Waits until the database answers again, checking every quarter second, for at most `timeoutMs`.
 * Returns whether it did.
 */
export async function waitForDatabase(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await databaseAnswers(Math.min(1000, Math.max(1, deadline - Date.now())))) return true
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return false
}
