/**
 * The one job queue: pg-boss on the application's own database connection. Jobs are rows written
 * in the same transaction as the change that caused them, so a rolled-back change leaves no job and
 * a committed one always gets its job, whatever happens to the process afterwards.
 */
import { sql, type SQL } from 'drizzle-orm'
import PgBoss from 'pg-boss'
import { getConnection, onBeforeClose, rowsOf, type DbOrTx } from '#db/client.server'

export const QUEUES = {
  sendMail: 'mail.send',
  slaSweep: 'tickets.sla-sweep',
  recomputeSla: 'tickets.recompute-sla',
  purgeRemoved: 'moderation.purge-removed',
  searchIndex: 'search.index',
  unansweredSweep: 'questions.unanswered-sweep',
  deleteAccounts: 'accounts.delete-due',
  notificationDigest: 'notifications.digest',
} as const
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]

/**
 * Queues that need more than pg-boss's standard policy. A sweep goes over every ticket: two at once
 * would only race each other for the same alerts, so at most one runs at a time.
 */
const QUEUE_OPTIONS: Partial<Record<QueueName, Omit<PgBoss.Queue, 'name'>>> = {
  [QUEUES.slaSweep]: { policy: 'singleton' },
  // Each settings save queues a full recompute: one waiting job covers every save made before it runs.
  [QUEUES.recomputeSla]: { policy: 'stately' },
  [QUEUES.purgeRemoved]: { policy: 'singleton' },
  [QUEUES.unansweredSweep]: { policy: 'singleton' },
  [QUEUES.deleteAccounts]: { policy: 'singleton' },
  [QUEUES.notificationDigest]: { policy: 'singleton' },
}

/** Recurring jobs (cron, UTC) the workers keep scheduled. */
export const SCHEDULES: Partial<Record<QueueName, string>> = {
  [QUEUES.slaSweep]: '* * * * *',
  [QUEUES.purgeRemoved]: '17 3 * * *',
  [QUEUES.unansweredSweep]: '*/5 * * * *',
  [QUEUES.deleteAccounts]: '41 4 * * *',
  [QUEUES.notificationDigest]: '0 7 * * *',
}

/**
 * Ten tries with exponential backoff from 30 seconds (pg-boss adds up to as much again at random)
 * spread the retries over 8 to 17 hours: long enough to outlast a mail server's outage, short
 * enough that a mail still matters when it arrives.
 */
const JOB_DEFAULTS = { retryLimit: 10, retryBackoff: true, retryDelay: 30 } satisfies PgBoss.RetryOptions

// A failed run of a scheduled job is not retried: the next run, a minute later, does the same work.
const SCHEDULED_JOB_OPTIONS = { retryLimit: 0 } satisfies PgBoss.ScheduleOptions

const log = {
  warn: (...args: unknown[]) => console.warn('[jobs]', ...args),
}

export type JobHandler = (data: any) => Promise<void>
export type JobOptions = Omit<PgBoss.SendOptions, 'db'>

type JobState = {
  boss: PgBoss | null
  workersStarted: boolean
  handlers: Map<string, JobHandler>
  /** Queries pg-boss has in flight and handlers running: stopping waits for both to reach zero. */
  busy: { queries: number; handlers: number }
  removeCloseHook: (() => void) | null
}

// Like the database connection, one per process although the server script and the Remix build
// each load this module: handlers registered by either copy must reach the same workers.
const stateKey = Symbol.for('parley.jobs')
type GlobalWithJobs = typeof globalThis & { [stateKey]?: JobState }

function jobState(): JobState {
  const g = globalThis as GlobalWithJobs
  return (g[stateKey] ??= {
    boss: null,
    workersStarted: false,
    handlers: new Map(),
    busy: { queries: 0, handlers: 0 },
    removeCloseHook: null,
  })
}

/**
 * pg-boss passes JSON payloads as objects and expects them serialised, as node-postgres would;
 * drizzle turns postgres.js's own JSON serialisation off, so both drivers get the text here.
 */
function toDriverValue(value: unknown) {
  if (value === undefined || value === null) return null
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) return JSON.stringify(value)
  return value
}

