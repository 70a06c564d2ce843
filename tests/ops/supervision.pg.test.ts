import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { connectionOptions } from '../setup/global-setup'
import { request, requestLine, startProcess, type LogLine } from './server-process'

/**
 * `npm start` on PostgreSQL with two web workers, through real processes and real HTTP: both
 * workers serve, a killed one is replaced, /readyz follows the database, /metrics adds up the
 * workers behind its token, and SIGTERM lets a request in flight finish before exiting 0.
 * The server runs on this file's own database (tests/setup/per-file-database.ts).
 */
const port = 3213
const token = 'metrics-test-token'
const databaseUrl = new URL(process.env.DATABASE_URL!)
const databaseName = databaseUrl.pathname.slice(1)
let server: ReturnType<typeof startProcess>
let admin: postgres.Sql

const isServing = (line: LogLine) => line.msg === 'web worker is serving'
const workerPids = () => new Set(server.lines.filter(isServing).map((line) => Number(line.workerPid)))

/** Requests /healthz on fresh connections until `count` different processes have answered, or 40 tries. */
async function pidsServing(count: number) {
  const pids = new Set<number>()
  for (let i = 0; i < 40 && pids.size < count; i++) {
    const answer = await request(port, '/healthz')
    const line = await server.waitForLine(requestLine(String(answer.headers['x-request-id'])))
    pids.add(Number(line.pid))
  }
  return pids
}

beforeAll(async () => {
  admin = postgres({ ...connectionOptions(databaseUrl), database: 'postgres', onnotice: () => {} })
  server = startProcess('app/server.ts', { PORT: String(port), WEB_CONCURRENCY: '2', METRICS_TOKEN: token, DATABASE_POOL_SIZE: '4' })
  await server.waitForLine((line) => String(line.msg).startsWith('Parley is running'), { timeoutMs: 170_000 })
}, 180_000)

afterAll(async () => {
  // OPS_TEST_LOG=<file> keeps the server's log lines and stderr, for reading after a failed run.
  if (process.env.OPS_TEST_LOG) (await import('node:fs')).writeFileSync(process.env.OPS_TEST_LOG, server.lines.map((l) => JSON.stringify(l)).join('\n') + '\n' + server.stderr())
  await admin?.unsafe(`alter database "${databaseName}" allow_connections true`)
  await admin?.end()
  if (server && server.child.exitCode === null) {
    // The primary stops its workers; SIGKILL only if it does not.
    server.child.kill('SIGTERM')
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000)
    await server.exited
    clearTimeout(timer)
  }
})

