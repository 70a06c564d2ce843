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
  const routes: EntryContext['manifest']['routes'] = {}
  for (const match of context.staticHandlerContext.matches) {
    const route = context.manifest.routes[match.route.id]
    if (route) routes[match.route.id] = route
  }
  if (!routes.root) return context
  return { ...context, manifest: { ...context.manifest, routes } }
}
