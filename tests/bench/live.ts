/**
 * npm run bench -- live [--connections 2000] [--samples 300]
 *
 * The realtime transport (app/platform/realtime, app/routes/events.ts) on PostgreSQL only
 * (DATABASE_URL names the server; a fresh database `<its name>_live_<pid>` is made there and
 * dropped at the end). Two `npm start` servers (A and B, one web worker each) share it:
 *
 * 1. Idle connections: --connections event streams opened on A's web worker, each following a
 *    thread; the worker's resident memory (VmRSS) before and after, and per connection.
 * 2. Delivery across processes: a browser-like client streams from B; --samples events go out one
 *    after another (a) published by this process straight into the database (publish() in a
 *    transaction, as a producer does) and (b) as a ticket presence POSTed to A's HTTP route; each
 *    is timed from the moment it is sent until B's client has read it. p50/p99/max per path.
 *    A's idle streams stay open meanwhile (they follow another topic).
 *
 * It never fails on a timing: numbers are for reading.
 */
import http from 'node:http'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { startProcess } from '../ops/server-process'
import { openEventStream } from '../ops/sse-client'

const PORT_A = 3376
const PORT_B = 3377

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN)
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]

/** An idle stream held open; resolves once the server said "connected" (or refused). */
function idleStream(port: number, path: string): Promise<{ ok: boolean; socket: http.ClientRequest }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return resolve({ ok: false, socket: req })
      res.once('data', () => resolve({ ok: true, socket: req }))
    })
    req.on('error', () => resolve({ ok: false, socket: req }))
  })
}

