/**
 * The one job queue: pg-boss on the application's own database connection. Jobs are rows written
 * in the same transaction as the change that caused them, so a rolled-back change leaves no job and
 * a committed one always gets its job, whatever happens to the process afterwards. Which queues
 * exist and who handles them is the registry's business (registry.ts, app/jobs.server.ts).
 */
import { sql } from 'drizzle-orm'
import PgBoss from 'pg-boss'
import { onBeforeClose, rowsOf, waitForDatabase, type DbOrTx } from '#db/client.server'
import { isDatabaseUnavailable } from '#db/connection-errors'
import { listen } from '#db/listen.server'
import { connectionDb, transactionDb } from './pg-boss-db.server'
import { checkJobRegistry, type Job, type JobRegistry, type Queue } from './registry'

export { defineJob, defineQueue, mergeJobRegistries, type BatchHandler, type Job, type JobHandler, type JobRegistry, type Queue } from './registry'

/**
 * Ten tries with exponential backoff from 30 seconds (pg-boss adds up to as much again at random)
 * spread the retries over 8 to 17 hours: long enough to outlast a mail server's outage, short
 * enough that a mail still matters when it arrives.
 */
const JOB_DEFAULTS = { retryLimit: 10, retryBackoff: true, retryDelay: 30 } satisfies PgBoss.RetryOptions

/**
 * A job whose acknowledgement was lost (the database went away between the handler and pg-boss's
 * complete()) stays active until it expires, and then runs again. Our handlers take seconds, so
 * five minutes rather than pg-boss's fifteen brings such a job back sooner.
 */
const EXPIRE_IN_SECONDS = 5 * 60

/**
 * While the database is away, pg-boss's own statements (fetching, completing, failing, maintenance)
 * are tried again until it answers, for this long; each is safe to repeat (complete and fail only
 * change active jobs; a fetch whose answer was lost leaves its jobs to expire). A handler that failed
 * because the database went away runs again once it is back, up to this many times, instead of
 * being failed and retried a minute later.
 */
const RETRY_WHILE_AWAY_MS = 60_000
const HANDLER_RUNS_WHILE_AWAY = 5

/**
 * Each worker takes up to this many jobs of its queue at once and runs them side by side (or its
 * batch handler on them all), and fetches again at once while it finds full batches. 25 rather
 * than 10 drains index and outbox jobs a third faster and mail through SMTP nearly twice as fast
 * (npm run bench -- jobs), and stays well under a mail server's limit of connections per client.
 * A queued job wakes the workers of its queue through NOTIFY on this channel, sent by a trigger on
 * pg-boss's job table (see jobNotifyTrigger), so in the enqueuing transaction and delivered on
 * commit; pg-boss's polling every two seconds is only the fallback.
 */
const BATCH_SIZE = 25
const JOBS_CHANNEL = 'parley_jobs'

// A failed run of a scheduled job is not retried: the next run, a minute later, does the same work.
const SCHEDULED_JOB_OPTIONS = { retryLimit: 0 } satisfies PgBoss.ScheduleOptions

const log = {
  warn: (...args: unknown[]) => console.warn('[jobs]', ...args),
}

export type JobOptions = Omit<PgBoss.SendOptions, 'db'>

type JobState = {
  boss: PgBoss | null
  workersStarted: boolean
  /** Queries pg-boss has in flight and handlers running: stopping waits for both to reach zero. */
  busy: { queries: number; handlers: number }
  removeCloseHook: (() => void) | null
  /** Set by stopJobs: nothing waits for an absent database any longer. */
  stopping: boolean
  /** Stops listening for NOTIFY about new jobs. */
  unlisten: (() => Promise<void>) | null
}

// Like the database connection, one per process although the server script and the Remix build
// each load this module: both copies must reach the same pg-boss instance and its workers.
const stateKey = Symbol.for('parley.jobs')
type GlobalWithJobs = typeof globalThis & { [stateKey]?: JobState }

