/**
 * One log line and one latency observation per request, labelled with the Remix route that serves
 * it (found the way Remix finds it, so the label set is the route files, whatever the URLs), and
 * the request id every response carries in X-Request-Id. See docs/decisions/018-supervision-metrics-logs.md.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { ServerBuild } from '@remix-run/node'
import { matchRoutes } from '@remix-run/react'
import { logger, requestIdFrom } from '~/platform/logger.server'
import { observeRequest } from '~/platform/metrics.server'

type RouteMatch = { id: string; params: Record<string, string | undefined> }
type RouteObject = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: RouteObject[] }

/** Finds the deepest route of `build` that serves a path, as Remix does. */
export function routeMatcher(build: Pick<ServerBuild, 'routes'>) {
  const byParent = new Map<string | undefined, RouteObject[]>()
  for (const route of Object.values(build.routes)) {
    const siblings = byParent.get(route.parentId) ?? []
    siblings.push({ id: route.id, path: route.path, index: route.index, caseSensitive: route.caseSensitive })
    byParent.set(route.parentId, siblings)
  }
  const attach = (routes: RouteObject[]): RouteObject[] =>
    routes.map((route) => {
      const children = byParent.get(route.id)
      return route.index || !children ? route : { ...route, children: attach(children) }
    })
  const tree = attach(byParent.get(undefined) ?? [])
  const ids = new Set(Object.keys(build.routes))
  return (path: string, dataRouteId?: string | null): RouteMatch | null => {
    const matches = matchRoutes(tree as Parameters<typeof matchRoutes>[0], path)
    const deepest = matches?.at(-1)
    if (!deepest) return null
    // A data request names the route whose loader it wants; that is the one being served.
    const id = dataRouteId && ids.has(dataRouteId) ? dataRouteId : (deepest.route as RouteObject).id
    return { id, params: deepest.params }
  }
}

/** Path segments that are secrets (a reset link's token) are left out of the logs. */
const SECRET_PARAM = /token|secret|key|code/i

function loggablePath(path: string, params: RouteMatch['params'] | undefined) {
  const secrets = Object.entries(params ?? {})
    .filter(([name, value]) => SECRET_PARAM.test(name) && value)
    .map(([, value]) => value)
  if (secrets.length === 0) return path
  return path
    .split('/')
    .map((segment) => {
      let decoded = segment
      try {
        decoded = decodeURIComponent(segment)
      } catch {}
      return secrets.includes(decoded) ? '[redacted]' : segment
    })
    .join('/')
}

/**
 * Lets a middleware name the requests it answers (`static`, `healthz`…) in the logs and metrics;
 * requests it passes on are named by the route that serves them.
 */
export function labelled(route: string, middleware: RequestHandler): RequestHandler {
  return (req, res, next) => {
    res.locals.route = route
    middleware(req, res, (error?: unknown) => {
      // A failure is still this middleware's request; a pass goes to whatever serves it next.
      if (!error) res.locals.route = undefined
      next(error)
    })
  }
}

/** The first middleware: gives the request its id, and logs and measures it once it is over. */
export function requestLogging(build: Pick<ServerBuild, 'routes'>) {
  const match = routeMatcher(build)
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint()
    const requestId = requestIdFrom(req.get('x-request-id'))
    res.locals.requestId = requestId
    res.set('X-Request-Id', requestId)
    // The path now: routers below may rewrite req.url.
    const path = req.path
    const method = req.method
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const found = res.locals.route ? null : match(path, typeof req.query._data === 'string' ? req.query._data : null)
      const route = (res.locals.route as string | undefined) ?? found?.id ?? 'unmatched'
      const status = res.statusCode
      observeRequest({ method, route, status, seconds })
      logger.info(
        {
          reqId: requestId,
          method,
          path: loggablePath(path, found?.params),
          route,
          status,
          ms: Math.round(seconds * 10_000) / 10,
          // The client went away before the whole response was sent.
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      )
    })
    next()
  }
}
