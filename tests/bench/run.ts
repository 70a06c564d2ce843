/**
 * npm run bench -- thread [--seconds 10] [--connections 16]
 * npm run bench -- pages --scale [--reuse] [--database scale_bench] [--seconds 3] [--compare <checkout>] [--keep]
 *
 * `pages` (tests/bench/pages.ts) serves the large dataset of tests/bench/scale-dataset.ts and prints
 * a table per page; see there. `thread`:
 *
 * Serves a 20-answer thread (the size of the NodeBB yardstick topic) from a fresh database (PGlite
 * in a temp dir, or DATABASE_URL's server) through `app/server.ts`, loads it with autocannon from
 * this process, and prints a table. It never fails on a timing: numbers are for reading.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import autocannon from 'autocannon'

// npm run bench -- jobs …: the write path and job throughput, with options of its own (tests/bench/jobs.ts).
if (process.argv[2] === 'jobs') {
  const { runJobsBench } = await import('./jobs')
  process.exit(await runJobsBench(process.argv.slice(3)))
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string' },
    connections: { type: 'string', default: '16' },
    port: { type: 'string', default: '3199' },
    scale: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    database: { type: 'string', default: 'parley_scale' },
    compare: { type: 'string' },
    keep: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
})
const scenario = positionals[0] ?? 'thread'
if (scenario === 'pages') {
  const { runPages } = await import('./pages')
  await runPages({ ...values, seconds: Number(values.seconds ?? 3), port: Number(values.port) })
  process.exit(0)
}
if (scenario !== 'thread') {
  console.error(`Unknown benchmark “${scenario}”. Available: thread, pages, jobs`)
  process.exit(1)
}
values.seconds ??= '10'
const port = Number(values.port)
const base = `http://localhost:${port}`
const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'parley-bench-'))
if (dataDir) process.env.PGLITE_DIR = dataDir

async function prepare() {
  const { migrateAll } = await import('../../app/platform/migrate.server')
  const { jobRegistry } = await import('../../app/jobs.server')
  const { seedBase } = await import('../../scripts/seed')
  const { closeDatabase } = await import('../../db/client.server')
  const { createTestAnswer, createTestQuestion, createTestUser, sessionCookieFor } = await import('../factories')
  const { voteOnAnswer } = await import('../../app/forum/answers.server')
  await migrateAll(jobRegistry)
  await seedBase()
  const asker = await createTestUser()
  const helpers = await Promise.all(Array.from({ length: 5 }, () => createTestUser()))
  const question = await createTestQuestion({ authorId: asker.id, body: 'A question with **Markdown**, a list:\n\n- one\n- two\n\n```js\nconsole.log(1)\n```', tags: ['bench', 'sync'] })
  for (let i = 0; i < 20; i++) {
    const answer = await createTestAnswer({ questionId: question.id, authorId: helpers[i % 5].id, body: `Answer ${i}: try **this** and [that](https://example.com/${i}).\n\n`.repeat(3) })
    await voteOnAnswer({ answerId: answer.id, voterId: asker.id, value: 1 })
  }
  const cookie = await sessionCookieFor(helpers[0].id)
  await closeDatabase()
  return { questionId: question.id, cookie }
}

// One web process unless WEB_CONCURRENCY says otherwise (PostgreSQL only; PGlite always runs one).
const workers = process.env.DATABASE_URL ? (process.env.WEB_CONCURRENCY ?? '1') : '1'

function startServer() {
  const child = spawn(path.resolve('node_modules/.bin/tsx'), ['app/server.ts'], {
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production', SEED_DEMO: '0', WEB_CONCURRENCY: workers },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise<typeof child>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Parley is running')) resolve(child)
    })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
}

async function javascriptBytes(url: string) {
  const html = await (await fetch(url)).text()
  const sources = [...html.matchAll(/(?:src|href)="(\/build\/[^"]+\.js)"/g)].map((m) => m[1])
  let raw = 0
  let gzipped = 0
  for (const src of new Set(sources)) {
    const body = Buffer.from(await (await fetch(base + src)).arrayBuffer())
    raw += body.length
    gzipped += gzipSync(body, { level: 9 }).length
  }
  return { files: new Set(sources).size, raw, gzipped, htmlBytes: Buffer.byteLength(html) }
}

const { questionId, cookie } = await prepare()
const server = await startServer()
try {
  const url = `${base}/questions/${questionId}`
  const js = await javascriptBytes(url)
  const rows: Record<string, string | number>[] = []
  for (const [name, headers] of [
    ['thread page, visitor (page cache)', { 'accept-encoding': 'gzip' }],
    ['thread page, signed in (fresh render)', { cookie, 'accept-encoding': 'gzip' }],
  ] as const) {
    await autocannon({ url, connections: 4, duration: 2, headers }) // warm-up
    const result = await autocannon({ url, connections: Number(values.connections), duration: Number(values.seconds), headers })
    rows.push({
      scenario: name,
      'requests/s': Math.round(result.requests.average),
      'p50 ms': result.latency.p50,
      'p99 ms': result.latency.p99,
      errors: result.errors + result.non2xx,
    })
  }
  console.log(`\nDatabase: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'} · ${values.connections} connections · ${values.seconds}s each · ${workers === '1' ? 'one server process' : `${workers} web workers`}`)
  console.table(rows)
  console.log(`Thread page: ${js.htmlBytes} bytes of HTML; JavaScript: ${js.files} files, ${(js.raw / 1024).toFixed(1)} KiB, ${(js.gzipped / 1024).toFixed(1)} KiB gzipped`)
  console.log('Yardstick: NodeBB serves a 20-post topic at about 30 requests/s on this machine; the target is 600.')
} finally {
  server.kill('SIGTERM')
  await new Promise((r) => server.once('exit', r))
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
}
