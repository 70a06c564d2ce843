/**
 * npm run bench -- thread [--requests 2000] [--connections 16] [--warmup 15] [--pages thread|signed-in|data|all]
 * npm run bench -- thread --compare <checkout> [--rounds 12] [--requests 2000] [--pages …]: before/after, interleaved
 * npm run bench -- queue [--items 100000] [--runs 200]: the moderation queue's first and deep pages (tests/bench/queue.ts)
 * npm run bench -- pages --scale [--reuse] [--database scale_bench] [--seconds 3] [--compare <checkout>] [--keep]
 *
 * `pages` (tests/bench/pages.ts) serves the large dataset of tests/bench/scale-dataset.ts and prints
 * a table per page; see there. `thread`:
 *
 * Serves a 20-answer thread (the size of the NodeBB yardstick topic) from a fresh database (PGlite
 * in a temp dir, or DATABASE_URL's server) through `app/server.ts`, loads it with autocannon from
 * this process, and prints a table. It never fails on a timing: numbers are for reading.
 *
 * Requests per second depend on whatever else the machine is doing; the server process's CPU time
 * per request (utime + stime from /proc, over a fixed number of requests) depends on it much less
 * (still up to ~1.5x on a crowded machine), so it is the number to compare, run before/after
 * back to back. With PGlite the database runs inside the server process and its work counts
 * too; with DATABASE_URL it is PostgreSQL's, outside it. `--pages all` adds the signed-in home,
 * question list and ticket list; `--pages signed-in` runs the signed-in thread alone, e.g. with
 * BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
 *
 * `--compare <checkout>` (PostgreSQL only) measures another checkout of Parley (built, with
 * node_modules, the same schema: a `git worktree` of the commit before, say) against this one. This
 * machine's speed moves by a third within minutes, more than most changes are worth, so one run of
 * each, one after the other, says little. Both servers run at once on the same database; each row
 * is loaded in rounds of `--requests`, alternating A B B A…, and the table gives each one's median
 * CPU per request and req/s, and the median and range of the per-round ratio after ÷ before.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
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

// npm run bench -- queue …: the moderation queue at 100k review items, first and deep pages (tests/bench/queue.ts).
if (process.argv[2] === 'queue') {
  const { runQueueBench } = await import('./queue')
  process.exit(await runQueueBench(process.argv.slice(3)))
}

// npm run bench -- live …: realtime connections held and delivery across processes (tests/bench/live.ts).
if (process.argv[2] === 'live') {
  const { runLiveBench } = await import('./live')
  process.exit(await runLiveBench(process.argv.slice(3)))
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
    requests: { type: 'string', default: '2000' },
    // Seconds of load before each row is measured: the server's code reaches its steady speed after a
    // few thousand requests (the signed-in thread's CPU per request falls by a fifth over the first 4,000).
    warmup: { type: 'string', default: '15' },
    pages: { type: 'string', default: 'thread' },
    rounds: { type: 'string', default: '12' },
  },
})
const scenario = positionals[0] ?? 'thread'
if (scenario === 'pages') {
  const { runPages } = await import('./pages')
  await runPages({ ...values, seconds: Number(values.seconds ?? 3), port: Number(values.port) })
  process.exit(0)
}
if (scenario !== 'thread') {
  console.error(`Unknown benchmark “${scenario}”. Available: thread, pages, jobs, live, queue`)
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
    // About 850 characters of Markdown in three paragraphs, as the posts of NodeBB's yardstick topic (tests/bench/nodebb).
    const paragraph = `Answer ${i}: the release **handles long threads** well once the cache is warm, according to [the logs](https://example.com/${i}); the nightly backup needs a restart after a timezone change, and the search index recovers from slow disks on the second try, without any extra plugins. `
    const answer = await createTestAnswer({ questionId: question.id, authorId: helpers[i % 5].id, body: Array.from({ length: 3 }, () => paragraph).join('\n\n') })
    await voteOnAnswer({ answerId: answer.id, voterId: asker.id, value: 1 })
  }
  const cookie = await sessionCookieFor(helpers[0].id)
  await closeDatabase()
  const { questionPath } = await import('../../app/platform/misc')
  return { questionId: question.id, threadPath: questionPath(question), cookie }
}

// One web process unless WEB_CONCURRENCY says otherwise (PostgreSQL only; PGlite always runs one).
const workers = process.env.DATABASE_URL ? (process.env.WEB_CONCURRENCY ?? '1') : '1'

function startServer(dir = process.cwd(), serverPort = port) {
  // node itself, not the tsx launcher (which runs the server in a child), so the pid is the server's.
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'app/server.ts'], {
    cwd: dir,
    env: { ...process.env, PORT: String(serverPort), NODE_ENV: 'production', SEED_DEMO: '0', JOBS_IN_PROCESS: '0', WEB_CONCURRENCY: workers },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise<typeof child>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Parley is running')) resolve(child)
    })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
}

/** The process and every process below it: on PostgreSQL, npm start supervises forked web workers. */
function processTree(pid: number): number[] {
  let children: number[] = []
  try {
    children = readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number))
  } catch {
    return []
  }
  return [pid, ...children.flatMap(processTree)]
}

