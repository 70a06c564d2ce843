import path from 'node:path'
import { defineConfig } from 'vitest/config'

/**
 * Test files that never touch the database. They run with no database setup at all; a file listed
 * here that opens one fails (tests/setup/no-database.ts). A file left out still passes, it only
 * pays for a copy of the database it does not use.
 */
const databaseFree = [
  'app/tickets/sla/**/*.test.ts',
  'app/platform/env.server.test.ts',
  'app/platform/supervision.server.test.ts',
  'app/platform/markdown.server.test.ts',
  'app/platform/page-cache.server.test.ts',
  'app/platform/dates.test.ts',
  'app/platform/route-matching.test.ts',
  'app/platform/fragment-cache.server.test.tsx',
  'app/platform/page-data.server.test.ts',
  'app/platform/send-response.server.test.ts',
  'app/platform/matched-routes.server.test.ts',
  'app/ui/routed-links.test.ts',
  'app/ui/icons.test.ts',
  'app/accounts/privacy.test.ts',
  'app/accounts/generated-avatar.server.test.ts',
  'search/text.test.ts',
  'app/moderation/decision-rules.test.ts',
  'app/moderation/watched-words.test.ts',
  'app/moderation/spam-rules.test.ts',
  'app/tickets/constants.test.ts',
  'db/connection-errors.test.ts',
  'app/platform/storage/storage.test.ts',
]

/**
 * Tests of what happens when two actors act at once. PGlite runs one transaction at a time, so
 * there they could never fail: they run only on PostgreSQL, where the pool sends each on its own
 * connection. Without DATABASE_URL they are not collected at all.
 */
const postgresOnly = '**/*.pg.test.ts'
const onPostgres = !!process.env.DATABASE_URL

export default defineConfig({
  resolve: {
    alias: { '~': path.resolve('app'), '#db': path.resolve('db'), '#search': path.resolve('search') },
  },
  test: {
    pool: 'forks',
    // Timeouts catch a hang; they are not a speed check. Hooks only load the prepared database
    // (3-5 s a file, whatever the load) and make temp dirs; the heaviest tests took over 20 s with
    // both cores kept busy by another process, so both limits leave room for a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'database-free',
          include: databaseFree,
          setupFiles: ['tests/setup/fail-on-console-error.ts', 'tests/setup/no-database.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'database',
          include: ['app/**/*.test.{ts,tsx}', 'db/**/*.test.ts', 'scripts/**/*.test.ts', 'search/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'tests/e2e/**', ...databaseFree, ...(onPostgres ? [] : [postgresOnly])],
          globalSetup: ['tests/setup/global-setup.ts'],
          setupFiles: ['tests/setup/fail-on-console-error.ts', 'tests/setup/per-file-database.ts'],
        },
      },
    ],
  },
})
