/**
 * npm run bench -- queue [--items 100000] [--runs 200]
 *
 * The moderation queue at volume (decision 032): fills a fresh database (PGlite in a temp dir, or
 * DATABASE_URL's PostgreSQL, which it empties of review items first) with `--items` review items
 * (90% pending; one report each, about a thousand members: one pending report item per target, so the targets are distinct), then times the queue's
 * model call, `listReviewQueue`, on the first page, page 1,000 (or the middle, for fewer items)
 * and the last page, all by key, and prints p50 and p99 with the EXPLAIN (ANALYZE, BUFFERS) of each
 * listing. It never fails on a timing. Run it small while others use the machine
 * (`--items 5000`); the lead runs it at 100k.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

type Statement = { sql: string; params: unknown[] }

export async function runQueueBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { items: { type: 'string', default: '100000' }, runs: { type: 'string', default: '200' } } })
  const items = Math.max(100, Number(values.items))
  const runs = Math.max(10, Number(values.runs))
  const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'parley-queue-bench-'))
  if (dataDir) process.env.PGLITE_DIR = dataDir
  const { migrateAll } = await import('../../app/platform/migrate.server')
  const { jobRegistry } = await import('../../app/jobs.server')
  const { db, getConnection, queryCounter, closeDatabase } = await import('../../db/client.server')
  const { sql } = await import('drizzle-orm')
  const { listReviewQueue, encodeQueueCursor, QUEUE_PAGE_SIZE } = await import('../../app/moderation/queue.server')
  try {
    await migrateAll(jobRegistry)
    const started = performance.now()
    await db.execute(sql`delete from reports`)
    await db.execute(sql`delete from moderation_actions where review_item_id is not null`)
    await db.execute(sql`update review_items set moderation_action_id = null`)
    await db.execute(sql`delete from conflict_parties`)
    await db.execute(sql`delete from conflict_messages`)
    await db.execute(sql`delete from review_items`)
    const members = 1000
    await db.execute(sql`insert into users (username, email, password_hash, role)
      select 'qbench' || g, 'qbench' || g || '@bench.test', 'x', (case when g = 1 then 'moderator' else 'member' end)::user_role
      from generate_series(1, ${members}) g on conflict do nothing`)
    const rowsOf = async <T>(query: ReturnType<typeof sql>) => {
      const result = (await db.execute(query)) as unknown as T[] | { rows: T[] }
      return Array.isArray(result) ? result : result.rows
    }
    const [{ first, last }] = await rowsOf<{ first: number; last: number }>(sql`select min(id)::int as first, max(id)::int as last from users where username like 'qbench%'`)
    const resolved = Math.floor(items / 10)
    await db.execute(sql`insert into review_items (kind, status, version, target_kind, target_id, target_user_id, score, urgency, reasons, created_at, updated_at, resolution, resolved_by_id, resolved_at)
      select 'report', (case when g <= ${resolved} then 'resolved' else 'pending' end)::review_item_status, 0, 'user', g, u,
        (array[1, 1.5, 2, 2.5, 3])[1 + (g * 11) % 5]::real, case when g % 20 = 0 then 0 else 1 end,
        array[(array['spam', 'off-topic', 'inappropriate', 'other', 'harassment'])[1 + (g * 7) % 5]]::report_reason[],
        timestamptz '2026-01-01' + g * interval '60 seconds', timestamptz '2026-01-01' + g * interval '60 seconds',
        case when g <= ${resolved} then 'dismiss' end, case when g <= ${resolved} then ${first}::int end,
        case when g <= ${resolved} then timestamptz '2026-01-01' + g * interval '60 seconds' + interval '1 hour' end
      from generate_series(1, ${items}) g cross join lateral (select ${first}::int + (g * 37) % ${last - first + 1} as u) t`)
    await db.execute(sql`insert into reports (review_item_id, reporter_id, target_kind, target_id, reason, note, weight, status, created_at)
      select i.id, ${first}::int + (i.id * 53) % ${last - first + 1}, 'user', i.target_id, i.reasons[1], '', i.score,
        (case when i.status = 'resolved' then 'dismissed' else 'open' end)::report_status, i.created_at from review_items i`)
    await db.execute(sql`analyze review_items`)
    await db.execute(sql`analyze reports`)
    console.log(`Filled ${items.toLocaleString('en')} review items (${(items - resolved).toLocaleString('en')} pending) in ${((performance.now() - started) / 1000).toFixed(1)} s · ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`)

    const pending = items - resolved
    const pages = Math.ceil(pending / QUEUE_PAGE_SIZE)
    const cursorAt = async (offset: number) => {
      const [row] = await rowsOf<{ id: number; urgency: number; score: number; created_at: string | Date }>(
        sql`select id, urgency, score, created_at from review_items where status = 'pending' order by urgency, -score, created_at, id offset ${offset} limit 1`,
      )
      return encodeQueueCursor({ urgency: row.urgency, score: row.score, at: new Date(row.created_at), id: row.id })
    }
    const deepPage = pages > 1000 ? 1000 : Math.max(2, Math.floor(pages / 2))
    const positions = [
      { name: 'page 1', after: null as string | null },
      { name: `page ${deepPage.toLocaleString('en')}`, after: await cursorAt((deepPage - 1) * QUEUE_PAGE_SIZE - 1) },
      { name: `last page (${pages.toLocaleString('en')})`, after: await cursorAt((pages - 1) * QUEUE_PAGE_SIZE - 1) },
    ]
    const moderator = { id: first, role: 'moderator' as const }
    const table: { page: string; p50: string; p99: string; rows: number }[] = []
    const plans: string[] = []
    for (const position of positions) {
      for (let i = 0; i < 5; i++) await listReviewQueue({ moderator, filters: { status: 'pending' }, after: position.after })
      const times: number[] = []
      let shown = 0
      for (let i = 0; i < runs; i++) {
        const t = performance.now()
        shown = (await listReviewQueue({ moderator, filters: { status: 'pending' }, after: position.after })).items.length
        times.push(performance.now() - t)
      }
      times.sort((a, b) => a - b)
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2)
      table.push({ page: position.name, p50: `${at(0.5)} ms`, p99: `${at(0.99)} ms`, rows: shown })
      const statements: Statement[] = []
      queryCounter.statements = statements
      await listReviewQueue({ moderator, filters: { status: 'pending' }, after: position.after })
      queryCounter.statements = null
      const listing = statements.find((s) => /from "review_items"/.test(s.sql))!
      const connection = getConnection()
      const text = `explain (analyze, buffers) ${listing.sql}`
      const lines =
        connection.driver === 'pglite'
          ? (await connection.client.query<{ 'QUERY PLAN': string }>(text, listing.params as unknown[])).rows
          : await connection.client.unsafe(text, listing.params as never[])
      plans.push(`-- ${position.name}\n${(lines as { 'QUERY PLAN': string }[]).map((l) => l['QUERY PLAN']).join('\n')}`)
    }
    console.table(table)
    console.log(plans.join('\n\n'))
    return 0
  } finally {
    await closeDatabase()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}
