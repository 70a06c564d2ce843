import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, beforeEach, vi, type MockInstance } from 'vitest'
import { connectionOptions } from './global-setup'

// Each test file gets its own database, so files run in parallel without seeing each other's rows.
const serverUrl = process.env.PARLEY_TEST_SERVER_URL
const template = process.env.PARLEY_TEST_TEMPLATE
let databaseName: string | null = null

if (serverUrl && template) {
  databaseName = `${template.replace(/_template$/, '')}_${randomBytes(4).toString('hex')}`
  const admin = postgres({ ...connectionOptions(new URL(serverUrl)), database: 'postgres', onnotice: () => {} })
  await admin.unsafe(`create database "${databaseName}" template "${template}"`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${databaseName}`
  process.env.DATABASE_URL = url.toString()
  process.env.DATABASE_POOL_SIZE = '4'
} else if (process.env.DATABASE_URL) {
  // Asked for PostgreSQL but the template never reached this worker: running on PGlite instead
  // would pass the PostgreSQL leg of CI without touching PostgreSQL.
  throw new Error('DATABASE_URL is set but the PostgreSQL test template is missing; see tests/setup/global-setup.ts.')
} else {
  process.env.PGLITE_DIR = 'memory://'
}

const { migrateAll } = await import('../../app/platform/migrate.server')
const { jobRegistry } = await import('../../app/jobs.server')
const { seedBase } = await import('../../scripts/seed')
const { closeDatabase } = await import('../../db/client.server')

beforeAll(async () => {
  if (!databaseName) {
    await migrateAll(jobRegistry)
    await seedBase()
  }
})

afterAll(async () => {
  await closeDatabase()
  if (serverUrl && databaseName) {
    const admin = postgres({ ...connectionOptions(new URL(serverUrl)), database: 'postgres', onnotice: () => {} })
    await admin.unsafe(`drop database if exists "${databaseName}" with (force)`)
    await admin.end()
  }
})

// An error logged during a test is a failure, not noise.
let consoleError: MockInstance<typeof console.error>
beforeEach(() => {
  const original = console.error
  consoleError = vi.spyOn(console, 'error')
  consoleError.mockImplementation((...args: unknown[]) => {
    original(...args)
    throw new Error('console.error was called during the test; fix the cause or expect it explicitly.')
  })
})
