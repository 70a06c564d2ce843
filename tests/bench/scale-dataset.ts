/**
 * The `--scale` dataset of `npm run bench -- pages --scale`: 100k questions, about a million
 * answers, 100k tickets, 100k moderation queue items and 5,000 members, written by a few large
 * INSERT … SELECT statements over generate_series (a model call per row would take hours). Bodies
 * are a handful of Markdown texts of about 850 characters, rendered once by the app's own
 * renderMarkdown and reused, so pages carry HTML of a real size and shape.
 *
 * Every denormalised column is written from the rows it summarises: a question's answer count,
 * last activity (its last answer), accepted and official answers and revision; a queue item's score
 * (the sum of its open reports' weights, below the hiding threshold, so no content is hidden); the
 * running tickets' SLA due times (by the app's recomputeOpenTickets). Search documents are built
 * with the same shape search/documents.server.ts gives them (Markdown source as the text).
 *
 * Everything derives from row numbers (no random()), so two builds are the same dataset.
 * PostgreSQL only: the database is created on DATABASE_URL's server under its own name and kept,
 * so later runs reuse it (`--reuse`); a finished build leaves a `bench_scale_info` row behind.
 */
import { documentsInsertColumns, documentsSelect } from './search-documents-sql'
import postgres from 'postgres'

export const SCALE = {
  users: 5_000,
  questions: 100_000,
  /** Answers per answered question: 1 + (id · 7919 mod 22), so ~11.5 on average, ~1.03M in all. */
  answerSpread: 22,
  /** Questions with id ≡ 3 (mod 10) get no answer: the unanswered list holds 10% of the forum. */
  tickets: 100_000,
  runningTickets: 2_000,
  reviewItems: 100_000,
  resolvedReviewItems: 20_000,
  bigTag: 'sync',
  /** The big tag sits on 30% of the questions. */
  bigTagShare: 30,
  otherTags: 50,
  categories: 10,
  start: '2023-01-01 00:00:00+00',
  /** Two years of activity, one question every ~10 minutes. */
  secondsPerQuestion: 630,
} as const

/** The accounts the bench signs in as. */
export const SCALE_ACCOUNTS = { member: 'scale_member', moderator: 'scale_moderator', agent: 'scale_agent', admin: 'scale_admin' } as const

const QUESTION_BODIES = [
  `I updated to the latest version this morning and **sync stopped** on two of my three devices. The desktop app shows the spinner forever, and the phone says "last synced 6 hours ago".

What I tried so far:

- signing out and back in on every device
- clearing the app cache from *Settings → Storage*
- switching from Wi-Fi to mobile data

The log shows this line over and over:

\`\`\`
sync: request timed out after 30000ms (attempt 4)
\`\`\`

Is this a known problem with the update, or is something wrong with my account? I have about 2,000 notes.`,
  `Our team of twelve moved to the **Business plan** last week. Since then, invites sent from the admin page never arrive: the people we invite see nothing in their inbox or spam folder.

Details that might help:

1. Invites to addresses on our own domain fail; invites to Gmail addresses work.
2. The admin page lists the invites as "sent".
3. Our mail server logs show no incoming message at all.

Do we need to allow-list a sender address or set up SPF somewhere? I could not find anything about it in the [help center](https://example.com/help).`,
  `When I export a project as Markdown, every image link points to a temporary address that stops working after an hour. I expected the images to be inside the zip file.

Steps:

1. Open a project with images.
2. Choose *Export → Markdown (.zip)*.
3. Unzip and open any \`.md\` file in another editor.

The links look like \`https://files.example.com/tmp/abc123?expires=...\`. Is there a setting to embed the images, or is this a bug? I need the export for our archive and it must keep working for years.`,
]

