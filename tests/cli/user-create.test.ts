import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, test } from 'vitest'
import { listUsers } from '~/accounts/users.server'
import { uniqueName } from '../factories'

const run = promisify(execFile)
// On PostgreSQL the command writes into this test file's database; on PGlite into a directory of its own.
const pgliteDir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'parley-cli-'))
afterAll(() => {
  if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true })
})

async function userCreate(args: string[]) {
  const env = { ...process.env, ...(pgliteDir ? { PGLITE_DIR: pgliteDir } : {}) }
  try {
    const { stdout, stderr } = await run(path.resolve('node_modules/.bin/tsx'), ['scripts/user-create.ts', ...args], { env })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

async function findUser(username: string) {
  if (!pgliteDir) return (await listUsers({ search: username })).users.find((u) => u.username === username) ?? null
  const client = new PGlite(pgliteDir)
  const { rows } = await client.query<{ username: string; role: string; supportTier: number | null; isPremium: boolean }>(
    'select username, role, support_tier as "supportTier", is_premium as "isPremium" from users where username = $1',
    [username],
  )
  await client.close()
  return rows[0] ?? null
}

describe('npm run user:create', () => {
  test('creates an agent with a tier and premium flag', async () => {
    const username = uniqueName('cli')
    const result = await userCreate(['--username', username, '--email', `${username}@example.test`, '--password', 'lantern-harbour-plum', '--role', 'agent', '--tier', '2', '--premium'])
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain(`Created agent “${username}”`)
    expect(await findUser(username)).toMatchObject({ username, role: 'agent', supportTier: 2, isPremium: true })
  }, 60_000)

  test('refuses bad arguments and taken names with a message and a failing exit code', async () => {
    const bad = await userCreate(['--username', 'x', '--role', 'wizard'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('--username, --email and --password are required.')
    expect(bad.stderr).toContain('--role must be one of member, moderator, agent, admin.')

    const username = uniqueName('dup')
    const args = ['--username', username, '--email', `${username}@example.test`, '--password', 'lantern-harbour-plum', '--role', 'member']
    expect((await userCreate(args)).code).toBe(0)
    const again = await userCreate(args)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('That username is taken.')
  }, 60_000)
})
