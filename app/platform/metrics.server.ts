/**
 * Prometheus metrics (prom-client): request latency by Remix route, the database connections, the
 * job queues' depth and failures, and Node's defaults. Under `npm start`'s cluster every web worker
 * keeps its own numbers; a scrape reaching any worker is answered with all workers' numbers added
 * up by the primary (prom-client's AggregatorRegistry), so one scrape target sees the whole server.
 * GET /metrics needs `Authorization: Bearer $METRICS_TOKEN` and answers 404 while no token is set.
 * See docs/decisions/018-supervision-metrics-logs.md.
 */
import cluster from 'node:cluster'
import { createHash, timingSafeEqual } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { sql } from 'drizzle-orm'
import { AggregatorRegistry, Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client'
import { getConnection, rowsOf } from '#db/client.server'
import { env } from '~/platform/env.server'
import { onJobFailure } from '~/platform/jobs/boss.server'

type Metrics = { httpDuration: Histogram<'method' | 'route' | 'status_class'> }

/** The database is asked at most this often; scrapes in between get the cached answer. */
const DATABASE_SNAPSHOT_MS = 5_000
/** A scrape must not hang while the database is away. */
const DATABASE_QUERY_TIMEOUT_MS = 1_000
const JOB_STATES = ['created', 'retry', 'active'] as const

type DatabaseSnapshot = {
  up: boolean
  connections: { state: string; count: number }[] | null
  queues: { queue: string; state: string; count: number }[]
}

const metricsKey = Symbol.for('parley.metrics')
type GlobalWithMetrics = typeof globalThis & { [metricsKey]?: Metrics }

/** Registers every metric once per process (this module may be loaded twice; the registry is global). */
export function metrics(): Metrics {
  const g = globalThis as GlobalWithMetrics
  return (g[metricsKey] ??= createMetrics())
}

function createMetrics(): Metrics {
  collectDefaultMetrics()
  // prom-client answers the primary's requests for this worker's numbers once an aggregator exists here.
  if (cluster.isWorker) new AggregatorRegistry()
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request’s arrival to its response’s last byte, by method, Remix route id and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  })
  const jobFailures = new Counter({
    name: 'parley_job_failures_total',
    help: 'Job handler runs that threw (pg-boss retries them while they have tries left), by queue.',
    labelNames: ['queue'] as const,
  })
  onJobFailure((queue) => jobFailures.inc({ queue }))

  // The next three describe the shared database, not this process: every worker reports the same
  // numbers, so the cluster keeps the highest (or, for "up", the lowest) rather than the sum.
  new Gauge({
    name: 'parley_db_up',
    help: 'Whether the database answered the last metrics query (1) or not (0).',
    aggregator: 'min',
    async collect() {
      this.set((await databaseSnapshot()).up ? 1 : 0)
    },
  })
  new Gauge({
    name: 'parley_db_connections',
    help: 'Client connections to Parley’s database by state (active = running a query), from pg_stat_activity: every process using the database. PostgreSQL only.',
    labelNames: ['state'] as const,
    aggregator: 'max',
    async collect() {
      const snapshot = await databaseSnapshot()
      this.reset()
      for (const { state, count } of snapshot.connections ?? []) this.set({ state }, count)
    },
  })
  new Gauge({
    name: 'parley_job_queue_depth',
    help: 'Jobs per queue waiting (created), waiting to be retried (retry) and running (active).',
    labelNames: ['queue', 'state'] as const,
    aggregator: 'max',
    async collect() {
      const snapshot = await databaseSnapshot()
      this.reset()
      for (const { queue, state, count } of snapshot.queues) this.set({ queue, state }, count)
    },
  })
  new Gauge({
    name: 'parley_db_pool_max',
    help: 'Connections this server may open to the database (DATABASE_POOL_SIZE per process; PGlite: 1).',
    collect() {
      this.set(getConnection().driver === 'pglite' ? 1 : Number(process.env.DATABASE_POOL_SIZE ?? 10))
    },
  })
  return { httpDuration }
}

let snapshot: { at: number; value: Promise<DatabaseSnapshot> } | null = null

function databaseSnapshot(): Promise<DatabaseSnapshot> {
  if (snapshot && Date.now() - snapshot.at < DATABASE_SNAPSHOT_MS) return snapshot.value
  const value = readDatabase()
  snapshot = { at: Date.now(), value }
  return value
}

