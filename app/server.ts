/**
 * `npm start`: builds the app if its sources changed, applies migrations, seeds what is missing,
 * then serves Remix over Express. Sessions are read here once per request and handed to loaders
 * and actions through the load context. The job workers run here too unless JOBS_IN_PROCESS=0.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRemixRequest, sendRemixResponse } from '@remix-run/express/dist/server.js'
import { createRequestHandler as createFetchHandler, type ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express, { type NextFunction, type Request, type Response } from 'express'
import { closeDatabase } from '#db/client.server'
import { demoAccountsExist, demoSeedingAllowed, printDemoAccounts, seedBase, seedDemo } from '../scripts/seed'
import { stopJobs } from '~/platform/jobs/boss.server'
import { migrateAll } from '~/platform/migrate.server'
import { jobRegistry, startJobWorkers } from './jobs.server'
import { getThreadRevision } from '~/forum/questions.server'
import { authenticate, hasSessionCookie } from '~/platform/auth/auth.server'
import { env } from '~/platform/env.server'
import { slugify } from '~/platform/misc'
import { createPageCache, threadAddress } from '~/platform/page-cache.server'
import { createCspNonce, securityHeaders } from '~/platform/security-headers.server'
import { answerDatabaseAway, expressErrorHandler } from '~/platform/database-away.server'
import { refuseHostileUrls } from '~/platform/request-input.server'
import { queryCountHeader } from '~/platform/query-count.server'
import { pruneRateLimits } from '~/rate-limits/counter.server'

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
  const sourcesChangedAt = Math.max(newestSourceChange(path.join(root, 'app')), newestSourceChange(path.join(root, 'db/schema')), statSync(path.join(root, 'remix.config.js')).mtimeMs)
  if (existsSync(buildFile) && statSync(buildFile).mtimeMs >= sourcesChangedAt) return
  console.log('Building Parley…')
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

/**
 * Thread pages for visitors without a session come from the page cache while the thread's revision
 * is unchanged; everything else (signed-in users, data requests, other pages) renders fresh.
 */
function anonymousThreadCache(build: ServerBuild) {
  const cache = createPageCache()
  const render = answerDatabaseAway(createFetchHandler(build, build.mode), stylesheetOf(build))
  return async (req: Request, res: Response, next: NextFunction) => {
    const address = req.method === 'GET' ? threadAddress(req.path) : null
    const hasQuery = req.originalUrl.includes('?')
    if (!address || hasQuery || hasSessionCookie(req.get('cookie'))) return next()
    try {
      const thread = await getThreadRevision({ questionId: address.id })
      // Only the thread's own addresses are cached (bare or with its real slug): any other slug
      // still works but renders fresh, so nobody can fill the cache with made-up addresses.
      if (!thread || (address.slug !== null && address.slug !== slugify(thread.title))) return next()
      const revision = thread.revision
      const key = req.path
      let page = cache.get(key, revision)
      res.set('X-Page-Cache', page ? 'hit' : 'miss')
      if (!page) {
        const headers = new Headers()
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value)
        // No nonce: this body is served to many, so entry.server.tsx allows its scripts by hash.
        const context = { user: null, session: null, clientIp: req.ip ?? 'unknown', cspNonce: null }
        const response = await render(new Request(`${req.protocol}://${req.get('host')}${req.originalUrl}`, { headers }), context)
        const body = Buffer.from(await response.arrayBuffer())
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
  // Already compressed once when cached; the compression middleware leaves encoded bodies alone.
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
      const context = { user: auth.user, session: auth.session, clientIp: req.ip ?? 'unknown', cspNonce: createCspNonce() }
      await sendRemixResponse(res, await handle(request, context))
    } catch (error) {
      next(error)
    }
  }
}

async function main() {
  ensureBuild()
  await migrateAll(jobRegistry)
  await seedBase()
  const seeded = demoSeedingAllowed() && (await seedDemo())
  await pruneRateLimits()
  if (env.jobsInProcess) await startJobWorkers()

  const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', env.trustProxy)
  app.use(queryCountHeader)
  app.use(compression())
  app.use(securityHeaders)
  app.use(refuseHostileUrls)
  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }))
  app.use(express.static('public', { maxAge: '1h' }))
  app.use(sameOriginWrites)
  app.use(anonymousThreadCache(build))
  app.all('*', remixHandler(build))
  app.use(expressErrorHandler(stylesheetOf(build)))

  const server = app.listen(env.port, () => {
    console.log(`Parley is running on http://localhost:${env.port}`)
  })
  if (seeded || (demoSeedingAllowed() && (await demoAccountsExist()))) printDemoAccounts()

  // PGlite writes its files from this process: close it cleanly or the data directory suffers.
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    server.close()
    server.closeAllConnections()
    // Workers finish their running jobs while the database is still open.
    stopJobs()
      .finally(closeDatabase)
      .finally(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

await main()
