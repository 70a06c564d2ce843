/**
 * npm run bench -- pages --scale [--reuse] [--database parley_scale] [--seconds 3] [--compare <checkout>] [--keep] [--only home,queue]
 *
 * The pages that grow with the data, served from the scale dataset (tests/bench/scale-dataset.ts:
 * 100k questions, ~1M answers, 100k tickets, 100k queue items) by `app/server.ts`, one process,
 * jobs off. For every page and audience it prints: the one-connection median (sequential requests,
 * what the server spends on the page), req/s and p50/p99 at 1 and 16 connections (autocannon),
 * the HTML's bytes raw and gzipped, and the statements the page cost (the server's X-Query-Count
 * header, sent only with BENCH_QUERY_COUNT=1).
 *
 * The dataset is built once into DATABASE_URL's server under `--database` and reused with
 * `--reuse`. Each measured server runs on a copy of it (CREATE DATABASE … TEMPLATE), so its own
 * migrations (new indexes) touch only its copy. `--compare <dir>` first measures another checkout
 * (e.g. a worktree of main) on an identical copy, then this one, and prints both and the medians
 * side by side; when it has to build the dataset, it builds it with that checkout's migrations, so
 * the older code never runs with the newer indexes. It never fails on a timing.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import autocannon from 'autocannon'
import postgres from 'postgres'
import { questionPath } from '../../app/platform/misc'
import { copyDatabase, databaseUrlFor, ensureScaleDatabase, SCALE, SCALE_ACCOUNTS } from './scale-dataset'

export type PagesOptions = {
  seconds: number
  connections: string
  port: number
  scale: boolean
  reuse: boolean
  database: string
  compare?: string
  keep: boolean
  only?: string
}

type Audience = 'visitor' | keyof typeof SCALE_ACCOUNTS
/** How the checkout under test pages the moderation queue: by key (`after=`) or by number (`page=`). */
type Checkout = { dir: string; label: string; keysetQueue: boolean }
type Keys = { questionsDeep: string; tagDeep: string; queueDeepCursor: string; threadPath: string; category: string }
type PageSpec = { name: string; path: (keys: Keys, checkout: Checkout) => string; audiences: Audience[] }

const PUBLIC: Audience[] = ['visitor', 'member']
const PAGES: PageSpec[] = [
  { name: 'home', path: () => '/', audiences: PUBLIC },
  { name: 'questions', path: () => '/questions', audiences: PUBLIC },
  { name: 'questions p1000', path: (k) => `/questions?after=${k.questionsDeep}`, audiences: PUBLIC },
  { name: 'unanswered', path: () => '/questions?filter=unanswered', audiences: PUBLIC },
  { name: 'tag', path: () => `/tags/${SCALE.bigTag}`, audiences: PUBLIC },
  { name: 'tag p1000', path: (k) => `/tags/${SCALE.bigTag}?after=${k.tagDeep}`, audiences: PUBLIC },
  { name: 'category', path: (k) => `/c/${k.category}`, audiences: PUBLIC },
  { name: 'search', path: () => '/search?q=sync+timeout', audiences: PUBLIC },
  // The thread's own address: a bare id is a redirect there (decision 026).
  { name: 'thread', path: (k) => k.threadPath, audiences: PUBLIC },
  { name: 'queue', path: () => '/mod/queue', audiences: ['moderator'] },
  { name: 'queue p1000', path: (k, c) => (c.keysetQueue ? `/mod/queue?after=${k.queueDeepCursor}` : '/mod/queue?page=1000'), audiences: ['moderator'] },
  { name: 'tickets', path: () => '/tickets', audiences: ['agent'] },
  { name: 'staff', path: () => '/staff', audiences: ['admin'] },
]

const MEDIAN_SAMPLES = 25

