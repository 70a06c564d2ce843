/**
 * For load balancers and orchestrators: /healthz says the process is alive (no database involved,
 * so a database outage never gets healthy processes killed), /readyz says this process can serve
 * (the database answers within a second and has the newest migration). Both answer before any
 * session lookup or page rendering: no cookie is read or set, nothing is cached.
 */
import type { NextFunction, Request, Response } from 'express'
import { sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { latestMigrationApplied } from '#db/migrate'

const READY_TIMEOUT_MS = 1_000

export type Readiness = { ready: true } | { ready: false; reason: string }

/** Whether the database answers within a second and has every committed migration. */
export async function checkReadiness(timeoutMs = READY_TIMEOUT_MS): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: `the database did not answer within ${timeoutMs} ms` }), timeoutMs)
  })
  const check = (async (): Promise<Readiness> => {
    try {
      await db.execute(sql`select 1`)
    } catch (error) {
      return { ready: false, reason: `the database is unreachable (${describe(error)})` }
    }
    return (await latestMigrationApplied()) ? { ready: true } : { ready: false, reason: 'migrations are pending' }
  })().catch((error: unknown): Readiness => ({ ready: false, reason: `the database failed the check (${describe(error)})` }))
  try {
    return await Promise.race([check, timeout])
  } finally {
    clearTimeout(timer)
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause
  const inner = cause instanceof Error ? cause : error
  return inner instanceof Error ? inner.message.split('\n')[0].slice(0, 200) : String(error)
}

/** GET /healthz and GET /readyz; every other request goes on. */
export function healthEndpoints(req: Request, res: Response, next: NextFunction) {
  if (req.path !== '/healthz' && req.path !== '/readyz') return next()
  if (req.method !== 'GET' && req.method !== 'HEAD') return next()
  res.set('Cache-Control', 'no-store')
  res.locals.route = req.path.slice(1)
  if (req.path === '/healthz') return void res.type('text/plain').send('ok')
  checkReadiness().then(
    (readiness) => {
      if (readiness.ready) res.status(200).json({ status: 'ready' })
      else res.status(503).json({ status: 'unavailable', reason: readiness.reason })
    },
    (error) => next(error),
  )
}
