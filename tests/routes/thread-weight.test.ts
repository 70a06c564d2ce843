import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import { describe, expect, test } from 'vitest'
import * as entry from '~/entry.server'
import * as root from '~/root'
import * as thread from '~/routes/questions.$id.($slug)'
import { createTestAnswer, createTestQuestion, createTestUser, routeArgs } from '../factories'

// The document as the server renders it: the real entry.server, root and thread route behind
// Remix's own request handler; only the asset manifest (script addresses) is made up.
const manifestRoute = (id: string, parentId: string | undefined, path: string) => ({
  id,
  parentId,
  path,
  module: `/build/${id}.js`,
  imports: [],
  hasLoader: true,
  hasAction: id === 'thread',
  hasClientAction: false,
  hasClientLoader: false,
  hasErrorBoundary: id === 'root',
})
const build = {
  mode: 'production',
  publicPath: '/build/',
  assetsBuildDirectory: 'public/build',
  future: {},
  isSpaMode: false,
  entry: { module: entry },
  routes: {
    root: { id: 'root', path: '', module: root },
    thread: { id: 'thread', parentId: 'root', path: 'questions/:id/:slug?', module: thread },
  },
  assets: {
    version: 'test',
    url: '/build/manifest-test.js',
    entry: { module: '/build/entry.client.js', imports: [] },
    routes: { root: manifestRoute('root', undefined, ''), thread: manifestRoute('thread', 'root', 'questions/:id/:slug?') },
  },
} as unknown as ServerBuild
const handle = createRequestHandler(build, 'production')

async function get(path: string, userId: number) {
  const { request, context } = await routeArgs({ path, userId })
  return handle(request, { ...context, cspNonce: null })
}

const occurrences = (text: string, part: string) => text.split(part).length - 1

describe('a thread page ships each post body once', () => {
  test('the document has every body of its page once; the embedded loader data has none; data requests still carry them', async () => {
    const asker = await createTestUser()
    const answerer = await createTestUser()
    const reader = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id, body: 'Question body marker qq-0001 with **Markdown**.' })
    for (let i = 1; i <= 25; i++) await createTestAnswer({ questionId: question.id, authorId: answerer.id, body: `Answer body marker aa-${String(i).padStart(4, '0')}: try **this** & <that>.` })

    const res = await get(`/questions/${question.id}`, reader.id)
    expect(res.status).toBe(200)
    const html = await res.text()
    const embedded = html.match(/window\.__remixContext = (.*?);<\/script>/s)?.[1]
    expect(embedded, 'embedded loader data').toBeTruthy()

    // The question's opening also goes out as plain text for search engines (meta description); its HTML goes once.
    expect(occurrences(html, '<strong>Markdown</strong>')).toBe(1)
    expect(embedded).not.toContain('\\u003cstrong\\u003eMarkdown')
    for (let i = 1; i <= 20; i++) expect(occurrences(html, `aa-${String(i).padStart(4, '0')}`), `answer ${i}`).toBe(1)
    // Page 1 only: the rest are on page 2.
    for (let i = 21; i <= 25; i++) expect(occurrences(html, `aa-${String(i).padStart(4, '0')}`), `answer ${i}`).toBe(0)
    expect(embedded).toContain('"htmlOnce":{}')
    expect(embedded).not.toContain('aa-0001')

    // Client-side navigations and revalidations get the bodies in the JSON (and only there).
    const data = await get(`/questions/${question.id}?_data=thread`, reader.id)
    expect(data.status).toBe(200)
    const json = await data.text()
    for (let i = 1; i <= 20; i++) expect(occurrences(json, `aa-${String(i).padStart(4, '0')}`), `answer ${i} in data`).toBe(1)
    expect(occurrences(json, '<strong>Markdown</strong>')).toBe(1)

    // What that saves: the document is smaller than the bodies' HTML plus the data that carries them.
    const bodies = Object.values((JSON.parse(json) as { htmlOnce: Record<string, string> }).htmlOnce).join('').length
    expect(bodies).toBeGreaterThan(1500)
    // The embedded data also carries the root route's (the header's: user, theme, chat state).
    const root = await (await get(`/questions/${question.id}?_data=root`, reader.id)).text()
    expect(embedded!.length).toBeLessThan(json.length + root.length - bodies + 200)
    console.log(`thread page, 20 answers: document ${html.length} bytes, embedded data ${embedded!.length}, bodies ${bodies}, data request ${json.length}`)
  })
})
