import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { createElement, type ComponentType } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { db, getConnection, queryCounter, rowsOf } from '#db/client.server'
import * as home from '~/routes/_index'
import * as questions from '~/routes/questions._index'
import * as tag from '~/routes/tags.$tag'
import * as queue from '~/routes/mod.queue._index'
import { createTestAnswer, createTestQuestion, createTestUser, routeArgs, sessionCookieFor } from '../factories'

/**
 * Lists page by key, never by OFFSET: following the next links (and, in the queue, the previous
 * ones) reaches every row exactly once, in the list's order, even where many rows tie on the sort
 * key; a deep page's statement carries the key as a bound that its index can start from.
 */

type Loader = (args: Awaited<ReturnType<typeof routeArgs>>) => Promise<Response>
type Statement = { sql: string; params: unknown[] }

async function load(loader: Loader, path: string, cookie?: string, params: Record<string, string> = {}) {
  const res = await loader(await routeArgs({ path, cookie, params }))
  expect(res.status).toBe(200)
  return res.json()
}

/** The statements a page load sends, in order. */
async function statementsOf(run: () => Promise<unknown>) {
  const statements: Statement[] = []
  queryCounter.statements = statements
  try {
    await run()
  } finally {
    queryCounter.statements = null
  }
  return statements
}

/**
 * The plan PostgreSQL would choose for the statement if scanning everything and sorting were
 * off the table: proof that an index can serve its order and its keyset bound at any size (a
 * table of a few rows is otherwise always read whole).
 */
async function indexPlanOf(statement: Statement) {
  const connection = getConnection()
  const text = `explain ${statement.sql}`
  const lines =
    connection.driver === 'pglite'
      ? await connection.client.transaction(async (tx) => {
          await tx.exec('set local enable_seqscan = off; set local enable_sort = off; set local enable_bitmapscan = off')
          return (await tx.query<{ 'QUERY PLAN': string }>(text, statement.params as unknown[])).rows
        })
      : await connection.client.begin(async (tx) => {
          await tx.unsafe('set local enable_seqscan = off; set local enable_sort = off; set local enable_bitmapscan = off')
          return tx.unsafe(text, statement.params as never[])
        })
  return (lines as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n')
}

async function ids(query: ReturnType<typeof sql>) {
  return rowsOf<{ id: number }>(await db.execute(query)).map((r) => Number(r.id))
}

async function renderPage(Page: ComponentType, path: string, loaderData: object) {
  const handler = createStaticHandler([{ id: 'page', path: path.replace(/\?.*/, ''), Component: Page, loader: () => loaderData }])
  const context = await handler.query(new Request(`http://localhost${path}`))
  if (context instanceof Response) throw new Error(`rendering ${path} answered ${context.status}`)
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }))
}

/** The address a link on the rendered page leads to, resolved against the queue's own address. */
function hrefOf(html: string, label: string) {
  const href = html.match(new RegExp(`<a [^>]*href="([^"]*)"[^>]*>${label}</a>`))?.[1]?.replaceAll('&amp;', '&')
  return href ? new URL(href, 'http://localhost/mod/queue').pathname + new URL(href, 'http://localhost/mod/queue').search : null
}