/** Runs pg-boss's SQL on the process's connection: no second pool beside the application's. */
function connectionAdapter(): PgBoss.Db {
  const connection = getConnection()
  const { busy } = jobState()
  const run = async <T>(query: () => Promise<T>) => {
    busy.queries++
    try {
      return await query()
    } finally {
      busy.queries--
    }
  }

  if (connection.driver === 'pglite') {
    const client = connection.client
    return {
      executeSql: (text, values) =>
        run(async () => {
          if (values?.length) return { rows: (await client.query(text, values.map(toDriverValue))).rows }
          // Without values pg-boss sends scripts (schema changes, maintenance in BEGIN … COMMIT).
          try {
            const results = await client.exec(text)
            return { rows: results.at(-1)?.rows ?? [] }
          } catch (error) {
            // A failed statement inside the script's BEGIN would leave the session's transaction aborted.
            await client.exec('rollback').catch(() => {})
            throw error
          }
        }),
    }
  }

  const client = connection.client
  return {
    executeSql: (text, values) =>
      run(async () => {
        if (values?.length) return { rows: rowsOf(await client.unsafe(text, values.map(toDriverValue) as never[])) }
        // postgres.js refuses BEGIN on a pooled connection: the next query could land elsewhere.
        // pg-boss's scripts hold their transaction within one message, so one reserved connection
        // serves the whole script.
        if (!/^\s*begin\b/i.test(text)) return { rows: lastResult(await client.unsafe(text)) }
        const reserved = await client.reserve()
        try {
          return { rows: lastResult(await reserved.unsafe(text)) }
        } catch (error) {
          await reserved.unsafe('rollback').catch(() => {})
          throw error
        } finally {
          reserved.release()
        }
      }),
  }
}

/** postgres.js answers a script with one result per statement; pg-boss reads the last one. */
function lastResult(result: unknown[]) {
  const isScript = result.length > 0 && result.every((r) => Array.isArray(r) && 'command' in r)
  return isScript ? (result.at(-1) as unknown[]) : result
}

/**
 * Runs pg-boss's statement through a drizzle transaction, so the job row commits or rolls back
 * with the caller's writes.
 */
function transactionAdapter(tx: DbOrTx): PgBoss.Db {
  return {
    async executeSql(text, values = []) {
      return { rows: rowsOf(await tx.execute(toDrizzleSql(text, values.map(toDriverValue)))) }
    },
  }
}

/**
 * pg-boss's `$n` text as a drizzle query. Each value is bound once and later uses refer to the
 * number drizzle gave it (drizzle numbers parameters in order of appearance): binding a value once
 * per use would let Postgres infer a different type at each place and reject it at one of them
 * (`$5` is both text and timestamptz in pg-boss's insert).
 */
function toDrizzleSql(text: string, values: unknown[]): SQL {
  const query = sql.empty()
  const numbers = new Map<number, number>()
  let end = 0
  for (const match of text.matchAll(/\$(\d+)/g)) {
    query.append(sql.raw(text.slice(end, match.index)))
    const index = Number(match[1])
    const bound = numbers.get(index)
    if (bound) {
      query.append(sql.raw(`$${bound}`))
    } else {
      numbers.set(index, numbers.size + 1)
      query.append(sql`${sql.param(values[index - 1])}`)
    }
    end = match.index + match[0].length
  }
  query.append(sql.raw(text.slice(end)))
  return query
}

function createBoss(options: Partial<PgBoss.ConstructorOptions> = {}) {
  const boss = new PgBoss({ db: connectionAdapter(), migrate: false, ...JOB_DEFAULTS, ...options })
  // pg-boss reports polling and maintenance failures as events; an unheard 'error' event would crash the process.
  boss.on('error', (error) => log.warn('pg-boss:', error.message ?? error))
  return boss
}

function getBoss(): PgBoss {
  const state = jobState()
  if (state.boss) return state.boss
  state.boss = createBoss()
  state.removeCloseHook = onBeforeClose(stopJobs)
  return state.boss
}

/**
 * Installs or upgrades pg-boss's tables and creates every queue; part of migrating the database,
 * so every database (every test database too) has them. Three queries when all is in place.
 */
