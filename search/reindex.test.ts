import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { questions } from '#db/schema/index'
import { createTestQuestion, createTestUser } from '../tests/factories'
import { uniqueWord } from './engine-contract'
import { getSearchEngine } from './index.server'

const tsx = path.resolve('node_modules/.bin/tsx')
const scratch = mkdtempSync(path.join(tmpdir(), 'parley-reindex-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Runs a script as `npm run …` would, in its own process. */
function run(args: string[], env: Record<string, string | undefined>) {
  const merged: Record<string, string | undefined> = { ...process.env, ...env }
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key]
  // Asynchronous: a synchronous child blocks this worker's event loop, and a minute of that on a busy
  // machine makes Vitest's own messages to the worker time out ("Timeout calling onTaskUpdate").
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(tsx, args, { env: merged as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 90_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    )
  })
}

describe('npm run search:reindex', () => {
  test('refuses to open a PGlite directory another process holds, and says what to do', async () => {
    const dataDir = path.join(scratch, 'in-use')
    mkdirSync(dataDir)
    // What PGlite keeps in its directory while a server has it open.
    writeFileSync(path.join(dataDir, 'postmaster.pid'), '-42\n')
    const result = await run(['search/reindex.ts'], { DATABASE_URL: undefined, PGLITE_DIR: dataDir })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('Stop the server (npm start)')
    expect(result.stderr).toContain('DATABASE_URL')
    // It never opened the directory.
    expect(readdirSync(dataDir)).toEqual(['postmaster.pid'])
  })

  test('rejects unknown options with the usage', async () => {
    const result = await run(['search/reindex.ts', '--everything'], {})
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('Usage: npm run search:reindex')
  })

  test.runIf(!!process.env.DATABASE_URL)('on PostgreSQL it indexes every visible question of the running forum', { timeout: 120_000 }, async () => {
    const author = await createTestUser()
    const word = uniqueWord('reidx')
    const visible = await createTestQuestion({ authorId: author.id, title: `Visible ${word} question` })
    const hidden = await createTestQuestion({ authorId: author.id, title: `Hidden ${word} question` })
    await db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'spam' }).where(eq(questions.id, hidden.id))
    // Jobs were queued but not run: only the reindex fills the index.
    expect((await getSearchEngine().search({ text: word })).total).toBe(0)

    const result = await run(['search/reindex.ts', '--clear'], {})
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/Done: \d+ questions indexed, 1 hidden or removed ones left out\./)
    expect((await getSearchEngine().search({ text: word })).hits.map((h) => h.questionId)).toEqual([visible.id])
  })

  // Its own PGlite directory in a child process, so it runs on both test legs.
  test('on PGlite it indexes every visible question while the server is stopped', { timeout: 120_000 }, async () => {
    const dataDir = path.join(scratch, 'forum')
    const env = { DATABASE_URL: undefined, PGLITE_DIR: dataDir, MEILI_URL: undefined }
    // A forum with the demo threads, as `npm run db:seed` makes it.
    expect((await run(['scripts/seed.ts'], env)).status).toBe(0)

    const result = await run(['search/reindex.ts', '--clear'], env)
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/Done: [1-9]\d* questions indexed, 0 hidden or removed ones left out\./)
    // The database was closed: the directory is free again.
    expect(readdirSync(dataDir)).not.toContain('postmaster.pid')

    const search = await run(
      ['-e', "(async () => { const { getSearchEngine } = await import('#search/index.server'); console.log(JSON.stringify(await getSearchEngine().search({ text: 'password' }))); await (await import('#db/client.server')).closeDatabase() })()"],
      env,
    )
    expect(search.status).toBe(0)
    const found = JSON.parse(search.stdout) as { total: number; hits: { title: string }[] }
    expect(found.hits.map((h) => h.title)).toContain('How do I reset my password if I no longer have access to my email?')
  })
})
