/**
 * Process supervision for `npm start` and `npm run worker` (docs/decisions/018-supervision-metrics-logs.md):
 * the cluster primary keeps N web workers and a warm spare alive, and every process stops the same way on SIGTERM
 * or SIGINT: stop taking work, finish what is in flight, close the database, exit 0.
 */
import cluster, { type Worker } from 'node:cluster'
import type { Server } from 'node:http'
import type { NextFunction, Request, Response } from 'express'
import { logger } from '~/platform/logger.server'

/** How long requests in flight may take to finish once a worker is told to stop. */
export const DRAIN_TIMEOUT_MS = 10_000
/** The primary's last resort: workers still alive this long after the signal are killed. */
const STOP_DEADLINE_MS = 60_000
/** Crashes within this window count towards the crash-loop guard. */
const CRASH_WINDOW_MS = 60_000
/** Crashes in the window that are replaced at once; after that, each waits twice as long, up to 30 s. */
const CRASHES_REPLACED_AT_ONCE = 3
const MAX_REPLACE_DELAY_MS = 30_000

/** The wait before replacing a crashed worker, given how many crashed within the last minute (this one included). */
export function replacementDelay(recentCrashes: number) {
  if (recentCrashes <= CRASHES_REPLACED_AT_ONCE) return 0
  return Math.min(MAX_REPLACE_DELAY_MS, 1_000 * 2 ** (recentCrashes - CRASHES_REPLACED_AT_ONCE - 1))
}

let stopping = false
let stopAction: ((signal: NodeJS.Signals) => Promise<void>) | null = null

/** Whether this process has been told to stop. */
export const isStopping = () => stopping

// On globalThis: app/server.ts and the Remix build each load their own copy of this module.
const stoppingHooksKey = Symbol.for('parley.stopping-hooks')
const stoppingHooks = () => ((globalThis as { [stoppingHooksKey]?: Set<() => void> })[stoppingHooksKey] ??= new Set())

/**
 * Runs `hook` as soon as the process is told to stop, before the server drains: long-lived
 * responses (event streams) end then, instead of holding the drain until its deadline.
 */
export function onStopping(hook: () => void) {
  stoppingHooks().add(hook)
}

/**
 * On the first SIGTERM or SIGINT, runs the latest `stop` given here, then exits 0 (1 if stopping
 * failed). A later call replaces the action: a warm spare that starts serving then drains its server.
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => Promise<void>) {
  const installed = stopAction !== null
  stopAction = stop
  if (installed) return
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping')
    for (const hook of stoppingHooks()) hook()
    stopAction!(signal).then(
      () => {
        logger.info('stopped')
        process.exit(0)
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stopping failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', handle)
  process.on('SIGINT', handle)
}

/**
 * Stops `server` taking connections and waits for the requests in flight (idle keep-alive sockets
 * are closed as they go quiet; after DRAIN_TIMEOUT_MS the rest are cut), then runs `cleanup`.
 */
export function drainServer(server: Server, cleanup: () => Promise<void>, timeoutMs = DRAIN_TIMEOUT_MS) {
  onStopSignal(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    // A keep-alive socket becomes idle when its response ends; close it then rather than at the deadline.
    const sweep = setInterval(() => server.closeIdleConnections(), 100)
    const deadline = setTimeout(() => {
      logger.warn({ timeoutMs }, 'requests still running at the drain deadline; closing their connections')
      server.closeAllConnections()
    }, timeoutMs)
    try {
      await closed
    } finally {
      clearInterval(sweep)
      clearTimeout(deadline)
    }
    await cleanup()
  })
}

/** Responses sent while stopping ask the client not to reuse the connection. */
export function closeConnectionsWhileStopping(_req: Request, res: Response, next: NextFunction) {
  if (stopping) res.set('Connection', 'close')
  next()
}

const SPARE_READY = 'parley:spare-ready'
const SERVE = 'parley:serve'

/** In a worker: whether the primary forked it as the warm spare. */
export const isWarmSpare = () => cluster.isWorker && process.env.PARLEY_WORKER_ROLE === 'spare'

/**
 * In the warm spare, once it has loaded everything: tells the primary it is ready and resolves
 * when the primary asks it to take a crashed worker's place.
 */