const ANSWER_BODIES = [
  `This is a known issue with the update when a device still holds changes made offline before it. The fix is in the next release; until then you can unblock it yourself:

1. On the device that does not sync, open *Settings → Advanced*.
2. Choose **Rebuild local index**. It keeps your notes; it only re-reads them.
3. Wait until the counter reaches zero, then pull to refresh.

If the log still shows timeouts after that, send us the output of \`Help → Copy diagnostics\` in a support ticket and we will look at your account directly.`,
  `Your domain's mail server is probably refusing our messages because of a strict **DMARC** policy. Add our sending service to your SPF record:

\`\`\`
v=spf1 include:_spf.example.net ~all
\`\`\`

Then ask your mail administrator to check the quarantine for messages from \`invites@example.net\`. Gmail accepts them because it only marks them, instead of refusing them outright. After the change, resend the invites from the admin page; the old ones expire after seven days anyway.`,
  `There is a setting for that, but it is hidden: in the export dialog, open **More options** and tick *Include attachments*. The zip then holds an \`assets/\` folder and every link becomes relative, like \`![diagram](assets/diagram.png)\`.

A few things to know:

- Large projects take longer to export; you get a mail with a link when it is ready.
- Images you embedded from other sites stay as links; only uploads are copied.
- The same option exists in the API as \`include_attachments=true\`.

That should give you an archive that keeps working.`,
  `I had the same problem last month. What worked for me was *not* reinstalling, but removing the device from the account and adding it again:

1. Open the web app and go to **Account → Devices**.
2. Remove the device that is stuck.
3. Sign in again on that device.

It then downloads everything fresh, which took about ten minutes for my 3,000 notes. Before you do this, make sure the device has no unsynced changes you care about — copy them somewhere first, because removing the device discards them.`,
  `Thanks for the detailed report, it helps a lot. We could reproduce this with accounts that have **more than 1,500 items** in a single folder: the first sync after the update tries to send them in one request, which runs into the 30-second limit you see in the log.

A server-side fix went out an hour ago, so new attempts should go through. If your device is still stuck, force a new attempt with *Settings → Sync → Sync now*. Let us know here if it still fails, and include the time of the attempt so we can find it in our logs.`,
]

const TITLES = [
  'Sync stops after the latest update',
  'Invites to our own domain never arrive',
  'Markdown export links to temporary image addresses',
  'Two-factor code rejected after changing phones',
  'Invoice missing from the billing page',
  'Blank white screen when opening a shared project',
  'Upload fails silently for files over 20 MB',
  'Duplicate notification emails for every comment',
]

const REASONS = ['spam', 'harassment', 'inappropriate', 'copyright', 'off-topic', 'other'] as const
/** Report weights by reporter: members 1, long-standing members 1.5, staff 2 (the queue's scores tie a lot). */
const WEIGHTS = [1, 1.5, 2] as const

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`
const textArray = (texts: string[]) => `array[${texts.map(literal).join(',')}]::text[]`

export function databaseUrlFor(serverUrl: string, name: string) {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

function log(message: string, started: number) {
  console.log(`  ${message} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
}

/**
 * Makes sure `name` holds a finished scale dataset: reused when `reuse` is set and a build finished
 * there before, otherwise (re)created and built. Returns the database's URL.
 */
