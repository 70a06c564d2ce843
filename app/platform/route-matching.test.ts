import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'

/**
 * The server's route matching (patches/@remix-run+router: the CommonJS build, which is what Node
 * runs) keeps recent results per route tree. Whatever it keeps, every caller must get the match
 * of its own path, and a copy it may change without changing what the next caller gets.
 */
const { matchRoutes } = createRequire(import.meta.url)('@remix-run/router') as typeof import('@remix-run/router')

const routes = [
  {
    id: 'root',
    path: '/',
    children: [
      { id: 'home', index: true },
      { id: 'thread', path: 'questions/:id/:slug?' },
      { id: 'page', path: 'questions/:id/:slug/page/:page' },
      { id: 'ticket', path: 'tickets/:number' },
    ],
  },
]

const ids = (path: string) => matchRoutes(routes, path)?.map((match) => match.route.id)

describe('route matching on the server', () => {
  test('the same path matches the same routes every time, with its own params', () => {
    expect(ids('/questions/7/how-to')).toEqual(['root', 'thread'])
    expect(ids('/questions/7/how-to')).toEqual(['root', 'thread'])
    expect(ids('/questions/7/how-to/page/2')).toEqual(['root', 'page'])
    expect(matchRoutes(routes, '/questions/7/how-to/page/2')?.at(-1)?.params).toEqual({ id: '7', slug: 'how-to', page: '2' })
    expect(matchRoutes(routes, '/tickets/1001')?.at(-1)?.params).toEqual({ number: '1001' })
    expect(ids('/')).toEqual(['root', 'home'])
    expect(matchRoutes(routes, '/nowhere/at/all')).toBeNull()
    expect(matchRoutes(routes, '/nowhere/at/all')).toBeNull()
  })

  test('a caller that changes its matches changes nobody else’s', () => {
    const first = matchRoutes(routes, '/tickets/1002')!
    ;(first[1].params as Record<string, string>).number = 'changed'
    first.pop()
    const second = matchRoutes(routes, '/tickets/1002')!
    expect(second.map((match) => match.route.id)).toEqual(['root', 'ticket'])
    expect(second[1].params).toEqual({ number: '1002' })
    // As without the cache, the matches of one path share one params object.
    expect(second[0].params).toBe(second[1].params)
  })

  test('many different paths (more than are kept) each still match their own', () => {
    for (let n = 1; n <= 1200; n++) expect(matchRoutes(routes, `/tickets/${n}`)?.at(-1)?.params.number).toBe(String(n))
    expect(matchRoutes(routes, '/tickets/5')?.at(-1)?.params.number).toBe('5')
  })
})
