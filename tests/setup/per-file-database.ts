import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { afterAll, beforeAll } from 'vitest'
import { closeDatabase, db } from '../../db/client.server'
import { connectionOptions } from './global-setup'

/**
 * Each test file gets its own copy of the database that global-setup.ts migrated and seeded once,
 * so files run in parallel without seeing each other's rows: on PostgreSQL a database made from the
 * template, on PGlite an in-memory instance loaded from the image.
 */
const serverUrl = process.env.PARLEY_TEST_SERVER_URL
const template = process.env.PARLEY_TEST_TEMPLATE
let createdDatabase: string | null = null

// Registered first, so it runs whatever happened below. It assumes nothing was set up: closing a
// connection that never opened does nothing, and only a database that was created is dropped.
afterAll(async () => {
  try {
    await closeDatabase()
  } finally {
    if (serverUrl && createdDatabase) await onServer(serverUrl, (admin) => admin.unsafe(`drop database if exists "${createdDatabase}" with (force)`))
  }
})

if (serverUrl && template) {
  const name = `${template.replace(/_template$/, '')}_${randomBytes(4).toString('hex')}`
  await onServer(serverUrl, (admin) => admin.unsafe(`create database "${name}" template "${template}"`))
  createdDatabase = name
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  process.env.DATABASE_URL = url.toString()
  process.env.DATABASE_POOL_SIZE = '4'
} else if (process.env.DATABASE_URL) {
  // Asked for PostgreSQL but the template never reached this worker: running on PGlite instead
  // would pass the PostgreSQL leg of CI without touching PostgreSQL.
  throw new Error('DATABASE_URL is set but the PostgreSQL test template is missing; see tests/setup/global-setup.ts.')
} else if (!process.env.PGLITE_LOAD_FROM) {
  // An empty PGlite would fail every test with "relation does not exist", far from the cause.
  throw new Error('PGLITE_LOAD_FROM is not set: the migrated PGlite image from tests/setup/global-setup.ts is missing.')
} else {
  process.env.PGLITE_DIR = 'memory://'
}

// Opening the copy (PGlite loads the image here) belongs to the setup, not to the file's first test.
beforeAll(async () => {
  await db.execute(sql`select 1`)
})

async function onServer(server: string, run: (admin: postgres.Sql) => Promise<unknown>) {
  const admin = postgres({ ...connectionOptions(new URL(server)), database: 'postgres', onnotice: () => {} })
  try {
    await run(admin)
  } finally {
    await admin.end()
  }
}