export function waitUntilNeeded(): Promise<void> {
  return new Promise((resolve) => {
    const listener = (message: { type?: string }) => {
      if (message?.type !== SERVE) return
      process.off('message', listener)
      resolve()
    }
    process.on('message', listener)
    process.send!({ type: SPARE_READY })
  })
}

/**
 * In the primary: forks `count` web workers (this same script, run again with cluster.isWorker)
 * plus one warm spare that loads everything but does not listen. A worker that exits unexpectedly
 * is replaced by the spare, which only has to start listening (a cold fork takes seconds to load),
 * and a new spare is forked; without a ready spare a new worker is forked at once. Workers that
 * keep crashing make each replacement wait longer (replacementDelay). On SIGTERM/SIGINT it passes
 * the signal on and exits 0 once every worker has stopped. `onServing` runs once, when the first
 * `count` workers listen.
 */
export function superviseWorkers({ count, onServing }: { count: number; onServing: () => void }) {
  const alive = new Set<Worker>()
  const crashes: number[] = []
  let spare: { worker: Worker; ready: boolean } | null = null
  let listening = 0

  // A web worker allocates a few megabytes per page and keeps little of it. With V8's default 16 MB
  // young generation it ran a scavenge every few requests; 64 MB took ~15% off the signed-in
  // thread's CPU per request (tests/bench/run.ts, back-to-back pairs). A flag the operator passed
  // (NODE_OPTIONS or the command line) wins.
  const youngGeneration = /--max-semi-space-size/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`) ? [] : ['--max-semi-space-size=64']
  cluster.setupPrimary({ execArgv: [...process.execArgv, ...youngGeneration] })
  const fork = (role: 'web' | 'spare') => {
    const worker = cluster.fork({ PARLEY_WORKER_ROLE: role })
    alive.add(worker)
    if (role === 'spare') {
      const current = { worker, ready: false }
      spare = current
      worker.on('message', (message: { type?: string }) => {
        if (message?.type !== SPARE_READY) return
        current.ready = true
        logger.info({ workerPid: worker.process.pid }, 'the warm spare is ready')
      })
    }
    worker.once('listening', () => {
      logger.info({ workerPid: worker.process.pid }, 'web worker is serving')
      if (++listening === count) onServing()
    })
  }

  const replace = (crashed: Worker, delay: number) => {
    if (spare?.worker === crashed) {
      spare = null
      setTimeout(() => stopping || fork('spare'), delay)
      return
    }
    if (spare?.ready) {
      spare.worker.send({ type: SERVE })
      logger.info({ workerPid: spare.worker.process.pid }, 'the warm spare takes over')
      spare = null
      setTimeout(() => stopping || fork('spare'), delay)
      return
    }
    setTimeout(() => stopping || fork('web'), delay)
  }

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker)
    if (stopping) {
      if (code !== 0) logger.warn({ workerPid: worker.process.pid, code, signal }, 'web worker stopped with an error')
      if (alive.size === 0) {
        logger.info('every web worker has stopped')
        process.exit(0)
      }
      return
    }
    const now = Date.now()
    crashes.push(now)
    while (crashes[0] < now - CRASH_WINDOW_MS) crashes.shift()
    const delay = replacementDelay(crashes.length)
    const role = spare?.worker === worker ? 'spare' : 'web'
    logger.error({ workerPid: worker.process.pid, role, code, signal, crashesLastMinute: crashes.length, replaceInMs: delay }, 'web worker exited unexpectedly; replacing it')
    replace(worker, delay)
  })

  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ signal, workers: alive.size }, 'stopping: asking every web worker to finish its requests and jobs')
    if (alive.size === 0) process.exit(0)
    // Straight to the process: cluster's worker.kill() would first cut the IPC channel.
    for (const worker of alive) worker.process.kill('SIGTERM')
    setTimeout(() => {
      logger.error({ workers: alive.size }, 'web workers did not stop in time; killing them')
      for (const worker of alive) worker.process.kill('SIGKILL')
      process.exit(1)
    }, STOP_DEADLINE_MS).unref()
  }
  process.on('SIGTERM', handle)
  process.on('SIGINT', handle)

  for (let i = 0; i < count; i++) fork('web')
  fork('spare')
}
