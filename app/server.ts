/**
 * `npm start`: builds the app if its sources changed, applies migrations, seeds what is missing,
 * then serves Remix over Express. On PostgreSQL this process is the cluster's primary: it prepares
 * the database once, then forks WEB_CONCURRENCY web workers (this same script) and a warm spare,
 * replaces any that crashes and stops them all gracefully on SIGTERM; on PGlite it serves by itself, since two
 * processes must never open one data directory (docs/decisions/018-supervision-metrics-logs.md).
 * Sessions are read once per request and handed to loaders and actions through the load context.
 * Every web process runs the job workers too unless JOBS_IN_PROCESS=0.
 */
import { spawnSync } from 'node:child_process'
import cluster from 'node:cluster'
import { once } from 'node:events'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRemixRequest } from '@remix-run/express/dist/server.js'
import { createRequestHandler as createFetchHandler, type ServerBuild } from '@remix-run/node'
import express, { type NextFunction, type Request, type Response } from 'express'
import { closeDatabase } from '#db/client.server'
import { demoAccountsExist, demoSeedingAllowed, printDemoAccounts, seedBase, seedDemo } from '../scripts/seed'
import { stopJobs } from '~/platform/jobs/boss.server'
import { migrateAll } from '~/platform/migrate.server'
import { jobRegistry, startJobWorkers } from './jobs.server'
import { getThreadRevision } from '~/forum/questions.server'
import { authenticate, hasSessionCookie } from '~/platform/auth/auth.server'
import { lockedOutOf } from '~/platform/auth/permissions'
import { env } from '~/platform/env.server'
import { themeFromCookie } from '~/platform/theme'
import { questionSlug } from '~/platform/misc'
import { canonicalThreadRedirect, createPageCache, threadAddress } from '~/platform/page-cache.server'
import { timeZoneFromCookie } from '~/platform/time-zone.server'
import { healthEndpoints } from '~/platform/health.server'
import { logger } from '~/platform/logger.server'
import { answerMetricsRequestsFromWorkers, metrics, metricsEndpoint } from '~/platform/metrics.server'
import { labelled, requestLogging } from '~/platform/request-log.server'
import { closeConnectionsWhileStopping, drainServer, isStopping, isWarmSpare, onStopSignal, superviseWorkers, waitUntilNeeded } from '~/platform/supervision.server'
import { createCspNonce, securityHeaders } from '~/platform/security-headers.server'
import { answerDatabaseAway, answerDatabaseAwayErrors } from '~/platform/database-away.server'
import { refuseHostileUrls } from '~/platform/request-input.server'
import { bodyBytes, compressed, sendRemixResponse, withCompression } from '~/platform/send-response.server'
import { queryCountHeader } from '~/platform/query-count.server'
import { pruneRateLimits } from '~/rate-limits/counter.server'
import { rateLimitDefaults } from '~/rate-limits/rules.server'

const root = process.cwd()
const buildFile = path.join(root, 'build/index.js')

function newestSourceChange(dir: string): number {
  // The folder's own time too: renaming or deleting a route keeps every file's mtime but not its folder's.
  let newest = statSync(dir).mtimeMs
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSourceChange(full) : statSync(full).mtimeMs)
  }
  return newest
}

function ensureBuild() {
  // Every folder the build bundles code from: the app, the database layer and the search engines.
  const sourcesChangedAt = Math.max(...['app', 'db', 'search'].map((dir) => newestSourceChange(path.join(root, dir))), statSync(path.join(root, 'remix.config.js')).mtimeMs)
  if (existsSync(buildFile) && statSync(buildFile).mtimeMs >= sourcesChangedAt) return
  logger.info('building Parley')
  const result = spawnSync(path.join(root, 'node_modules/.bin/remix'), ['build'], { stdio: 'inherit' })
  if (result.status !== 0) throw new Error('The build failed; see the messages above.')
}