export async function runPages(options: PagesOptions) {
  const serverUrl = process.env.DATABASE_URL
  if (!options.scale) fail('The pages benchmark runs on the scale dataset: add --scale (and DATABASE_URL).')
  if (!serverUrl) fail('--scale needs PostgreSQL: set DATABASE_URL to a server where the bench may create databases (PGlite is not for a million rows).')
  if (!Number.isFinite(options.seconds) || options.seconds <= 0) fail('--seconds takes a positive number')
  const only = options.only?.split(',').map((s) => s.trim())
  const pages = only ? PAGES.filter((p) => only.includes(p.name)) : PAGES
  if (pages.length === 0) fail(`--only matched no page. Pages: ${PAGES.map((p) => p.name).join(', ')}`)

  const current: Checkout = { dir: process.cwd(), label: 'this checkout', keysetQueue: true }
  const compared: Checkout | null = options.compare
    ? {
        dir: path.resolve(options.compare),
        label: path.basename(path.resolve(options.compare)),
        keysetQueue: readFileSync(path.join(path.resolve(options.compare), 'app/moderation/queue.server.ts'), 'utf8').includes('encodeQueueCursor'),
      }
    : null
  if (compared && !existsSync(path.join(compared.dir, 'node_modules/.bin/tsx'))) fail(`${compared.dir} has no node_modules (symlink one in)`)

  await ensureScaleDatabase({
    serverUrl,
    name: options.database,
    reuse: options.reuse,
    migrationsFolder: compared ? path.join(compared.dir, 'db/migrations') : undefined,
  })

  const results: { checkout: Checkout; rows: Row[] }[] = []
  for (const checkout of compared ? [compared, current] : [current]) {
    const copyName = `${options.database}_${compared && checkout === compared ? 'before' : 'after'}`
    console.log(`\nCopying the dataset to ${copyName} for ${checkout.label}…`)
    const url = await copyDatabase({ serverUrl, from: options.database, to: copyName })
    const cookies = await signIn(url)
    const server = await startServer(checkout.dir, options.port, url)
    try {
      const keys = await pageKeys(url)
      const rows: Row[] = []
      for (const page of pages) {
        for (const audience of page.audiences) {
          const address = `http://localhost:${options.port}${page.path(keys, checkout)}`
          const row = await measure(page.name, audience, address, cookies[audience], options)
          rows.push(row)
          process.stdout.write(`  ${page.name} (${audience}): ${row['median ms']} ms\n`)
        }
      }
      results.push({ checkout, rows })
    } finally {
      server.kill('SIGTERM')
      await new Promise((resolve) => server.once('exit', resolve))
    }
    if (!options.keep) await dropDatabase(serverUrl, copyName)
  }

  const [{ questions, answers, tickets, items }] = await withSql(databaseUrlFor(serverUrl, options.database), (sql) =>
    sql`select (select count(*) from questions)::int as questions, (select count(*) from answers)::int as answers,
      (select count(*) from tickets)::int as tickets, (select count(*) from review_items)::int as items`,
  )
  console.log(
    `\nDataset: ${questions.toLocaleString('en')} questions, ${answers.toLocaleString('en')} answers, ${tickets.toLocaleString('en')} tickets, ${items.toLocaleString('en')} queue items · PostgreSQL · one server process, jobs off · ${options.seconds}s per load run`,
  )
  for (const { checkout, rows } of results) {
    console.log(`\n${checkout.label} (${checkout.dir})`)
    console.table(rows)
  }
  if (results.length === 2) {
    const [before, after] = results
    console.log(`\nOne-connection median, ms: ${before.checkout.label} → ${after.checkout.label}`)
    console.table(
      after.rows.map((row, i) => ({ page: row.page, who: row.who, before: before.rows[i]['median ms'], after: row['median ms'], 'req/s c=16 before': before.rows[i]['c=16 req/s'], 'req/s c=16 after': row['c=16 req/s'] })),
    )
  }
  await printJobThroughput()
}

type Row = Record<string, string | number>