async function readDatabase(): Promise<DatabaseSnapshot> {
  const connection = getConnection()
  try {
    const queues = rowsOf<{ queue: string; state: string | null; count: number }>(
      await withTimeout(
        connection.db.execute(sql`
          select q.name as queue, j.state::text as state, count(j.id)::int as count
          from pgboss.queue q left join pgboss.job j on j.name = q.name and j.state in ('created', 'retry', 'active')
          group by q.name, j.state`),
      ),
    )
    const depth = new Map<string, number>()
    for (const row of queues) {
      for (const state of JOB_STATES) depth.set(`${row.queue}\n${state}`, depth.get(`${row.queue}\n${state}`) ?? 0)
      if (row.state) depth.set(`${row.queue}\n${row.state}`, Number(row.count))
    }
    const connections =
      connection.driver === 'postgres'
        ? rowsOf<{ state: string; count: number }>(
            await withTimeout(
              connection.db.execute(sql`
                select coalesce(state, 'unknown') as state, count(*)::int as count from pg_stat_activity
                where datname = current_database() and backend_type = 'client backend' group by 1`),
            ),
          ).map((row) => ({ state: row.state, count: Number(row.count) }))
        : null
    return {
      up: true,
      connections,
      queues: [...depth].map(([key, count]) => {
        const [queue, state] = key.split('\n')
        return { queue, state, count }
      }),
    }
  } catch {
    // The database is away: say so, and let the next scrape ask again instead of waiting out the cache.
    snapshot = null
    return { up: false, connections: null, queues: [] }
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('the database did not answer in time')), DATABASE_QUERY_TIMEOUT_MS)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** Records one served request; `route` is a Remix route id or another bounded name, never a raw path. */
export function observeRequest({ method, route, status, seconds }: { method: string; route: string; status: number; seconds: number }) {
  const knownMethod = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].includes(method) ? method : 'OTHER'
  metrics().httpDuration.observe({ method: knownMethod, route, status_class: `${Math.floor(status / 100)}xx` }, seconds)
}

const METRICS_REQUEST = 'parley:metrics-request'
const METRICS_RESPONSE = 'parley:metrics-response'
type MetricsMessage = { type: typeof METRICS_RESPONSE; id: number; text?: string; error?: string }

/**
 * In the cluster's primary: answers a worker that was asked for /metrics with every worker's
 * numbers combined. The primary itself serves no requests and keeps no metrics.
 */
export function answerMetricsRequestsFromWorkers() {
  const aggregator = new AggregatorRegistry()
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== METRICS_REQUEST || typeof message.id !== 'number') return
    const id = message.id
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: METRICS_RESPONSE, id, text } satisfies MetricsMessage),
      (error: Error) => worker.isConnected() && worker.send({ type: METRICS_RESPONSE, id, error: error.message } satisfies MetricsMessage),
    )
  })
}

let nextRequestId = 0
const pending = new Map<number, (message: MetricsMessage) => void>()
let listening = false

async function metricsText(): Promise<string> {
  metrics()
  if (!cluster.isWorker || !process.send) return register.metrics()
  if (!listening) {
    listening = true
    process.on('message', (message: Partial<MetricsMessage>) => {
      if (message?.type !== METRICS_RESPONSE || message.id === undefined) return
      pending.get(message.id)?.(message as MetricsMessage)
    })
  }
  const id = nextRequestId++
  let timer: NodeJS.Timeout | undefined
  const answer = new Promise<MetricsMessage>((resolve) => {
    pending.set(id, resolve)
    // prom-client gives up on a silent worker after 5 s; this only guards against a lost message.
    timer = setTimeout(() => resolve({ type: METRICS_RESPONSE, id, error: 'the primary did not answer' }), 10_000)
  })
  process.send({ type: METRICS_REQUEST, id })
  try {
    const message = await answer
    if (message.error !== undefined) throw new Error(`collecting the workers’ metrics failed: ${message.error}`)
    return message.text ?? ''
  } finally {
    clearTimeout(timer)
    pending.delete(id)
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/** GET /metrics: 404 without METRICS_TOKEN, 401 without the right bearer token, else the metrics. */
export function metricsEndpoint(req: Request, res: Response, next: NextFunction) {
  if (req.path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return next()
  res.set('Cache-Control', 'no-store')
  const token = env.metricsToken
  if (!token) return void res.status(404).type('text/plain').send('Not found')
  const offered = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? ''
  // Compared as digests, in constant time: the answer's timing says nothing about the token.
  if (!timingSafeEqual(digest(offered), digest(token))) {
    return void res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('A valid metrics token is required.')
  }
  metricsText().then(
    (text) => res.status(200).type(register.contentType).send(text),
    (error) => next(error),
  )
}