function jobState(): JobState {
  const g = globalThis as GlobalWithJobs
  return (g[stateKey] ??= { boss: null, workersStarted: false, busy: { queries: 0, handlers: 0 }, removeCloseHook: null, stopping: false, unlisten: null })
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The process's connection, counting queries in flight so stopJobs can wait for them, and riding
 * out a database restart: a statement that failed because the database is away is sent again once
 * it answers (see RETRY_WHILE_AWAY_MS).
 */
function trackedConnectionDb(): PgBoss.Db {
  const db = connectionDb()
  const state = jobState()
  return {
    async executeSql(text, values) {
      state.busy.queries++
      try {
        const giveUpAt = Date.now() + RETRY_WHILE_AWAY_MS
        for (let wait = 250; ; wait = Math.min(wait * 2, 2000)) {
          try {
            return await db.executeSql(text, values)
          } catch (error) {
            if (!isDatabaseUnavailable(error) || state.stopping || Date.now() + wait > giveUpAt) throw error
            await pause(wait)
          }
        }
      } finally {
        state.busy.queries--
      }
    },
  }
}

function createBoss(options: Partial<PgBoss.ConstructorOptions> = {}) {
  const boss = new PgBoss({ db: trackedConnectionDb(), migrate: false, expireInSeconds: EXPIRE_IN_SECONDS, ...JOB_DEFAULTS, ...options })
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
 * Every job row inserted, by whatever statement (enqueue, enqueueMany, pg-boss's own schedules),
 * sends NOTIFY on JOBS_CHANNEL with its queue's name: no extra round trip per enqueue, nothing for
 * a job that a singletonKey dropped, and PostgreSQL folds the repeats of one transaction into one
 * message. A row trigger on the partitioned table applies to every queue's partition, present and
 * future. Created only when missing: creating a trigger locks the table against inserts, which a
 * migration on a running system should not do for nothing.
 */
const jobNotifyTrigger = `
  CREATE OR REPLACE FUNCTION pgboss.parley_notify_job() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('${JOBS_CHANNEL}', NEW.name);
    RETURN NULL;
  END
  $$;
  DO $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'parley_notify_job' AND tgrelid = 'pgboss.job'::regclass) THEN
      CREATE TRIGGER parley_notify_job AFTER INSERT ON pgboss.job FOR EACH ROW EXECUTE FUNCTION pgboss.parley_notify_job();
    END IF;
  END
  $$;
`

/**
 * Installs or upgrades pg-boss's tables and creates the queues that are missing; part of
 * migrating the database (app/platform/migrate.server.ts), so every database has them, with the
 * trigger that announces new jobs. Four queries when all is in place.
 */
export async function ensureJobSchema(queues: readonly Queue<any>[]) {
  // A boss of its own that may migrate (the process-wide one never does): pg-boss's start() is
  // where it installs its schema, under its own advisory lock, tolerating a racing process.
  const installer = createBoss({ migrate: true, supervise: false, schedule: false })
  await installer.start()
  try {
    await connectionDb().executeSql(jobNotifyTrigger, [])
    const existing = new Map((await installer.getQueues()).map((q) => [q.name, q.policy ?? 'standard']))
    for (const { name, policy = 'standard' } of queues) {
      if (!existing.has(name)) await installer.createQueue(name, { name, policy })
      // A queue whose declared policy changed: jobs queued from now on follow the new one (each
      // job row carries the policy it was queued under, so waiting jobs keep theirs).
      else if (existing.get(name) !== policy) await installer.updateQueue(name, { name, policy })
    }
  } finally {
    await installer.stop({ graceful: false, close: false })
  }
}

/**
 * Queues a job as part of `tx`: it exists once `tx` commits and never if it rolls back. Returns the
 * job's id, or null when a job with the same singletonKey (or, on a singleton or stately queue, any
 * job) is already waiting.
 */
export async function enqueue<Data extends object>(tx: DbOrTx, queue: Queue<Data>, data: Data, options: JobOptions = {}) {
  // The insert also wakes the queue's workers in every process once `tx` commits (jobNotifyTrigger).
  const id = await getBoss().send(queue.name, data, { ...options, db: transactionDb(tx) })
  // pg-boss's insert joins the queue's row, so a queue that was never created swallows the job;
  // on a standard queue without throttling that is the only way to get no id.
  const throttled = options.singletonKey !== undefined || options.singletonSeconds !== undefined
  if (id === null && !throttled && (queue.policy ?? 'standard') === 'standard') {
    throw new Error(`The job queue ${queue.name} does not exist: is it in the job registry (app/jobs.server.ts), and is the database migrated?`)
  }
  return id
}

/**
 * Queues several jobs of one queue as part of `tx`, in one statement. A job whose singletonKey
 * already has a waiting job on a 'short' queue (or that another limit of its queue refuses) is
 * dropped without a word: that is the point of the key. Unlike enqueue, it cannot tell a queue that
 * was never created from such a drop, so it is for queues whose jobs carry a singletonKey.
 */
export async function enqueueMany<Data extends object>(tx: DbOrTx, queue: Queue<Data>, jobs: readonly { data: Data; options?: Pick<JobOptions, 'singletonKey'> }[]) {
  if (jobs.length === 0) return
  await getBoss().insert(
    jobs.map(({ data, options }) => ({ name: queue.name, data, ...options })),
    { db: transactionDb(tx) },
  )
}

/**
 * Queues a job for `key` as part of `tx`, unless one for that key is still waiting: then that one
 * will do, and it must not run before `tx` commits, or it would miss what `tx` wrote. So the waiting
 * job's row is locked until `tx` ends (pg-boss fetches with FOR UPDATE SKIP LOCKED, so no worker
 * takes it meanwhile). Without the lock a burst lost changes: a worker took the waiting job while a
 * dropped writer had not yet committed (5 answers missing from the index in the restart test).
 * For queues with the 'short' policy (one waiting job per singletonKey).
 */
export async function enqueueOncePerKey<Data extends object>(tx: DbOrTx, queue: Queue<Data>, data: Data, key: string) {
  // A few rounds at most: each ends with the waiting job locked or ours queued, unless another
  // transaction's job appears (or is taken by a worker) between the two statements.
  for (let round = 0; round < 5; round++) {
    const held = rowsOf(await tx.execute(sql`update pgboss.job set start_after = start_after where name = ${queue.name} and singleton_key = ${key} and state = 'created' returning id`))
    if (held.length > 0) return
    if ((await enqueue(tx, queue, data, { singletonKey: key })) !== null) return
  }
  throw new Error(`Could not queue ${queue.name} for ${key}: the waiting job kept changing hands.`)
}

/** Runs the handler; when it failed because the database went away, again once it is back. */
async function runHandlerRidingOutRestarts(job: Job, data: object) {
  return rideOutRestarts(job, () => job.handler(data))
}

async function rideOutRestarts(job: Job, run: () => Promise<void>) {
  const state = jobState()
  for (let attempt = 1; ; attempt++) {
    try {
      return await run()
    } catch (error) {
      if (!isDatabaseUnavailable(error) || state.stopping || attempt >= HANDLER_RUNS_WHILE_AWAY) throw error
      log.warn(`job ${job.queue.name}: the database is away; running it again once it answers`)
      if (!(await waitForDatabase(RETRY_WHILE_AWAY_MS)) || state.stopping) throw error
    }
  }
}

// On globalThis like the job state: the metrics listen on one module copy, handlers may run on the other.
const failureListenersKey = Symbol.for('parley.jobs.failure-listeners')
type GlobalWithFailureListeners = typeof globalThis & { [failureListenersKey]?: Set<(queue: string) => void> }
const failureListeners = () => ((globalThis as GlobalWithFailureListeners)[failureListenersKey] ??= new Set())

/** Calls `listener` with the queue's name each time one of its handlers throws (the metrics count them). */
export function onJobFailure(listener: (queue: string) => void) {
  failureListeners().add(listener)
  return () => void failureListeners().delete(listener)
}

async function runHandler(job: Job, pgBossJob: PgBoss.Job<object>) {
  const { busy } = jobState()
  busy.handlers++
  try {
    await runHandlerRidingOutRestarts(job, pgBossJob.data)
  } catch (error) {
    const reason = error instanceof Error ? error.message : error
    log.warn(`job ${job.queue.name} ${pgBossJob.id} failed, pg-boss will retry it if it has tries left:`, reason)
    for (const listener of failureListeners()) listener(job.queue.name)
    throw error
  } finally {
    busy.handlers--
  }
}

/**
 * Runs a batch through the job's batch handler; true when that did them all. False (nothing
 * thrown) when it failed, and the caller runs each job on its own.
 */
async function runBatchHandler(job: Job, pgBossJobs: PgBoss.Job<object>[]) {
  const { busy } = jobState()
  busy.handlers++
  try {
    await rideOutRestarts(job, () => job.batchHandler!(pgBossJobs.map((j) => j.data)))
    return true
  } catch (error) {
    const reason = error instanceof Error ? error.message : error
    log.warn(`a batch of ${pgBossJobs.length} ${job.queue.name} jobs failed; running them one by one:`, reason)
    return false
  } finally {
    busy.handlers--
  }
}

/**
 * Polls every queue of the registry and keeps their schedules. Refuses to start, naming the queue,
 * when a queue has no handler, a handler has no queue, or a queue is missing from the database
 * (npm start migrates first; a separate worker process migrates nothing).
 */
export async function startWorkers(registry: JobRegistry) {
  checkJobRegistry(registry)
  const state = jobState()
  if (state.workersStarted) return
  state.workersStarted = true
  const boss = getBoss()
  try {
    await boss.start()
    const existing = new Set((await boss.getQueues()).map((q) => q.name))
    const missing = registry.queues.find((queue) => !existing.has(queue.name))
    if (missing) throw new Error(`the queue ${missing.name} does not exist in the database`)
  } catch (error) {
    // Stopped, not left half-started: maintenance would otherwise keep polling beside the error.
    await stopJobs()
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`The job queue cannot start (${reason}); has the database been migrated (npm run db:migrate)?`, { cause: error })
  }
  const workerIds = new Map<string, string>()
  for (const job of registry.jobs) {
    const name = job.queue.name
    const workerId = await boss.work<object>(name, { batchSize: BATCH_SIZE }, async (jobs) => {
      // A full batch says more may be waiting: fetch again as soon as this one is done.
      if (jobs.length === BATCH_SIZE) boss.notifyWorker(workerIds.get(name)!)
      if (job.batchHandler && jobs.length > 1 && (await runBatchHandler(job, jobs))) return
      // Each job settles on its own: a failed one is failed here (its retries apply), and pg-boss
      // then completes the batch, which changes only the jobs still active.
      await Promise.all(
        jobs.map((pgBossJob) =>
          runHandler(job, pgBossJob).catch((error: unknown) => boss.fail(name, pgBossJob.id, { message: error instanceof Error ? error.message : String(error) })),
        ),
      )
    })
    workerIds.set(name, workerId)
    if (job.queue.schedule) await boss.schedule(name, job.queue.schedule, {}, SCHEDULED_JOB_OPTIONS)
  }
  state.unlisten = await listen(JOBS_CHANNEL, (queueName) => {
    const workerId = workerIds.get(queueName)
    if (workerId && state.boss === boss) boss.notifyWorker(workerId)
  })
}

/**
 * Stops polling, lets running handlers finish (up to 30 s; pg-boss fails any still running so
 * they are retried) and forgets the instance. Safe to call twice; closeDatabase calls it first.
 */
export async function stopJobs() {
  const state = jobState()
  const boss = state.boss
  if (!boss) return
  state.stopping = true
  state.boss = null
  state.workersStarted = false
  state.removeCloseHook?.()
  state.removeCloseHook = null
  await state.unlisten?.()
  state.unlisten = null
  await boss.stop({ graceful: true, close: false, timeout: 30_000 })
  // pg-boss's stop returns while a poll it already sent may still come back with a job, and it
  // completes jobs without waiting: wait for both before the connection may close.
  const deadline = Date.now() + 30_000
  while ((state.busy.queries > 0 || state.busy.handlers > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  state.stopping = false
}

/**
 * Runs the waiting jobs of one queue here and now with `job`'s handler, one at a time, without the
 * polling workers (for tests and command-line tools). A failing job is failed in pg-boss, so its
 * retry policy applies.
 */
export async function drainQueue(job: Job, { maxJobs = 100 }: { maxJobs?: number } = {}) {
  const name = job.queue.name
  const boss = getBoss()
  // pg-boss fetches jobs whose start_after < now(), and PGlite's clock ticks in milliseconds: a job
  // queued in this very millisecond would look not yet due. Every job queued before the call is.
  await new Promise((resolve) => setTimeout(resolve, 2))
  let completed = 0
  let failed = 0
  while (completed + failed < maxJobs) {
    const [pgBossJob] = await boss.fetch<object>(name)
    if (!pgBossJob) break
    try {
      await runHandler(job, pgBossJob)
    } catch (error) {
      await boss.fail(name, pgBossJob.id, error as object)
      failed++
      continue
    }
    await boss.complete(name, pgBossJob.id)
    completed++
  }
  return { completed, failed }
}
