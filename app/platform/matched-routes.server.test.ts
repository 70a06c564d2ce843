import type { EntryContext } from '@remix-run/node'
import { describe, expect, test } from 'vitest'
import { withMatchedRoutesOnly } from '~/platform/matched-routes.server'

/**
 * The render gets the matched routes only, and the same object for the same matches of one
 * manifest: the patched <RemixServer> builds its route tree once per such object.
 */
const route = (id: string, parentId?: string) => ({ id, parentId, path: id === 'root' ? '' : id, hasLoader: true, module: `/build/${id}.js` })
const manifestRoutes = { root: route('root'), 'routes/a': route('routes/a', 'root'), 'routes/b': route('routes/b', 'root'), 'routes/c': route('routes/c', 'root') }

function contextFor(...ids: string[]) {
  return {
    manifest: { version: '1', url: '/build/manifest.js', entry: { module: '/build/entry.js', imports: [] }, routes: manifestRoutes },
    staticHandlerContext: { matches: ids.map((id) => ({ route: { id } })) },
  } as unknown as EntryContext
}

describe('withMatchedRoutesOnly', () => {
  test('the manifest handed to the render holds the matched routes, and the rest of the context is kept', () => {
    const context = contextFor('root', 'routes/b')
    const matched = withMatchedRoutesOnly(context)
    expect(Object.keys(matched.manifest.routes)).toEqual(['root', 'routes/b'])
    expect(matched.manifest.routes['routes/b']).toBe(manifestRoutes['routes/b'])
    expect(matched.manifest.entry).toBe(context.manifest.entry)
    expect(matched.staticHandlerContext).toBe(context.staticHandlerContext)
  })

  test('the same matches give the same routes object, request after request; other matches another', () => {
    const first = withMatchedRoutesOnly(contextFor('root', 'routes/a')).manifest.routes
    const again = withMatchedRoutesOnly(contextFor('root', 'routes/a')).manifest.routes
    const other = withMatchedRoutesOnly(contextFor('root', 'routes/c')).manifest.routes
    expect(again).toBe(first)
    expect(other).not.toBe(first)
    expect(Object.keys(other)).toEqual(['root', 'routes/c'])
  })

  test('without the root route matched, the context is left as it is', () => {
    const context = contextFor('routes/a')
    expect(withMatchedRoutesOnly(context)).toBe(context)
  })
})