describe('the moderation queue pages by key', () => {
  let cookie: string
  beforeAll(async () => {
    const moderator = await createTestUser({ role: 'moderator' })
    cookie = await sessionCookieFor(moderator.id)
    // 130 pending reports (three pages of 50) whose urgency, score and age tie in long runs, so
    // only the id tells many of them apart; and 70 resolved ones, resolved at three moments.
    await db.execute(sql`
      insert into review_items (kind, status, target_kind, target_id, score, urgency, reasons, created_at)
      select 'report', 'pending', 'user', 900000 + g, (array[1, 1.5, 2])[1 + g % 3], case when g % 5 = 0 then 0 else 1 end,
        array[(array['spam', 'harassment', 'other'])[1 + g % 3]]::report_reason[], timestamptz '2024-01-01' + (g % 4) * interval '1 hour'
      from generate_series(1, 130) g`)
    await db.execute(sql`
      insert into review_items (kind, status, target_kind, target_id, score, urgency, resolution, resolved_at, created_at)
      select 'report', 'resolved', 'user', 800000 + g, 1, 1, 'dismissed', timestamptz '2024-02-01' + (g % 3) * interval '1 minute', timestamptz '2024-01-01'
      from generate_series(1, 70) g`)
  })

  test('next links reach every pending item once, in queue order, keeping the filters; previous links walk back', async () => {
    const expected = await ids(sql`select id from review_items where status = 'pending' and kind = 'report' and claimed_by_id is null order by urgency, score desc, created_at, id`)
    expect(expected.length).toBe(130)

    const pages: number[][] = []
    let path = '/mod/queue?kind=report&claimed=unclaimed'
    let data = await load(queue.loader as Loader, path, cookie)
    expect(data.previousCursor).toBeNull()
    for (;;) {
      pages.push(data.items.map((i: { id: number }) => i.id))
      // The page's own link, as a browser without JavaScript follows it.
      const next = hrefOf(await renderPage(queue.default, path, data), 'Next page')
      if (!data.nextCursor) {
        expect(next).toBeNull()
        break
      }
      expect(next).toContain('kind=report')
      expect(next).toContain('claimed=unclaimed')
      path = next!
      data = await load(queue.loader as Loader, path, cookie)
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 30])
    expect(pages.flat()).toEqual(expected)

    // Back from the last page to the first, by the previous links.
    const backwards: number[][] = [pages[2]]
    while (data.previousCursor) {
      path = hrefOf(await renderPage(queue.default, path, data), 'Previous page')!
      expect(path).toContain('before=')
      data = await load(queue.loader as Loader, path, cookie)
      backwards.unshift(data.items.map((i: { id: number }) => i.id))
    }
    expect(backwards).toEqual(pages)
  })

  test('the resolved list pages newest first, ties broken by id', async () => {
    const expected = await ids(sql`select id from review_items where status = 'resolved' order by resolved_at desc, id desc`)
    const seen: number[] = []
    let data = await load(queue.loader as Loader, '/mod/queue?status=resolved', cookie)
    seen.push(...data.items.map((i: { id: number }) => i.id))
    while (data.nextCursor) {
      data = await load(queue.loader as Loader, `/mod/queue?status=resolved&after=${data.nextCursor}`, cookie)
      seen.push(...data.items.map((i: { id: number }) => i.id))
    }
    expect(seen).toEqual(expected)
  })

  test('a deep page asks for rows after a key its index starts from, with no OFFSET', async () => {
    const first = await load(queue.loader as Loader, '/mod/queue', cookie)
    const statements = await statementsOf(() => load(queue.loader as Loader, `/mod/queue?after=${first.nextCursor}`, cookie))
    const listing = statements.find((s) => /from "review_items"/.test(s.sql) && /limit/i.test(s.sql))!
    expect(listing.sql).not.toMatch(/\boffset\b/i)
    const plan = await indexPlanOf(listing)
    expect(plan).toContain('review_items_queue_idx')
    expect(plan).toMatch(/Index Cond: \(ROW\(urgency, \(- score\), created_at, id\) > ROW\(/)

    const resolved = await load(queue.loader as Loader, '/mod/queue?status=resolved', cookie)
    const resolvedStatements = await statementsOf(() => load(queue.loader as Loader, `/mod/queue?status=resolved&after=${resolved.nextCursor}`, cookie))
    const resolvedPlan = await indexPlanOf(resolvedStatements.find((s) => /from "review_items"/.test(s.sql) && /limit/i.test(s.sql))!)
    expect(resolvedPlan).toContain('review_items_resolved_idx')
    expect(resolvedPlan).toMatch(/Index Cond: \(ROW\(resolved_at, id\) < ROW\(/)
  })
})

describe('question lists page by key', () => {
  beforeAll(async () => {
    const author = await createTestUser()
    const helper = await createTestUser()
    // 75 questions, a third of them answered; last activity in three shared moments.
    for (let i = 0; i < 75; i++) {
      const question = await createTestQuestion({ authorId: author.id, tags: ['paging'] })
      if (i % 3 === 0) await createTestAnswer({ questionId: question.id, authorId: helper.id })
    }
    await db.execute(sql`update questions set last_activity_at = timestamptz '2024-03-01' + (id % 3) * interval '1 minute'`)
  })

  const cases: { name: string; loader: unknown; path: string; params: Record<string, string>; filter: ReturnType<typeof sql>; index: string }[] = [
    { name: 'latest activity', loader: home.loader, path: '/', params: {}, filter: sql`true`, index: 'questions_activity_idx' },
    { name: 'unanswered', loader: questions.loader, path: '/questions?filter=unanswered', params: {}, filter: sql`answer_count = 0`, index: 'questions_unanswered_idx' },
    {
      name: 'a tag',
      loader: tag.loader,
      path: '/tags/paging',
      params: { tag: 'paging' },
      filter: sql`exists (select 1 from question_tags qt join tags t on t.id = qt.tag_id where qt.question_id = questions.id and t.name = 'paging')`,
      index: 'questions_activity_idx',
    },
  ]

  for (const list of cases) {
    test(`${list.name}: next links reach every question once, newest activity first, ties broken by id`, async () => {
      const expected = await ids(sql`select id from questions where hidden_at is null and removed_at is null and ${list.filter} order by last_activity_at desc, id desc`)
      expect(expected.length).toBeGreaterThan(30)
      const seen: number[] = []
      let data = await load(list.loader as Loader, list.path, undefined, list.params)
      seen.push(...data.questions.map((q: { id: number }) => q.id))
      let deep: Statement | undefined
      while (data.nextHref) {
        const href = data.nextHref as string
        const statements = await statementsOf(async () => (data = await load(list.loader as Loader, href, undefined, list.params)))
        deep = statements.find((s) => /from "questions"/.test(s.sql) && /limit/i.test(s.sql))
        seen.push(...data.questions.map((q: { id: number }) => q.id))
      }
      expect(seen).toEqual(expected)

      expect(deep!.sql).not.toMatch(/\boffset\b/i)
      const plan = await indexPlanOf(deep!)
      expect(plan).toContain(list.index)
      expect(plan).toMatch(/Index Cond: \(ROW\(last_activity_at, id\) < ROW\(/)
    })
  }
})

test('a cursor past the year 9999 (which PostgreSQL cannot read) is the first page, not an error', async () => {
  const moderator = await createTestUser({ role: 'moderator' })
  const cookie = await sessionCookieFor(moderator.id)
  const first = await load(queue.loader as Loader, '/mod/queue', cookie)
  expect((await load(queue.loader as Loader, '/mod/queue?after=1_1_999999999999999_1', cookie)).items).toEqual(first.items)
  expect((await load(queue.loader as Loader, '/mod/queue?status=resolved&before=999999999999999_1', cookie)).items).toEqual(
    (await load(queue.loader as Loader, '/mod/queue?status=resolved', cookie)).items,
  )
  const latest = await load(home.loader as Loader, '/')
  expect((await load(home.loader as Loader, '/?after=999999999999999_1')).questions).toEqual(latest.questions)
})

test('no index is built DESC NULLS LAST, which ORDER BY … DESC cannot use', async () => {
  const wrong = rowsOf<{ indexname: string }>(await db.execute(sql`select indexname from pg_indexes where schemaname = 'public' and indexdef like '%DESC NULLS LAST%'`))
  expect(wrong.map((r) => r.indexname)).toEqual([])
})
