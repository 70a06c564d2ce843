import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import { describe, expect, test } from 'vitest'
import { isoDates, pageData } from '~/platform/page-data.server'

/**
 * pageData (decision 037): a document's render gets the loader's object itself, not a copy read
 * back from JSON text (our patch to @remix-run/server-runtime); a data request still gets JSON; and
 * outside production, data JSON would change is refused before it can render differently on the
 * server than in the browser.
 */
let handedOver: unknown = null
let rendered: unknown = null
const loaderData = () => ({ title: 'Widgets', count: 3, tags: ['a', 'b'], author: { name: 'ada', joinedAt: '2024-01-01T00:00:00.000Z' }, note: null })

function buildWith(loader: (args: { request: Request }) => unknown): ServerBuild {
  const route = (id: string, parentId: string | undefined, path: string) => ({ id, parentId, path, module: `/build/${id}.js`, imports: [], hasLoader: true, hasAction: false, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false })
  return {
    mode: 'production',
    publicPath: '/build/',
    assetsBuildDirectory: 'public/build',
    future: {},
    isSpaMode: false,
    entry: {
      module: {
        // The render's view of the loader data, as the page component would get it.
        default: (_request: Request, status: number, headers: Headers, context: { staticHandlerContext: { loaderData: Record<string, unknown> } }) => {
          rendered = context.staticHandlerContext.loaderData.page
          return new Response('<!DOCTYPE html><p>page</p>', { status, headers })
        },
      },
    },
    routes: {
      root: { id: 'root', path: '', module: { loader: () => null, default: () => null } },
      page: { id: 'page', parentId: 'root', path: 'widgets', module: { loader, default: () => null } },
    },
    assets: { version: 'test', url: '/build/manifest-test.js', entry: { module: '/build/entry.client.js', imports: [] }, routes: { root: route('root', undefined, ''), page: route('page', 'root', 'widgets') } },
  } as unknown as ServerBuild
}

const handle = createRequestHandler(
  buildWith(({ request }) => {
    const data = loaderData()
    handedOver = data
    return pageData(request, data)
  }),
  'production',
)

describe('pageData', () => {
  test('a document renders from the very object the loader returned; a data request gets the same values as JSON', async () => {
    const page = await handle(new Request('http://localhost/widgets'))
    expect(page.status).toBe(200)
    expect(rendered).toBe(handedOver)

    const data = await handle(new Request('http://localhost/widgets?_data=page'))
    expect(data.headers.get('Content-Type')).toMatch(/application\/json/)
    expect(await data.json()).toEqual(loaderData())
  })

  test('a loader called outside Remix (a test, a resource route) gets a JSON response', async () => {
    const response = pageData(new Request('http://localhost/widgets'), loaderData())
    expect(response).toBeInstanceOf(Response)
    expect(await response.json()).toEqual(loaderData())
  })

  test('refuses what JSON would change, saying where, before a page could render it', () => {
    const request = new Request('http://localhost/widgets')
    const refused = (data: unknown) => () => pageData(request, data as Record<string, null>)
    expect(refused({ author: { joinedAt: new Date() } })).toThrow(/loader data\.author\.joinedAt is a Date/)
    expect(refused({ ratio: Number.NaN })).toThrow(/loader data\.ratio is NaN/)
    expect(refused({ list: [1, undefined] })).toThrow(/loader data\.list\[1\] is undefined/)
    expect(refused({ seen: new Set([1]) })).toThrow(/is a Set/)
    // An absent value is no value in JSON either.
    expect(refused({ maybe: undefined })).not.toThrow()
  })

  test('isoDates gives a row its dates as ISO text and leaves the rest', () => {
    const row = { id: 4, createdAt: new Date('2026-12-02T10:00:00Z'), editedAt: null as Date | null, title: 'x' }
    expect(isoDates(row)).toEqual({ id: 4, createdAt: '2026-12-02T10:00:00.000Z', editedAt: null, title: 'x' })
  })

  test('isoDates with a column to omit does the same and leaves that column out', () => {
    const row = { id: 4, bodyHtml: '<p>Hi</p>', createdAt: new Date('2026-12-02T10:00:00Z'), editedAt: null as Date | null }
    const shown = isoDates(row, 'bodyHtml')
    expect(shown).toStrictEqual({ id: 4, createdAt: '2026-12-02T10:00:00.000Z', editedAt: null })
    expect('bodyHtml' in shown).toBe(false)
    expect(row.bodyHtml).toBe('<p>Hi</p>')
  })
})