async function measure(page: string, who: Audience, url: string, cookie: string | undefined, options: PagesOptions): Promise<Row> {
  const headers: Record<string, string> = cookie ? { cookie } : {}
  // Plainly: status, size and the statements it cost. The previous load run may still have
  // requests in the server when autocannon returns, so let them drain, and take the fewest of three.
  await new Promise((resolve) => setTimeout(resolve, 500))
  let response = await fetch(url, { headers, redirect: 'manual' })
  let body = Buffer.from(await response.arrayBuffer())
  let queries: number | string = response.headers.get('x-query-count') === null ? '—' : Infinity
  for (let i = 0; i < 3 && queries !== '—'; i++) {
    if (i > 0) {
      response = await fetch(url, { headers, redirect: 'manual' })
      body = Buffer.from(await response.arrayBuffer())
    }
    queries = Math.min(queries as number, Number(response.headers.get('x-query-count')))
  }
  // Sequential requests: the server's time on the page, as the issue measured it.
  const samples: number[] = []
  for (let i = 0; i < MEDIAN_SAMPLES + 3; i++) {
    const started = performance.now()
    await (await fetch(url, { headers })).arrayBuffer()
    if (i >= 3) samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  const load = async (connections: number) =>
    autocannon({ url, connections, duration: options.seconds, headers: { ...headers, 'accept-encoding': 'gzip' } })
  const one = await load(1)
  const many = await load(Number(options.connections))
  return {
    page,
    who,
    status: response.status,
    'median ms': Number(samples[Math.floor(samples.length / 2)].toFixed(1)),
    'c=1 req/s': Math.round(one.requests.average),
    'c=1 p50/p99': `${one.latency.p50}/${one.latency.p99}`,
    [`c=${options.connections} req/s`]: Math.round(many.requests.average),
    [`c=${options.connections} p50/p99`]: `${many.latency.p50}/${many.latency.p99}`,
    KiB: Number((body.length / 1024).toFixed(1)),
    'KiB gz': Number((gzipSync(body).length / 1024).toFixed(1)),
    queries,
    errors: one.errors + one.non2xx + many.errors + many.non2xx,
  }
}

/** Sessions for the bench's accounts, written into this copy (the server reads them from it). */
async function signIn(url: string) {
  process.env.DATABASE_URL = url
  const { closeDatabase } = await import('../../db/client.server')
  const { sessionCookieFor } = await import('../factories')
  await closeDatabase()
  const ids = await withSql(url, (sql) => sql`select username, id from users where username in ${sql(Object.values(SCALE_ACCOUNTS))}`)
  const idOf = (username: string) => Number(ids.find((r) => r.username === username)!.id)
  const cookies: Partial<Record<Audience, string>> = {}
  for (const [audience, username] of Object.entries(SCALE_ACCOUNTS)) cookies[audience as Audience] = await sessionCookieFor(idOf(username))
  await closeDatabase()
  return cookies
}

/** What the deep pages' addresses need: the cursor of the last row before page 1,000, from the data itself. */
async function pageKeys(url: string): Promise<Keys> {
  const { encodeCursor } = await import('../../app/platform/cursor')
  const { PAGE_SIZE } = await import('../../app/forum/questions.server')
  const { encodeQueueCursor, QUEUE_PAGE_SIZE } = await import('../../app/moderation/queue.server')
  return withSql(url, async (sql) => {
    const visible = sql`q.hidden_at is null and q.removed_at is null`
    const deep = 999 * PAGE_SIZE - 1
    const [question] = await sql`select q.id, q.last_activity_at from questions q where ${visible} order by q.last_activity_at desc, q.id desc offset ${deep} limit 1`
    const [tagged] = await sql`select q.id, q.last_activity_at from questions q where ${visible}
      and exists (select 1 from question_tags qt join tags t on t.id = qt.tag_id where qt.question_id = q.id and t.name = ${SCALE.bigTag})
      order by q.last_activity_at desc, q.id desc offset ${deep} limit 1`
    const [item] = await sql`select id, urgency, score, created_at from review_items where status = 'pending'
      order by urgency, score desc, created_at, id offset ${1000 * QUEUE_PAGE_SIZE - 1} limit 1`
    const [thread] = await sql`select id, title from questions where answer_count = 12 and hidden_at is null order by id desc limit 1`
    return {
      questionsDeep: encodeCursor({ at: question.last_activity_at, id: question.id }),
      tagDeep: encodeCursor({ at: tagged.last_activity_at, id: tagged.id }),
      queueDeepCursor: encodeQueueCursor({ urgency: item.urgency, score: item.score, at: item.created_at, id: item.id }),
      threadPath: questionPath({ id: thread.id, title: thread.title }),
      category: 'technical',
    }
  })
}

function startServer(dir: string, port: number, url: string) {
  const child = spawn(path.join(dir, 'node_modules/.bin/tsx'), ['app/server.ts'], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), NODE_ENV: 'production', SEED_DEMO: '0', JOBS_IN_PROCESS: '0', BENCH_QUERY_COUNT: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise<typeof child>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Parley is running')) resolve(child)
    })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
}

async function withSql<T>(url: string, run: (sql: postgres.Sql) => Promise<T>) {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    return await run(sql)
  } finally {
    await sql.end()
  }
}

async function dropDatabase(serverUrl: string, name: string) {
  await withSql(databaseUrlFor(serverUrl, 'postgres'), (sql) => sql.unsafe(`drop database if exists ${name} with (force)`))
}

/**
 * Job throughput belongs in this report too; it is measured by `tests/bench/jobs.ts` when that
 * exists (export `jobThroughput(): Promise<string>`, one printable line). Until then: said so.
 */
async function printJobThroughput() {
  const file = path.join(import.meta.dirname, 'jobs.ts')
  if (!existsSync(file)) {
    console.log('\nJob throughput: not measured (no tests/bench/jobs.ts exporting jobThroughput()).')
    return
  }
  const jobs = (await import(file)) as { jobThroughput?: () => Promise<string> }
  console.log(`\nJob throughput: ${jobs.jobThroughput ? await jobs.jobThroughput() : 'tests/bench/jobs.ts exports no jobThroughput()'}`)
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}