describe('npm start with WEB_CONCURRENCY=2', () => {
  test('two worker processes serve requests, neither of them the primary', async () => {
    const running = await server.waitForLine((line) => String(line.msg).startsWith('Parley is running'))
    expect(running.webWorkers).toBe(2)
    const pids = await pidsServing(2)
    expect(pids.size).toBe(2)
    expect(pids.has(server.child.pid!)).toBe(false)
  })

  test('/metrics: 401 without the token or with a wrong one; with it, the latency of a page by its route, from every worker', async () => {
    expect((await request(port, '/metrics')).status).toBe(401)
    expect((await request(port, '/metrics', { Authorization: 'Bearer wrong' })).status).toBe(401)
    for (let i = 0; i < 4; i++) expect((await request(port, '/questions')).status).toBe(200)
    const answer = await request(port, '/metrics', { Authorization: `Bearer ${token}` })
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toContain('text/plain')
    // Four fresh connections reach both workers; the primary adds up their counts.
    expect(answer.body).toMatch(/^http_request_duration_seconds_count\{method="GET",route="routes\/questions\._index",status_class="2xx"\} 4$/m)
    expect(answer.body).toMatch(/^parley_db_up 1$/m)
    expect(answer.body).toMatch(/^parley_job_queue_depth\{queue="mail\.send",state="created"\} \d+$/m)
    expect(answer.body).toMatch(/^parley_db_connections\{state="idle"\} \d+$/m)
    expect(answer.body).toContain('parley_job_failures_total')
  })

  test('a worker killed with SIGKILL is replaced by the warm spare, which serves, and a new spare is made ready', async () => {
    const spare = await server.waitForLine((line) => line.msg === 'the warm spare is ready')
    const [victim] = workerPids()
    const from = server.lines.length
    const killedAt = Date.now()
    process.kill(victim, 'SIGKILL')
    const replaced = await server.waitForLine((line) => isServing(line) && Number(line.workerPid) !== victim, { from })
    const servingAfter = Date.now() - killedAt
    const crash = server.lines.slice(from).find((line) => line.msg === 'web worker exited unexpectedly; replacing it')
    expect(crash).toMatchObject({ workerPid: victim, signal: 'SIGKILL', replaceInMs: 0 })
    expect(replaced.workerPid).toBe(spare.workerPid)
    const pids = await pidsServing(2)
    expect(pids.has(Number(replaced.workerPid))).toBe(true)
    expect(pids.has(victim)).toBe(false)
    const nextSpare = await server.waitForLine((line) => line.msg === 'the warm spare is ready', { from })
    expect(pids.has(Number(nextSpare.workerPid))).toBe(false)
    console.log(`[measured] kill -9 to the replacement serving: ${servingAfter} ms (warm spare)`)
  })

  test('/readyz answers 503 while the database refuses connections and 200 again once it is back; the processes stay up', async () => {
    expect((await request(port, '/readyz')).status).toBe(200)
    const before = await pidsServing(2)
    await admin.unsafe(`alter database "${databaseName}" allow_connections false`)
    try {
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${databaseName} and pid <> pg_backend_pid()`
      const away = await request(port, '/readyz')
      expect(away.status).toBe(503)
      expect(JSON.parse(away.body)).toMatchObject({ status: 'unavailable' })
      expect((await request(port, '/healthz')).status).toBe(200)
      // A page that needs the database answers 503 with when to retry, and the log line names the request.
      const page = await request(port, '/questions', { 'X-Request-Id': 'while-the-database-is-away' })
      expect(page.status).toBe(503)
      expect(page.headers['retry-after']).toBe('5')
      expect(page.body).toContain('We’ll be right back')
      const logged = await server.waitForLine((line) => line.reqId === 'while-the-database-is-away' && (line.level === 'error' || line.level === 'warn'))
      expect(logged.msg).not.toBe('request')
    } finally {
      await admin.unsafe(`alter database "${databaseName}" allow_connections true`)
    }
    let ready = 0
    for (let i = 0; i < 40 && ready < 2; i++) {
      ready = (await request(port, '/readyz')).status === 200 ? ready + 1 : 0
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(ready).toBe(2)
    expect(await pidsServing(2)).toEqual(before)
  })

  test('SIGTERM: a request in flight finishes with 200, new connections are refused, and the server exits 0', async () => {
    // The slow request: the thread list waits on a lock this test holds on the questions table.
    const serving = await pidsServing(2)
    const holder = postgres(databaseUrl.toString(), { max: 1, onnotice: () => {} })
    const from = server.lines.length
    let inFlight: Promise<Awaited<ReturnType<typeof request>>>
    try {
      await holder`begin`
      await holder`lock table questions in access exclusive mode`
      inFlight = request(port, '/questions')
      for (let i = 0; ; i++) {
        const [{ waiting }] = await holder<{ waiting: number }[]>`
          select count(*)::int as waiting from pg_stat_activity where datname = ${databaseName} and wait_event_type = 'Lock'`
        if (waiting > 0) break
        if (i > 200) throw new Error('the request never reached the database')
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      server.child.kill('SIGTERM')
      for (const pid of serving) await server.waitForLine((line) => line.msg === 'stopping' && line.pid === pid, { from })
      // Both workers have stopped taking connections: the port is closed.
      let refused = false
      for (let i = 0; i < 100 && !refused; i++) {
        refused = await request(port, '/healthz', {}, 1_000).then(
          () => false,
          (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
        )
        if (!refused) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(refused).toBe(true)
      expect(server.child.exitCode).toBeNull()
    } finally {
      await holder`rollback`
      await holder.end()
    }
    const answer = await inFlight!
    expect(answer.status).toBe(200)
    expect(answer.body).toContain('</html>')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    const stopped = new Set(server.lines.slice(from).filter((line) => line.msg === 'stopped').map((line) => Number(line.pid)))
    for (const pid of serving) expect(stopped.has(pid)).toBe(true)
  })
})

describe('npm run worker', () => {
  test('SIGTERM stops it cleanly: exit 0', async () => {
    const worker = startProcess('app/worker.ts', {})
    try {
      await worker.waitForLine((line) => String(line.msg).startsWith('Parley worker is running'))
      worker.child.kill('SIGTERM')
      expect(await worker.exited).toEqual({ code: 0, signal: null })
      expect(worker.lines.some((line) => line.msg === 'stopped')).toBe(true)
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL')
    }
  })
})
