import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import postgres from 'postgres'

/**
 * Migrates and seeds one database for the whole run; per-file-database.ts gives every test file a
 * copy of it. With DATABASE_URL set that is a template database on that PostgreSQL server (each
 * file gets `create database … template …`); without it, a PGlite image: an in-memory PGlite's data
 * directory dumped to a tarball that each file loads (PGLITE_LOAD_FROM) instead of migrating again.
 * The environment set here reaches the test workers, which start after it.
 */
export default async function globalSetup() {
  const url = process.env.DATABASE_URL
  return url ? makeTemplateDatabase(url) : makePgliteImage()
}

async function makePgliteImage() {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-test-image-'))
  const file = path.join(dir, 'migrated-and-seeded.tar')
  process.env.PGLITE_DIR = 'memory://'
  delete process.env.PGLITE_LOAD_FROM
  const { getConnection, closeDatabase } = await import('../../db/client.server')
  try {
    await migrateAndSeed()
    const connection = getConnection()
    if (connection.driver !== 'pglite') throw new Error('Expected PGlite: DATABASE_URL is unset.')
    // Uncompressed: every test file loads it, and gunzip would cost each of them more than the disk.
    const image = await connection.client.dumpDataDir('none')
    await writeFile(file, Buffer.from(await image.arrayBuffer()))
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  } finally {
    await closeDatabase()
  }
  process.env.PGLITE_LOAD_FROM = file
  return async () => {
    await rm(dir, { recursive: true, force: true })
  }
}

async function makeTemplateDatabase(url: string) {
  const base = new URL(url)
  const template = `${base.pathname.slice(1) || 'parley'}_test_template`
  const dropEverything = async () => {
    const admin = postgres({ ...connectionOptions(base), database: 'postgres', onnotice: () => {} })
    try {
      // The per-file databases carry the template's prefix; a file that crashed leaves its own behind.
      const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${template.replace(/_template$/, '')}_%`}`
      for (const { datname } of leftovers) await admin.unsafe(`drop database if exists "${datname}" with (force)`)
    } finally {
      await admin.end()
    }
  }
  const admin = postgres({ ...connectionOptions(base), database: 'postgres', onnotice: () => {} })
  try {
    await admin.unsafe(`drop database if exists "${template}" with (force)`)
    await admin.unsafe(`create database "${template}"`)
  } finally {
    await admin.end()
  }

  const templateUrl = new URL(url)
  templateUrl.pathname = `/${template}`
  process.env.DATABASE_URL = templateUrl.toString()
  const { closeDatabase } = await import('../../db/client.server')
  try {
    await migrateAndSeed()
  } catch (error) {
    await dropEverything()
    throw error
  } finally {
    await closeDatabase()
    process.env.DATABASE_URL = url
  }
  process.env.PARLEY_TEST_SERVER_URL = url
  process.env.PARLEY_TEST_TEMPLATE = template
  return dropEverything
}

async function migrateAndSeed() {
  const { migrateAll } = await import('../../app/platform/migrate.server')
  const { jobRegistry } = await import('../../app/jobs.server')
  const { seedBase } = await import('../../scripts/seed')
  await migrateAll(jobRegistry)
  await seedBase()
}

export function connectionOptions(url: URL) {
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    username: decodeURIComponent(url.username || 'postgres'),
    password: url.password ? decodeURIComponent(url.password) : undefined,
  }
}