/**
 * Refuses state-changing requests from other sites (CSRF), on top of SameSite=Lax cookies: every
 * browser sends Origin with a POST, and a form posted from elsewhere carries the other site's.
 */
function sameOriginWrites(req: Request, res: Response, next: NextFunction) {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next()
  // Webhooks (/api/…) come from other servers with no Origin; they carry a shared secret instead
  // of a session cookie, so a forged cross-site request gains nothing there.
  if (req.path.startsWith('/api/')) return next()
  const source = req.get('origin') ?? req.get('referer')
  let sourceHost: string | null = null
  try {
    sourceHost = source ? new URL(source).host : null
  } catch {
    sourceHost = null
  }
  if (sourceHost && sourceHost === req.get('host')) return next()
  res.status(403).type('text/plain').send('Refused: this request came from another site.')
}

type ThreadRevision = Awaited<ReturnType<typeof getThreadRevision>>

/**
 * A public thread has one address (decision 026): `/questions/2`, or any slug but its own, answers
 * 301 to `/questions/2/<slug>` (a later page keeps its `/page/n`, the query string is kept). Hidden
 * and removed threads are left to the route, which decides who may see them: a redirect would tell
 * anyone their title. Data requests are left alone too (client navigations use our own links), and so
 * is a slug in a request with a session: the thread route's loader checks it, from the row it loads
 * anyway (one query less for every signed-in view). The thread's revision row is kept for the page
 * cache, which needs the same row.
 */
function canonicalThreadAddresses(req: Request, res: Response, next: NextFunction) {
  const address = req.method === 'GET' || req.method === 'HEAD' ? threadAddress(req.path) : null
  // A slug with a session: the thread route's loader checks it, with the row it loads anyway.
  if (!address || '_data' in req.query || (address.slug && hasSessionCookie(req.get('cookie')))) return next()
  getThreadRevision({ questionId: address.id }).then((thread) => {
    res.locals.threadRevision = thread
    const to = canonicalThreadRedirect(req.originalUrl, thread && { id: address.id, ...thread })
    if (to) res.redirect(301, to)
    else next()
  }, next)
}

/**
 * Thread pages for visitors without a session come from the page cache while the thread's revision
 * is unchanged; everything else (signed-in users, data requests, other pages) renders fresh. A page
 * shows times in the visitor's zone and absolute links built from the host, so both are in the key.
 */
function anonymousThreadCache(build: ServerBuild) {
  const cache = createPageCache()
  const render = answerDatabaseAway(createFetchHandler(build, build.mode), stylesheetOf(build))
  return async (req: Request, res: Response, next: NextFunction) => {
    const address = req.method === 'GET' ? threadAddress(req.path) : null
    const hasQuery = req.originalUrl.includes('?')
    if (!address || hasQuery || hasSessionCookie(req.get('cookie'))) return next()
    try {
      const thread = (res.locals.threadRevision as ThreadRevision | undefined) ?? (await getThreadRevision({ questionId: address.id }))
      // Only the thread's own address is cached: any other slug still works for a hidden thread's
      // author but renders fresh, so nobody can fill the cache with made-up addresses.
      if (!thread || address.slug !== questionSlug(thread.title)) return next()
      const revision = thread.revision
      // A visitor's theme cookie changes <html data-theme>, the host the absolute links, the zone cookie
      // the times: each combination has its own copy.
      const key = `${themeFromCookie(req.get('cookie'))} ${req.get('host') ?? ''}${req.path}|${timeZoneFromCookie(req.get('cookie'))}`
      let page = cache.get(key, revision)
      res.set('X-Page-Cache', page ? 'hit' : 'miss')
      if (!page) {
        const headers = new Headers()
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value)
        // No nonce: this body is served to many, so entry.server.tsx allows its scripts by hash.
        const context = { user: null, session: null, clientIp: req.ip ?? 'unknown', cspNonce: null, requestId: res.locals.requestId as string }
        const response = await render(new Request(`${req.protocol}://${req.get('host')}${req.originalUrl}`, { headers }), context)
        const body = await bodyBytes(response)
        const entry = { revision, status: response.status, headers: [...response.headers.entries()], body }
        if (response.status !== 200) return sendPage(req, res, { ...entry, gzipped: null })
        cache.set(key, entry)
        page = cache.get(key, revision)!
      }
      sendPage(req, res, page)
    } catch (error) {
      next(error)
    }
  }
}

