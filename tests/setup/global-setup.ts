import postgres from 'postgres'

/**
 * With DATABASE_URL set, the suite runs against that PostgreSQL server: one migrated template
 * database is made here, and every test file gets a fresh copy of it (see setup-test-env.ts).
 * Without it, every test file gets its own in-memory PGlite.
 */
export default async function globalSetup() {
  const url = process.env.DATABASE_URL
  if (!url) return
  const base = new URL(url)
  const template = `${base.pathname.slice(1) || 'parley'}_test_template`
  const admin = postgres({ ...connectionOptions(base), database: 'postgres', onnotice: () => {} })
  await admin.unsafe(`drop database if exists "${template}" with (force)`)
  await admin.unsafe(`create database "${template}"`)
  await admin.end()

  const templateUrl = new URL(url)
  templateUrl.pathname = `/${template}`
  process.env.DATABASE_URL = templateUrl.toString()
  const { migrateAll } = await import('../../app/platform/migrate.server')
  const { jobRegistry } = await import('../../app/jobs.server')
  const { seedBase } = await import('../../scripts/seed')
  const { closeDatabase } = await import('../../db/client.server')
  await migrateAll(jobRegistry)
  await seedBase()
  await closeDatabase()
  process.env.PARLEY_TEST_SERVER_URL = url
  process.env.PARLEY_TEST_TEMPLATE = template
  process.env.DATABASE_URL = url

  return async () => {
    const cleanup = postgres({ ...connectionOptions(base), database: 'postgres', onnotice: () => {} })
    const leftovers = await cleanup<{ datname: string }[]>`select datname from pg_database where datname like ${`${template.replace(/_template$/, '')}_%`}`
    for (const { datname } of leftovers) await cleanup.unsafe(`drop database if exists "${datname}" with (force)`)
    await cleanup.end()
  }
}

export function connectionOptions(url: URL) {
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    username: decodeURIComponent(url.username || 'postgres'),
    password: url.password ? decodeURIComponent(url.password) : undefined,
  }
}