/** CPU time the server (its workers included) has used so far, in milliseconds (Linux /proc; clock ticks are 1/100 s). */
function cpuMs(pid: number) {
  let total = 0
  for (const member of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${member}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      total += (Number(fields[11]) + Number(fields[12])) * 10
    } catch {
      continue
    }
  }
  return total
}

/**
 * CPU time of every PostgreSQL process on this machine (the bench's server at 127.0.0.1 is local):
 * on two cores the database's work per request counts against the same budget as ours.
 */
function databaseCpuMs() {
  let total = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (!stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('postgres')) continue
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      total += (Number(fields[11]) + Number(fields[12])) * 10
    } catch {
      continue
    }
  }
  return total
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

/**
 * A fixed number of requests, timed to the last response: autocannon notices that the amount is
 * done only on its one-second tick, so its own figures come out as 2000/7 or 2000/8 (286 or 250
 * req/s) and nothing in between.
 */
const timedLoad = (options: autocannon.Options) =>
  new Promise<{ result: autocannon.Result; seconds: number }>((resolve, reject) => {
    const started = performance.now()
    let last = started
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, seconds: (last - started) / 1000 })))
    instance.on('response', () => (last = performance.now()))
  })

type Scenario = { name: string; path: string; headers: Record<string, string> }

/** The rows `--pages` asks for, as paths on whichever server is measured. */
function scenariosFor(threadPath: string, cookie: string): Scenario[] {
  const signedIn = { cookie, 'accept-encoding': 'gzip' }
  const scenarios: Scenario[] = values.pages === 'data' ? [] : [{ name: 'thread page, signed in (fresh render)', path: threadPath, headers: signedIn }]
  // The same loaders without the document render: what the render itself costs is the difference.
  if (values.pages !== 'signed-in') scenarios.push({ name: 'thread data (?_data), signed in', path: `${threadPath}?_data=${encodeURIComponent('routes/questions.$id.($slug)')}`, headers: signedIn })
  if (values.pages !== 'signed-in' && values.pages !== 'data') scenarios.unshift({ name: 'thread page, visitor (page cache)', path: threadPath, headers: { 'accept-encoding': 'gzip' } })
  if (values.pages === 'all') {
    scenarios.push({ name: 'home /, signed in', path: '/', headers: signedIn })
    scenarios.push({ name: '/questions, signed in', path: '/questions', headers: signedIn })
    scenarios.push({ name: '/tickets, signed in member', path: '/tickets', headers: signedIn })
  }
  return scenarios
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** `--compare`: both checkouts' servers up at once, each row loaded in alternating rounds (see the top of this file). */
async function compareCheckouts(threadPath: string, cookie: string) {
  const other = path.resolve(values.compare!)
  if (!process.env.DATABASE_URL) throw new Error('--compare needs PostgreSQL (DATABASE_URL): both servers serve one database at once')
  if (!existsSync(path.join(other, 'build/index.js')) || !existsSync(path.join(other, 'node_modules'))) {
    throw new Error(`${other} needs node_modules (symlink one in) and a build (npx remix build there)`)
  }
  const rounds = Number(values.rounds)
  const requests = Number(values.requests)
  const connections = Number(values.connections)
  const checkouts = [
    { label: `before (${path.basename(other)})`, server: await startServer(other, port + 1), origin: `http://localhost:${port + 1}` },
    { label: 'after (this checkout)', server: await startServer(process.cwd(), port), origin: base },
  ]
  const rows: Record<string, string | number>[] = []
  try {
    for (const scenario of scenariosFor(threadPath, cookie)) {
      for (const checkout of checkouts) await autocannon({ url: checkout.origin + scenario.path, connections, duration: Number(values.warmup), headers: scenario.headers })
      const measured = checkouts.map(() => ({ cpu: [] as number[], rate: [] as number[], errors: 0 }))
      for (let round = 0; round < rounds; round++) {
        for (const i of round % 2 ? [1, 0] : [0, 1]) {
          const cpuBefore = cpuMs(checkouts[i].server.pid!)
          const { result, seconds } = await timedLoad({ url: checkouts[i].origin + scenario.path, connections, amount: requests, headers: scenario.headers })
          measured[i].cpu.push((cpuMs(checkouts[i].server.pid!) - cpuBefore) / result.requests.total)
          measured[i].rate.push(result.requests.total / seconds)
          measured[i].errors += result.errors + result.non2xx
        }
      }
      const ratios = measured[1].cpu.map((after, round) => after / measured[0].cpu[round])
      checkouts.forEach((checkout, i) =>
        rows.push({
          scenario: scenario.name,
          checkout: checkout.label,
          'CPU ms/request (median)': Number(median(measured[i].cpu).toFixed(3)),
          'requests/s (median)': Math.round(median(measured[i].rate)),
          'CPU after ÷ before, per round': i === 1 ? `${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : '',
          errors: measured[i].errors,
        }),
      )
    }
  } finally {
    for (const { server } of checkouts) {
      server.kill('SIGTERM')
      await new Promise((r) => server.once('exit', r))
    }
  }
  console.log(`\nPostgreSQL · ${connections} connections · ${rounds} rounds of ${requests} requests per row and checkout, alternating · ${workers === '1' ? 'one web worker' : `${workers} web workers`} each`)
  console.table(rows)
}

const { threadPath, cookie } = await prepare()
if (values.compare) {
  await compareCheckouts(threadPath, cookie)
  process.exit(0)
}
const server = await startServer()
try {
  const url = `${base}${threadPath}`
  const js = await javascriptBytes(url)
  const rows: Record<string, string | number>[] = []
  const requests = Number(values.requests)
  for (const { name, path: scenarioPath, headers } of scenariosFor(threadPath, cookie)) {
    const target = base + scenarioPath
    await autocannon({ url: target, connections: Number(values.connections), duration: Number(values.warmup), headers }) // warm-up
    const cpuBefore = cpuMs(server.pid!)
    const databaseBefore = databaseCpuMs()
    const { result, seconds } = await timedLoad({ url: target, connections: Number(values.connections), amount: requests, headers })
    const cpu = cpuMs(server.pid!) - cpuBefore
    const databaseCpu = databaseCpuMs() - databaseBefore
    rows.push({
      scenario: name,
      'requests/s': Math.round(result.requests.total / seconds),
      'CPU ms/request': Number((cpu / result.requests.total).toFixed(2)),
      ...(process.env.DATABASE_URL ? { 'PostgreSQL CPU ms/request': Number((databaseCpu / result.requests.total).toFixed(2)) } : {}),
      'p50 ms': result.latency.p50,
      'p99 ms': result.latency.p99,
      errors: result.errors + result.non2xx,
    })
  }
  console.log(`\nDatabase: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (in the server process)'} · ${values.connections} connections · ${requests} requests each · ${workers === '1' ? 'one web worker' : `${workers} web workers`} · load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`)
  console.table(rows)
  console.log(`Thread page: ${js.htmlBytes} bytes of HTML; JavaScript: ${js.files} files, ${(js.raw / 1024).toFixed(1)} KiB, ${(js.gzipped / 1024).toFixed(1)} KiB gzipped`)
  console.log('Yardstick: twenty times NodeBB on its 20-post topic, measured in the same run (tests/bench/nodebb/README.md).')
} finally {
  server.kill('SIGTERM')
  await new Promise((r) => server.once('exit', r))
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
}