function sendPage(req: Request, res: Response, page: { status: number; headers: [string, string][]; body: Buffer; gzipped: Buffer | null }) {
  res.status(page.status)
  for (const [name, value] of page.headers) if (name !== 'content-length') res.set(name, value)
  res.vary('Accept-Encoding').vary('Cookie')
  // Compressed once, when cached.
  if (page.gzipped && req.acceptsEncodings('gzip')) res.set('Content-Encoding', 'gzip').end(page.gzipped)
  else res.end(page.body)
}

/** The site's stylesheet, for the pages drawn without Remix (the database-away page). */
function stylesheetOf(build: ServerBuild): string | null {
  const links = (build.routes.root?.module as { links?: () => { rel?: string; href?: string }[] }).links?.() ?? []
  return links.find((link) => link.rel === 'stylesheet')?.href ?? null
}

/**
 * Remix behind Express, as @remix-run/express's createRequestHandler does it, with the session read
 * once per request into the load context, and the 503 for a database that is away
 * (app/platform/database-away.server.ts).
 */
function remixHandler(build: ServerBuild) {
  const handle = answerDatabaseAway(createFetchHandler(build, build.mode), stylesheetOf(build))
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const request = createRemixRequest(req, res)
      const auth = await authenticate(req.get('cookie'))
      if (auth.setCookie) res.append('Set-Cookie', auth.setCookie)
      // A suspended or banned member reads their record and appeals; every other page sends them there.
      if (lockedOutOf(auth.user, req.path)) {
        // A client-side navigation asks for data: Remix follows a redirect it is told of in headers.
        if (req.query._data !== undefined) return res.status(204).set({ 'X-Remix-Redirect': '/me/moderation', 'X-Remix-Status': '302' }).end()
        return res.redirect(303, '/me/moderation')
      }
      const context = { user: auth.user, session: auth.session, clientIp: req.ip ?? 'unknown', cspNonce: createCspNonce(), requestId: res.locals.requestId as string }
      await sendRemixResponse(req, res, await handle(request, context))
    } catch (error) {
      next(error)
    }
  }
}

/**
 * The web application of one process. The order matters: request ids and logs first, then the
 * endpoints for load balancers and monitoring (no session, no cookie), then the site.
 */
/** A path that names a file (`/robots.txt`, `/favicon.svg`), as opposed to a page. */
const FILE_PATH = /\.[A-Za-z0-9]+$/

function createWebApp(build: ServerBuild) {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', env.trustProxy)
  app.use(queryCountHeader)
  app.use(requestLogging(build))
  app.use(closeConnectionsWhileStopping)
  app.use(healthEndpoints)
  app.use(labelled('metrics', metricsEndpoint))
  // Level 3, not zlib's default 6: on a 30 KB page it compresses about three times as fast for 8% more
  // bytes (6 searches lazily for longer matches). Pages from the visitor cache were compressed once, at 6.
  // Browser scripts and styles are immutable and cached for a year, so each is compressed for a
  // first visit only: at level 9, the smallest. Pages are compressed on every request: level 3.
  app.use(securityHeaders)
  app.use(refuseHostileUrls)
  // Files go through the compression middleware, the build's at its highest level (immutable, cached
  // for a year). Pages and data gzip their whole bodies themselves (app/platform/send-response.server.ts),
  // and so does the page cache: the middleware's hooks stay off their path (2 % of a signed-in view).
  app.use('/build', labelled('static', compressed(express.static('public/build', { immutable: true, maxAge: '1y' }), { level: 9 })))
  // Files in public/ all have an extension; a page address never does, and asking the disk about
  // every page request (a stat per request) cost more CPU than the route matching.
  const publicFiles = labelled('static', compressed(express.static('public', { maxAge: '1h' })))
  app.use((req, res, next) => (FILE_PATH.test(req.path) ? publicFiles(req, res, next) : next()))
  app.use(sameOriginWrites)
  app.use(canonicalThreadAddresses)
  app.use(anonymousThreadCache(build))
  app.all('*', remixHandler(build))
  const databaseAway = answerDatabaseAwayErrors(stylesheetOf(build))
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => withCompression(req, res, () => databaseAway(error, req, res, next)))
  app.use(logErrors)
  return app
}

