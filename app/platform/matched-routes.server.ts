import type { EntryContext } from '@remix-run/node'

/**
 * The render context with a route manifest of the matched routes only. <RemixServer> builds a
 * route tree from every route in the manifest and matches the URL against it again on each
 * request (about 55 routes here), although the request handler has already matched it: with only
 * the matched branch, the same routes match, for a fraction of the work.
 *
 * Safe because the route manifest reaches the browser as its own file (remix.config.js leaves
 * v3_lazyRouteDiscovery off): the server render reads manifest entries only for the matched
 * routes (their modules, links and meta). With lazy route discovery on, <Scripts> would inline
 * a manifest computed from these routes, which would then be too small: do not combine the two.
 */
export function withMatchedRoutesOnly(context: EntryContext): EntryContext {
  const routes = matchedRoutes(context.manifest.routes, context.staticHandlerContext.matches)
  if (!routes.root) return context
  return { ...context, manifest: { ...context.manifest, routes } }
}

type ManifestRoutes = EntryContext['manifest']['routes']
const matchedRoutesKept = new WeakMap<ManifestRoutes, Map<string, ManifestRoutes>>()

/**
 * The same object for the same matched routes of one build's manifest: <RemixServer> (a patch of
 * ours) builds its route tree once per such object, and the route matching of the render then finds
 * it flattened and ranked already.
 */
function matchedRoutes(all: ManifestRoutes, matches: EntryContext['staticHandlerContext']['matches']): ManifestRoutes {
  let kept = matchedRoutesKept.get(all)
  if (!kept) matchedRoutesKept.set(all, (kept = new Map()))
  const key = matches.map((match) => match.route.id).join('\n')
  let routes = kept.get(key)
  if (!routes) {
    routes = {}
    for (const match of matches) {
      const route = all[match.route.id]
      if (route) routes[match.route.id] = route
    }
    kept.set(key, routes)
  }
  return routes
}
