/**
 * What a domain declares about its background work, and the check that the declarations fit
 * together. The platform knows no queue by name: each domain declares its queues where it sends
 * their jobs, lists them with their handlers in its `jobs.server.ts`, and `app/jobs.server.ts`
 * gathers every domain's list into the one registry that migrations and workers are given.
 */
import type PgBoss from 'pg-boss'

export type QueuePolicy = PgBoss.QueuePolicy

/** `Data` is the payload's type; it exists only for the compiler, so enqueue and handler agree. */
export type Queue<Data extends object = object> = {
  readonly name: string
  /** pg-boss's queue policy: `singleton` runs one job at a time, `stately` also keeps one waiting. */
  readonly policy?: QueuePolicy
  /** Cron (UTC): the workers queue a run at every tick. A failed run is not retried; the next tick does the work. */
  readonly schedule?: string
  readonly __data?: Data
}

export type JobHandler<Data extends object = object> = (data: Data) => Promise<void>

/**
 * Runs a whole batch of a queue's jobs at once (one query for many jobs, say). It must do exactly
 * what the handler would do for each; when it throws, the worker runs the handler on each job
 * instead, so a failure lands on the job that fails.
 */
export type BatchHandler<Data extends object = object> = (data: Data[]) => Promise<void>

export type Job<Data extends object = any> = {
  readonly queue: Queue<Data>
  readonly handler: JobHandler<Data>
  readonly batchHandler?: BatchHandler<Data>
}

/** One domain's part of the registry, or the whole registry. */
export type JobRegistry = {
  readonly queues: readonly Queue<any>[]
  readonly jobs: readonly Job[]
}

export function defineQueue<Data extends object = Record<string, never>>(
  name: string,
  options: { policy?: QueuePolicy; schedule?: string } = {},
): Queue<Data> {
  return { name, ...options }
}

export function defineJob<Data extends object>(queue: Queue<Data>, handler: JobHandler<Data>, options: { batchHandler?: BatchHandler<Data> } = {}): Job<Data> {
  return { queue, handler, ...options }
}

export function mergeJobRegistries(parts: readonly JobRegistry[]): JobRegistry {
  return { queues: parts.flatMap((part) => part.queues), jobs: parts.flatMap((part) => part.jobs) }
}

/**
 * Throws, naming the queue, unless every queue has exactly one handler and every handler belongs
 * to a declared queue: a queue without a handler keeps its jobs forever without a word, and a
 * handler for an undeclared queue is never given a job.
 */
export function checkJobRegistry({ queues, jobs }: JobRegistry) {
  const declared = new Map<string, Queue<any>>()
  for (const queue of queues) {
    if (declared.has(queue.name)) throw new Error(`The job queue ${queue.name} is declared twice in the job registry (app/jobs.server.ts).`)
    declared.set(queue.name, queue)
  }
  const handled = new Set<string>()
  for (const { queue } of jobs) {
    if (!declared.has(queue.name)) {
      throw new Error(`A job handler names the queue ${queue.name}, which is not in the job registry: add the queue to its domain's jobs.server.ts.`)
    }
    if (handled.has(queue.name)) throw new Error(`The job queue ${queue.name} has two handlers in the job registry.`)
    handled.add(queue.name)
  }
  for (const queue of queues) {
    if (!handled.has(queue.name)) {
      throw new Error(`The job queue ${queue.name} has no handler: its jobs would wait forever. Add one to its domain's jobs.server.ts.`)
    }
  }
}