/** The last word on an error no middleware handled: logged with the request's id, answered with a plain 500. */
function logErrors(error: unknown, _req: Request, res: Response, _next: NextFunction) {
  logger.error({ err: error, reqId: res.locals.requestId }, 'request failed')
  // Half a response cannot be mended: end the connection, as Express itself would.
  if (res.headersSent) return void res.destroy()
  res.status(500).type('text/plain').send('Something went wrong on our side. Please try again.')
}

/** One web process: Express, then the job workers (unless JOBS_IN_PROCESS=0), until SIGTERM drains it. */
async function serveWeb() {
  // A signal while still loading ends the process cleanly (PGlite's files closed); once serving, drainServer takes over.
  const release = () => stopJobs().finally(closeDatabase)
  onStopSignal(release)
  metrics()
  const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild
  const app = createWebApp(build)
  // The spare has loaded everything a worker needs; it listens only when it replaces one.
  if (isWarmSpare()) await waitUntilNeeded()
  const server = app.listen(env.port)
  await once(server, 'listening')
  // Requests finish while the database is still open; running jobs finish before it closes.
  drainServer(server, release)
  // After listening: a replacement worker serves requests before its job workers are up.
  if (env.jobsInProcess) void startJobsWhenPossible()
}

/**
 * Starts this process's job workers, retrying while that fails (the database is away): a web
 * process keeps serving meanwhile instead of crashing into the supervisor's crash-loop guard.
 */
async function startJobsWhenPossible() {
  for (let attempt = 1; !isStopping(); attempt++) {
    try {
      await startJobWorkers()
      return
    } catch (error) {
      const retryInMs = Math.min(30_000, 1_000 * 2 ** (attempt - 1))
      logger.error({ err: error, retryInMs }, 'the job workers could not start; trying again')
      await new Promise((resolve) => setTimeout(resolve, retryInMs))
    }
  }
}

async function main() {
  if (cluster.isWorker) return serveWeb()

  // A setting that would refuse every log-in later refuses to start now, saying which.
  rateLimitDefaults()
  ensureBuild()
  await migrateAll(jobRegistry)
  await seedBase()
  const seeded = demoSeedingAllowed() && (await seedDemo())
  const showDemoAccounts = seeded || (demoSeedingAllowed() && (await demoAccountsExist()))
  await pruneRateLimits()
  const workers = env.webConcurrency
  const serving = () => {
    logger.info({ port: env.port, webWorkers: workers }, `Parley is running on http://localhost:${env.port}`)
    // After the log line has reached stdout, so the accounts are the last thing on the screen.
    if (showDemoAccounts) logger.flush(() => printDemoAccounts())
  }

  if (!process.env.DATABASE_URL) {
    // PGlite: this process is the only one that may open the data directory.
    if (Number(process.env.WEB_CONCURRENCY) > 1) logger.warn('WEB_CONCURRENCY is ignored with PGlite: one process serves (set DATABASE_URL for more)')
    await serveWeb()
    return serving()
  }
  // The primary serves nothing and runs no jobs: it keeps no connections open.
  await closeDatabase()
  answerMetricsRequestsFromWorkers()
  superviseWorkers({ count: workers, onServing: serving })
}

await main()