export async function ensureScaleDatabase({ serverUrl, name, reuse, migrationsFolder }: { serverUrl: string; name: string; reuse: boolean; migrationsFolder?: string }) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`--database takes a plain lowercase name, not “${name}”`)
  const admin = postgres(databaseUrlFor(serverUrl, 'postgres'), { max: 1, onnotice: () => {} })
  const url = databaseUrlFor(serverUrl, name)
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`
    if (exists && reuse) {
      const db = postgres(url, { max: 1, onnotice: () => {} })
      try {
        const [done] = await db`select 1 from pg_tables where tablename = 'bench_scale_info'`
        if (done) {
          console.log(`Reusing the scale dataset in database ${name}.`)
          return url
        }
      } finally {
        await db.end()
      }
      console.log(`Database ${name} holds no finished scale dataset; building it again.`)
    }
    if (exists) await admin.unsafe(`drop database ${name} with (force)`)
    await admin.unsafe(`create database ${name}`)
  } finally {
    await admin.end()
  }
  await buildScaleDataset(url, migrationsFolder)
  return url
}

/** A copy of a finished dataset (PostgreSQL copies the files: seconds, not a rebuild). */
export async function copyDatabase({ serverUrl, from, to }: { serverUrl: string; from: string; to: string }) {
  const admin = postgres(databaseUrlFor(serverUrl, 'postgres'), { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`drop database if exists ${to} with (force)`)
    // A template must have no other session; ours are all closed by now.
    await admin.unsafe(`create database ${to} template ${from}`)
  } finally {
    await admin.end()
  }
  return databaseUrlFor(serverUrl, to)
}

/**
 * `migrationsFolder`: another checkout's migrations, for a dataset that older code will serve too
 * (each server applies its own newer migrations to its copy when it starts).
 */
async function buildScaleDataset(url: string, migrationsFolder?: string) {
  const started = performance.now()
  console.log(`Building the scale dataset (${SCALE.questions.toLocaleString('en')} questions, ~1M answers, ${SCALE.tickets.toLocaleString('en')} tickets, ${SCALE.reviewItems.toLocaleString('en')} queue items)…`)
  // The app's modules read DATABASE_URL when they first connect: point them at the new database.
  process.env.DATABASE_URL = url
  const { migrateAll } = await import('../../app/platform/migrate.server')
  const { jobRegistry } = await import('../../app/jobs.server')
  const { seedBase } = await import('../../scripts/seed')
  const { renderMarkdown } = await import('../../app/platform/markdown.server')
  const { termsOf } = await import('../../search/text')
  const { recomputeOpenTickets } = await import('../../app/tickets/sweep.server')
  const { closeDatabase, getConnection } = await import('../../db/client.server')
  if (migrationsFolder) {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator')
    await migrate(getConnection().db as never, { migrationsFolder })
  } else {
    await migrateAll(jobRegistry)
  }
  await seedBase()
  log(`migrated${migrationsFolder ? ` (with ${migrationsFolder})` : ''} and seeded`, started)

  const sql = postgres(url, { max: 1, onnotice: () => {} })
  const run = (text: string) => sql.unsafe(text)
  try {
    // Bulk loading: no WAL flush per statement.
    await run(`set synchronous_commit = off`)
    await run(`create temporary table bench_bodies (kind text, k int, source text, html text)`)
    const bodyRows = [
      ...QUESTION_BODIES.map((source, k) => ({ kind: 'question', k, source })),
      ...ANSWER_BODIES.map((source, k) => ({ kind: 'answer', k, source })),
    ]
    for (const row of bodyRows) await sql`insert into bench_bodies values (${row.kind}, ${row.k}, ${row.source}, ${renderMarkdown(row.source)})`

    // Members, plus one account per staff role for the bench to sign in as.
    await run(`
      insert into users (username, email, password_hash, role, support_tier, created_at, email_verified_at)
      select 'member' || g, 'member' || g || '@scale.example', 'no-login', 'member', null,
        timestamptz '${SCALE.start}' - interval '30 days', timestamptz '${SCALE.start}'
      from generate_series(1, ${SCALE.users}) g`)
    await run(`
      insert into users (username, email, password_hash, role, support_tier, created_at, email_verified_at)
      values ('${SCALE_ACCOUNTS.member}', 'member@scale.example', 'no-login', 'member', null, now(), now()),
        ('${SCALE_ACCOUNTS.moderator}', 'moderator@scale.example', 'no-login', 'moderator', null, now(), now()),
        ('${SCALE_ACCOUNTS.agent}', 'agent@scale.example', 'no-login', 'agent', 1, now(), now()),
        ('${SCALE_ACCOUNTS.admin}', 'admin@scale.example', 'no-login', 'admin', null, now(), now())`)
    const [{ first_user: firstUser }] = await run(`select min(id)::int as first_user from users where username like 'member%'`)
    const [{ id: moderatorId }] = await run(`select id from users where username = '${SCALE_ACCOUNTS.moderator}'`)
    const [{ id: agentId }] = await run(`select id from users where username = '${SCALE_ACCOUNTS.agent}'`)
    const userOf = (expr: string) => `(${firstUser} + ((${expr}) % ${SCALE.users}))`

    const extraCategories = SCALE.categories - 4
    await run(`
      insert into categories (slug, name, description, position)
      select 'area-' || g, 'Area ' || g, 'Questions about product area ' || g || '.', 4 + g
      from generate_series(1, ${extraCategories}) g on conflict do nothing`)
    const categoryIds = (await run(`select id from categories order by position, id`)).map((r) => Number(r.id))

    await run(`
      insert into questions (author_id, category_id, title, body_source, body_html, created_at, last_activity_at)
      select ${userOf('g * 17')}, (array[${categoryIds.join(',')}])[1 + (g * 7) % ${categoryIds.length}],
        (${textArray(TITLES)})[1 + g % ${TITLES.length}] || ' (#' || g || ')', b.source, b.html, at, at
      from generate_series(1, ${SCALE.questions}) g
      cross join lateral (select timestamptz '${SCALE.start}' + g * interval '${SCALE.secondsPerQuestion} seconds' as at) t
      join bench_bodies b on b.kind = 'question' and b.k = g % ${QUESTION_BODIES.length}
      order by g`)
    log('questions', started)

    // Answers, in slices so progress shows; each 1–6 hours after the previous one.
    const [{ lo, hi }] = await run(`select min(id)::int as lo, max(id)::int as hi from questions`)
    const slice = 10_000
    for (let from = lo; from <= hi; from += slice) {
      await run(`
        insert into answers (question_id, author_id, body_source, body_html, created_at)
        select q.id, ${userOf('q.id * 31 + n.k * 101')}, b.source, b.html, q.created_at + n.k * interval '1 hour' * (1 + (q.id + n.k) % 6)
        from questions q
        cross join lateral generate_series(1, case when q.id % 10 = 3 then 0 else 1 + (q.id * 7919) % ${SCALE.answerSpread} end) n(k)
        join bench_bodies b on b.kind = 'answer' and b.k = (q.id + n.k) % ${ANSWER_BODIES.length}
        where q.id between ${from} and ${Math.min(hi, from + slice - 1)}
        order by q.id, n.k`)
    }
    log('answers', started)

    // The denormalised columns, from the answers: a third accept their first answer, one in eight
    // has an official (last) answer; the revision counts the writes that changed the thread.
    await run(`
      update questions q set answer_count = s.answers, last_activity_at = s.last_answer_at,
        accepted_answer_id = case when q.id % 3 = 0 then s.first_answer_id end,
        accepted_at = case when q.id % 3 = 0 then s.last_answer_at end,
        official_answer_id = case when q.id % 8 = 1 then s.last_answer_id end,
        official_marked_by_id = case when q.id % 8 = 1 then ${agentId} end,
        official_marked_at = case when q.id % 8 = 1 then s.last_answer_at end,
        revision = s.answers + (q.id % 3 = 0)::int + (q.id % 8 = 1)::int
      from (
        select question_id, count(*)::int as answers, max(created_at) as last_answer_at, min(id) as first_answer_id, max(id) as last_answer_id
        from answers group by question_id
      ) s
      where q.id = s.question_id`)
    // Unanswered for longer than a day: the sweep would have flagged every one of them.
    await run(`update questions set unanswered_flagged_at = created_at + interval '1 day' where answer_count = 0`)
    log('question counters', started)

    await run(`insert into tags (name) values ('${SCALE.bigTag}') on conflict do nothing`)
    await run(`insert into tags (name) select 'topic-' || g from generate_series(1, ${SCALE.otherTags}) g on conflict do nothing`)
    await run(`
      insert into question_tags (question_id, tag_id)
      select q.id, t.id from questions q join tags t on t.name = '${SCALE.bigTag}' where (q.id * 37) % 100 < ${SCALE.bigTagShare}
      union
      select q.id, t.id from questions q join tags t on t.name = 'topic-' || (1 + (q.id * 13) % ${SCALE.otherTags})
      union
      select q.id, t.id from questions q join tags t on t.name = 'topic-' || (1 + (q.id * 31) % ${SCALE.otherTags}) where q.id % 2 = 0`)
    log('tags', started)

    // The moderation queue: one report per item, on distinct answers; pending items keep scores
    // under the hiding threshold. The first items are resolved (dismissed), with their audit rows.
    await run(`
      insert into review_items (kind, status, version, target_kind, target_id, target_user_id, score, urgency, reasons, created_at, updated_at,
        resolution, resolution_reason, resolved_by_id, resolved_at)
      select 'report', case when g <= ${SCALE.resolvedReviewItems} then 'resolved' else 'pending' end::review_item_status,
        case when g <= ${SCALE.resolvedReviewItems} then 1 else 0 end,
        'answer', a.id, a.author_id, w.weight, case when r.reason in ('harassment', 'copyright') then 0 else 1 end,
        array[r.reason]::report_reason[], at, at,
        case when g <= ${SCALE.resolvedReviewItems} then 'dismissed' end, case when g <= ${SCALE.resolvedReviewItems} then 'Not against the rules.' end,
        case when g <= ${SCALE.resolvedReviewItems} then ${moderatorId} end, case when g <= ${SCALE.resolvedReviewItems} then at + interval '2 hours' end
      from generate_series(1, ${SCALE.reviewItems}) g
      join answers a on a.id = (select min(id) from answers) + g * 9
      cross join lateral (select (array[${REASONS.map(literal).join(',')}])[1 + (g * 7) % ${REASONS.length}] as reason) r
      cross join lateral (select (array[${WEIGHTS.join(',')}])[1 + (g * 11) % ${WEIGHTS.length}]::real as weight) w
      cross join lateral (select timestamptz '${SCALE.start}' + g * interval '600 seconds' as at) t
      order by g`)
    await run(`
      insert into reports (review_item_id, reporter_id, target_kind, target_id, reason, note, weight, status, created_at)
      select i.id, ${userOf('i.id * 53')}, 'answer', i.target_id, i.reasons[1], '', i.score,
        case when i.status = 'resolved' then 'dismissed' else 'open' end::report_status, i.created_at
      from review_items i order by i.id`)
    await run(`
      insert into moderation_actions (moderator_id, action, target_kind, target_id, target_user_id, reason, review_item_id, created_at)
      select i.resolved_by_id, 'dismiss', i.target_kind, i.target_id, i.target_user_id, i.resolution_reason, i.id, i.resolved_at
      from review_items i where i.status = 'resolved' order by i.id`)
    log('moderation queue', started)

    // Tickets: most long closed; the last ones still running, their SLA computed by the app.
    const closedTickets = SCALE.tickets - SCALE.runningTickets
    await run(`
      insert into tickets (subject, requester_id, requester_email, priority, status, tier, source, rating_token, created_at, updated_at,
        sla_started_at, first_response_at, solved_at, closed_at)
      select (${textArray(TITLES)})[1 + g % ${TITLES.length}] || ' (ticket ' || g || ')', u.id, u.email,
        (array['low', 'medium', 'high', 'critical'])[1 + g % 4]::ticket_priority,
        case when g <= ${closedTickets} then 'closed' else (array['open', 'pending'])[1 + g % 2] end::ticket_status,
        1 + (g % 10 = 0)::int, (array['web', 'email'])[1 + g % 2]::ticket_source, md5('t' || g),
        at, at + case when g <= ${closedTickets} then interval '3 days' else interval '0' end, at,
        case when g <= ${closedTickets} then at + interval '2 hours' end,
        case when g <= ${closedTickets} then at + interval '1 day' end,
        case when g <= ${closedTickets} then at + interval '3 days' end
      from generate_series(1, ${SCALE.tickets}) g
      join users u on u.id = ${userOf('g * 29')}
      cross join lateral (select case when g <= ${closedTickets} then timestamptz '${SCALE.start}' + g * interval '600 seconds'
        else now() - (${SCALE.tickets} - g) * interval '3 minutes' end as at) t
      order by g`)
    await run(`
      insert into ticket_messages (ticket_id, author_id, by_staff, body_source, body_html, created_at)
      select t.id, t.requester_id, false, b.source, b.html, t.created_at
      from tickets t join bench_bodies b on b.kind = 'question' and b.k = t.id % ${QUESTION_BODIES.length} order by t.id`)
    await run(`
      insert into ticket_messages (ticket_id, author_id, by_staff, body_source, body_html, created_at)
      select t.id, ${agentId}, true, b.source, b.html, t.first_response_at
      from tickets t join bench_bodies b on b.kind = 'answer' and b.k = t.id % ${ANSWER_BODIES.length}
      where t.first_response_at is not null order by t.id`)
    await run(`
      insert into ticket_events (ticket_id, actor_id, kind, from_value, to_value, created_at)
      select id, requester_id, 'created'::ticket_event_kind, null::text, source::text, created_at from tickets
      union all
      select id, ${agentId}, 'status', 'open', 'solved', solved_at from tickets where solved_at is not null
      union all
      select id, null, 'status', 'solved', 'closed', closed_at from tickets where closed_at is not null
      union all
      select id, ${agentId}, 'status', 'open', 'pending', created_at from tickets where status = 'pending'
      order by 6, 1`)
    await run(`select setval('ticket_number_seq', (select max(number) from tickets))`)
    await run(`analyze tickets, ticket_events, ticket_messages`)
    log('tickets', started)
  } finally {
    await sql.end()
  }
  const recomputed = await recomputeOpenTickets()
  log(`SLA of ${recomputed} running tickets`, started)

  const sql2 = postgres(url, { max: 1, onnotice: () => {} })
  try {
    // The search index, shaped as search/documents.server.ts builds it.
    await sql2.unsafe(`set synchronous_commit = off`)
    await sql2.unsafe(`insert into search_documents (${documentsInsertColumns}) ${documentsSelect}`)
    const terms = termsOf([...TITLES, ...QUESTION_BODIES, ...ANSWER_BODIES])
    await sql2`insert into search_terms (term) select unnest(${terms}::text[]) on conflict do nothing`
    log('search documents', started)
    await sql2.unsafe(`vacuum analyze`)
    await sql2.unsafe(`create table bench_scale_info (built_at timestamptz not null default now(), seconds real not null)`)
    await sql2`insert into bench_scale_info (seconds) values (${(performance.now() - started) / 1000})`
    log('vacuum analyze; done', started)
  } finally {
    await sql2.end()
    await closeDatabase()
  }
}
