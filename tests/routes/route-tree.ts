import path from 'node:path'
import { UNSAFE_flatRoutes as flatRoutes } from '@remix-run/dev'
import { matchRoutes, type AgnosticRouteObject } from '@remix-run/router'
import type { LoaderFunctionArgs } from '@remix-run/node'
import remixConfig from '../../remix.config.js'

type RouteModule = { loader?: (args: LoaderFunctionArgs) => Promise<unknown> }

/**
 * The route modules Remix runs for a URL, root first, found the way the compiler finds them (flat
 * routes from app/routes). Calling one route's loader alone would miss a parent layout that
 * requires a login, as the survey link once did.
 */
export async function routesMatching(url: string): Promise<{ id: string; params: Record<string, string | undefined>; module: RouteModule }[]> {
  const manifest = flatRoutes(path.resolve('app'), remixConfig.ignoredRouteFiles)
  const childrenOf = (parentId: string): AgnosticRouteObject[] =>
    Object.values(manifest)
      .filter((route) => route.parentId === parentId)
      .map((route) =>
        route.index ? { id: route.id, path: route.path, index: true } : { id: route.id, path: route.path, children: childrenOf(route.id) },
      )
  const tree: AgnosticRouteObject[] = [{ id: 'root', path: '', children: childrenOf('root') }]
  const matches = matchRoutes(tree, new URL(url, 'http://localhost').pathname) ?? []
  return Promise.all(
    matches.map(async (match) => {
      const file = match.route.id === 'root' ? 'root.tsx' : manifest[match.route.id!].file
      return { id: match.route.id!, params: match.params, module: (await import(/* @vite-ignore */ path.resolve('app', file))) as RouteModule }
    }),
  )
}