export async function runLiveBench(argv: string[]) {
  const { values } = parseArgs({ args: argv, allowPositionals: true, options: { connections: { type: 'string', default: '2000' }, samples: { type: 'string', default: '300' } } })
  const connections = Number(values.connections)
  const samples = Number(values.samples)
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    console.error('npm run bench -- live needs PostgreSQL (DATABASE_URL): two server processes share one database, and PGlite serves one process.')
    return 1
  }
  const baseName = decodeURIComponent(new URL(serverUrl).pathname.slice(1)) || 'parley'
  const benchName = `${baseName}_live_${process.pid}`.replace(/[^a-z0-9_]/gi, '_')
  const benchUrl = new URL(serverUrl)
  benchUrl.pathname = `/${benchName}`
  const admin = postgres({ host: benchUrl.hostname, port: Number(benchUrl.port || 5432), username: decodeURIComponent(benchUrl.username), password: decodeURIComponent(benchUrl.password) || undefined, database: 'postgres', onnotice: () => {} })
  await admin.unsafe(`create database "${benchName}"`)
  process.env.DATABASE_URL = benchUrl.toString()
  const servers: ReturnType<typeof startProcess>[] = []
  const held: http.ClientRequest[] = []
  try {
    const { migrateAll } = await import('../../app/platform/migrate.server')
    const { jobRegistry } = await import('../../app/jobs.server')
    const { seedBase } = await import('../../scripts/seed')
    const { db } = await import('../../db/client.server')
    const { publish } = await import('../../app/platform/realtime/publish.server')
    const { createTicket } = await import('../../app/tickets/open.server')
    const { createTestQuestion, createTestUser, sessionCookieFor } = await import('../factories')
    await migrateAll(jobRegistry)
    await seedBase()
    const member = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const agentCookie = await sessionCookieFor(agent.id)
    const question = await createTestQuestion({ authorId: member.id })
    const details = { whatHappened: 'It fails', stepsTried: 'Restarted', environment: 'Firefox', accountDetails: 'acme' }
    const ticket = await createTicket({ requesterId: member.id, subject: 'Bench ticket', priority: 'medium', details })

    const env = { WEB_CONCURRENCY: '1', JOBS_IN_PROCESS: '0', LOG_LEVEL: 'info', DATABASE_URL: benchUrl.toString() }
    for (const port of [PORT_A, PORT_B]) {
      const server = startProcess('app/server.ts', { ...env, PORT: String(port) })
      servers.push(server)
      await server.waitForLine((line) => String(line.msg).startsWith('Parley is running'), { timeoutMs: 180_000 })
    }
    const workerA = Number(servers[0].lines.find((line) => line.msg === 'web worker is serving')!.workerPid)
    await pause(1000)
    const rssBefore = rssKb(workerA)

    // 1. Idle connections on A, opened 100 at a time.
    let opened = 0
    const openStarted = performance.now()
    for (let i = 0; i < connections; i += 100) {
      const batch = await Promise.all(Array.from({ length: Math.min(100, connections - i) }, () => idleStream(PORT_A, `/events?topics=thread:${question.id}`)))
      for (const stream of batch) {
        held.push(stream.socket)
        if (stream.ok) opened++
      }
    }
    const openSeconds = (performance.now() - openStarted) / 1000
    await pause(3000)
    const rssAfter = rssKb(workerA)

    // 2. Delivery to a client of B.
    const onB = openEventStream(PORT_B, `/events?topics=ticket:${ticket.number},user:${agent.id}`, { Cookie: agentCookie })
    await onB.ready()
    type Frame = (typeof onB.frames)[number]
    const timeDelivery = async (send: (marker: string) => Promise<unknown>, arrived: (frame: Frame, marker: string) => boolean) => {
      const times: number[] = []
      let lost = 0
      for (let i = 0; i < samples; i++) {
        const marker = `${process.pid}-${i}-${Math.random().toString(36).slice(2)}`
        const from = onB.frames.length
        const started = performance.now()
        await send(marker)
        try {
          await onB.until(() => onB.frames.slice(from).some((f) => arrived(f, marker)), 'delivery', 5000)
          times.push(performance.now() - started)
        } catch {
          lost++
        }
      }
      return { times: times.sort((a, b) => a - b), lost }
    }
    const direct = await timeDelivery(
      (marker) => publish(db, { topic: `user:${agent.id}`, payload: { marker } }),
      (frame, marker) => JSON.stringify(frame.data).includes(marker),
    )
    const viaA = await timeDelivery((marker) =>
      fetch(`http://127.0.0.1:${PORT_A}/tickets/${ticket.number}/presence`, {
        method: 'POST',
        headers: { Cookie: agentCookie, Origin: `http://127.0.0.1:${PORT_A}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'state=viewing',
      }).then((r) => r.text()),
      // One POST at a time, and nobody else is on the ticket: the next presence frame is this one.
      (frame) => (frame.data as { topic: string }).topic === `ticket:${ticket.number}`,
    )
    onB.close()

    console.log(`\nnpm run bench -- live (PostgreSQL; two servers, one web worker each)\n`)
    console.table({
      'idle streams held on A': { value: `${opened} of ${connections} (opened in ${openSeconds.toFixed(1)} s)` },
      'A worker RSS before': { value: mb(rssBefore) },
      'A worker RSS with them': { value: mb(rssAfter) },
      'per stream': { value: `${((rssAfter - rssBefore) / Math.max(opened, 1)).toFixed(1)} KB` },
    })
    const row = (r: { times: number[]; lost: number }) => ({
      samples: r.times.length,
      lost: r.lost,
      'p50 ms': percentile(r.times, 50)?.toFixed(1),
      'p99 ms': percentile(r.times, 99)?.toFixed(1),
      'max ms': r.times.at(-1)?.toFixed(1),
    })
    console.table({ 'publish() here → client of B': row(direct), 'POST to A → client of B': row(viaA) })
    return 0
  } finally {
    for (const socket of held) socket.destroy()
    await Promise.all(
      servers.map(async (server) => {
        if (server.child.exitCode !== null) return
        server.child.kill('SIGTERM')
        const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000)
        await server.exited
        clearTimeout(timer)
      }),
    )
    const { closeDatabase } = await import('../../db/client.server')
    await closeDatabase()
    await admin.unsafe(`drop database if exists "${benchName}" with (force)`)
    await admin.end()
  }
}