export async function ensureJobSchema() {
  // A boss of its own that may migrate (the process-wide one never does): pg-boss's start() is
  // where it installs its schema, under its own advisory lock, tolerating a racing process.
  const installer = createBoss({ migrate: true, supervise: false, schedule: false })
  await installer.start()
  try {
    const existing = new Set((await installer.getQueues()).map((q) => q.name))
    for (const name of Object.values(QUEUES)) {
      if (!existing.has(name)) await installer.createQueue(name, { name, ...QUEUE_OPTIONS[name] })
    }
  } finally {
    await installer.stop({ graceful: false, close: false })
  }
}

/**
 * Queues a job as part of `tx`: it exists once `tx` commits and never if it rolls back. Returns the
 * job's id, or null when a job with the same singletonKey is already waiting.
 */
export async function enqueue(tx: DbOrTx, name: QueueName, data: object, options: JobOptions = {}) {
  return getBoss().send(name, data, { ...options, db: transactionAdapter(tx) })
}

/** Handlers are looked up when work starts; registering a name again replaces its handler. */
export function registerJobHandler(name: QueueName, handler: JobHandler) {
  jobState().handlers.set(name, handler)
}

async function runHandler(name: string, handler: JobHandler, job: PgBoss.Job<object>) {
  const { busy } = jobState()
  busy.handlers++
  try {
    await handler(job.data)
  } catch (error) {
    log.warn(`job ${name} ${job.id} failed, pg-boss will retry it if it has tries left:`, error instanceof Error ? error.message : error)
    throw error
  } finally {
    busy.handlers--
  }
}

/**
 * Polls every queue that has a handler and keeps the recurring schedules. Needs ensureJobSchema
 * to have run (npm start migrates first; a separate worker process migrates nothing).
 */
export async function startWorkers({ schedules = SCHEDULES }: { schedules?: Partial<Record<QueueName, string>> } = {}) {
  const state = jobState()
  if (state.workersStarted) return
  state.workersStarted = true
  const boss = getBoss()
  try {
    await boss.start()
  } catch (error) {
    state.workersStarted = false
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`The job queue cannot start (${reason}); has the database been migrated (npm run db:migrate)?`, { cause: error })
  }
  for (const [name, handler] of state.handlers) {
    await boss.work<object>(name, { batchSize: 1 }, async ([job]) => runHandler(name, handler, job))
  }
  for (const [name, cron] of Object.entries(schedules)) {
    // Without a handler the runs would pile up unprocessed, one a minute, until one arrives.
    if (!state.handlers.has(name)) {
      log.warn(`not scheduling ${name}: no handler is registered for it`)
      continue
    }
    await boss.schedule(name, cron, {}, SCHEDULED_JOB_OPTIONS)
  }
}

/**
 * Stops polling, lets running handlers finish (up to 30 s; pg-boss fails any still running so
 * they are retried) and forgets the instance. Safe to call twice; closeDatabase calls it first.
 */
export async function stopJobs() {
  const state = jobState()
  const boss = state.boss
  if (!boss) return
  state.boss = null
  state.workersStarted = false
  state.removeCloseHook?.()
  state.removeCloseHook = null
  await boss.stop({ graceful: true, close: false, timeout: 30_000 })
  // pg-boss's stop returns while a poll it already sent may still come back with a job, and it
  // completes jobs without waiting: wait for both before the connection may close.
  const deadline = Date.now() + 30_000
  while ((state.busy.queries > 0 || state.busy.handlers > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * Runs the waiting jobs of one queue here and now, one at a time, without the polling workers (for
 * tests and command-line tools). A failing job is failed in pg-boss, so its retry policy applies.
 */
export async function drainQueue(name: QueueName, { maxJobs = 100 }: { maxJobs?: number } = {}) {
  const handler = jobState().handlers.get(name)
  if (!handler) throw new Error(`No handler is registered for the job queue ${name}.`)
  const boss = getBoss()
  // pg-boss fetches jobs whose start_after < now(), and PGlite's clock ticks in milliseconds: a job
  // queued in this very millisecond would look not yet due. Every job queued before the call is.
  await new Promise((resolve) => setTimeout(resolve, 2))
  let completed = 0
  let failed = 0
  while (completed + failed < maxJobs) {
    const [job] = await boss.fetch<object>(name)
    if (!job) break
    try {
      await runHandler(name, handler, job)
    } catch (error) {
      await boss.fail(name, job.id, error as object)
      failed++
      continue
    }
    await boss.complete(name, job.id)
    completed++
  }
  return { completed, failed }
}
