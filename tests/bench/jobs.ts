/**
 * npm run bench -- jobs [--jobs 5000] [--answers 2100] [--threads 100] [--drain-seconds 120] [--no-smtp]
 *
 * The write path and the job queue, on PostgreSQL only (DATABASE_URL names the server; a fresh
 * database `<its name>_bench_<pid>` is created there and dropped at the end):
 *
 * 1. createAnswer latency, in this process: 200 answers one after another, then a burst of
 *    --answers answers over --threads threads from 8 concurrent writers (the burst), with
 *    the jobs that burst left queued, per queue.
 * 2. How fast ONE worker process (`tsx app/worker.ts`, started here) drains what is queued:
 *    the burst's jobs; then --jobs jobs, half search.index (each for a different thread of five
 *    answers) and half mail.send into the outbox (SMTP_URL unset); then --jobs/2 mail.send jobs
 *    through SMTP to a real receiver (tests/setup/smtp-receiver.ts) unless --no-smtp.
 *    Jobs/s counts from the worker's first fetch to its last completion, as pg-boss recorded them.
 *    A drain that has not finished after --drain-seconds is reported with what it did by then.
 *
 * It never fails on a timing: numbers are for reading.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import postgres from "postgres";

const INDEX_QUEUE = "search.index";
const MAIL_QUEUE = "mail.send";
const WRITERS = 8;
const SEQUENTIAL_ANSWERS = 200;

export async function runJobsBench(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      jobs: { type: "string", default: "5000" },
      answers: { type: "string", default: "2100" },
      threads: { type: "string", default: "100" },
      "drain-seconds": { type: "string", default: "120" },
      "no-smtp": { type: "boolean", default: false },
    },
  });
  const jobCount = wholeNumber(values.jobs, "--jobs");
  const burstAnswers = wholeNumber(values.answers, "--answers");
  const threadCount = wholeNumber(values.threads, "--threads");
  const drainSeconds = wholeNumber(values["drain-seconds"], "--drain-seconds");
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error(
      "npm run bench -- jobs needs PostgreSQL (DATABASE_URL): one worker process drains the queue, and PGlite serves one process."
    );
    return 1;
  }

  const baseName =
    decodeURIComponent(new URL(serverUrl).pathname.slice(1)) || "parley";
  const benchName = `${baseName}_bench_${process.pid}`.replace(
    /[^a-z0-9_]/gi,
    "_"
  );
  const benchUrl = new URL(serverUrl);
  benchUrl.pathname = `/${benchName}`;
  const admin = postgres(serverUrl, {
    max: 1,
    database: "postgres",
    onnotice: () => {},
  });
  await admin.unsafe(`create database ${benchName}`);
  await admin.end({ timeout: 5 });
  process.env.DATABASE_URL = benchUrl.toString();
  delete process.env.SMTP_URL;
  delete process.env.MEILI_URL;
  let worker: ChildProcess | null = null;
  const sql = postgres(benchUrl.toString(), { max: 2, onnotice: () => {} });

  const dropDatabase = async () => {
    worker?.kill("SIGKILL");
    await sql.end({ timeout: 5 }).catch(() => {});
    const { closeDatabase } = await import("../../db/client.server");
    await closeDatabase().catch(() => {});
    const admin = postgres(serverUrl, {
      max: 1,
      database: "postgres",
      onnotice: () => {},
    });
    await admin.unsafe(`drop database if exists ${benchName} with (force)`);
    await admin.end({ timeout: 5 });
  };
  process.once("SIGINT", () => {
    console.error("\nInterrupted; removing the benchmark database.");
    dropDatabase().finally(() => process.exit(130));
  });

  try {
    const { migrateAll } = await import("../../app/platform/migrate.server");
    const { jobRegistry } = await import("../../app/jobs.server");
    const { seedBase } = await import("../../scripts/seed");
    const { createTestQuestion, createTestUser } = await import("../factories");
    const { createAnswer } = await import("../../app/forum/answers.server");
    await migrateAll(jobRegistry);
    await seedBase();

    // ---- 1. createAnswer latency -------------------------------------------------------------
    const asker = await createTestUser();
    const answerers = await Promise.all(
      Array.from({ length: WRITERS }, () => createTestUser())
    );
    const threads: number[] = [];
    for (let i = 0; i < threadCount; i++)
      threads.push(
        (
          await createTestQuestion({
            authorId: asker.id,
            body: `Question ${i}: it **stopped** working after the update.`,
          })
        ).id
      );
    const body = (i: number) =>
      `Answer ${i}: try **this** first, then [that](https://example.com/${i}).\n\n- one\n- two\n`;
    const answer = async (i: number, writer: number) => {
      const started = performance.now();
      const created = await createAnswer({
        questionId: threads[i % threads.length],
        authorId: answerers[writer].id,
        bodySource: body(i),
      });
      if (!created) throw new Error("answer not created");
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) await answer(i, i % WRITERS); // warm-up: connections, prepared statements, JIT
    await clearJobs(sql);

    const sequential: number[] = [];
    const sequentialStarted = performance.now();
    for (let i = 0; i < SEQUENTIAL_ANSWERS; i++)
      sequential.push(await answer(i, i % WRITERS));
    const sequentialSeconds = (performance.now() - sequentialStarted) / 1000;
    await clearJobs(sql);

    const concurrent: number[] = [];
    let next = 0;
    const burstStarted = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = next++; i < burstAnswers; i = next++)
          concurrent.push(await answer(i, writer));
      })
    );
    const burstSeconds = (performance.now() - burstStarted) / 1000;
    const burstQueued = await waitingJobs(sql);

    console.log(
      `\nDatabase: PostgreSQL · createAnswer in this process · ${threadCount} threads`
    );
    console.table([
      latencyRow(
        `sequential, ${SEQUENTIAL_ANSWERS} answers`,
        sequential,
        sequentialSeconds
      ),
      latencyRow(
        `${WRITERS} writers, ${burstAnswers} answers`,
        concurrent,
        burstSeconds
      ),
    ]);
    console.log(
      `The burst of ${burstAnswers} answers to ${threadCount} threads left queued: ${formatCounts(
        burstQueued
      )}`
    );

    // ---- 2. one worker process drains the queue ---------------------------------------------
    const drains: Record<string, string | number>[] = [];
    const drainWith = async (scenario: string, env: Record<string, string>) => {
      const queued = await waitingJobs(sql);
      const total = Object.values(queued).reduce((sum, n) => sum + n, 0);
      const [{ since }] = await sql<{ since: Date }[]>`select now() as since`;
      worker = await startWorker(env);
      const readyAt = performance.now();
      let left = total;
      while (left > 0 && performance.now() - readyAt < drainSeconds * 1000) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        left = Object.values(await waitingJobs(sql)).reduce(
          (sum, n) => sum + n,
          0
        );
      }
      await stopWorker(worker);
      worker = null;
      const [done] = await sql<
        { completed: number; failed: number; seconds: number | null }[]
      >`
        select count(*) filter (where state = 'completed')::int as completed,
          count(*) filter (where state = 'failed' or (state = 'retry'))::int as failed,
          extract(epoch from max(completed_on) - min(started_on))::float8 as seconds
        from pgboss.job where name in (${INDEX_QUEUE}, ${MAIL_QUEUE}) and started_on >= ${since}`;
      drains.push({
        scenario,
        queued: formatCounts(queued),
        completed: done.completed,
        "failed/retrying": done.failed,
        seconds: Number((done.seconds ?? 0).toFixed(2)),
        "jobs/s": done.seconds ? Math.round(done.completed / done.seconds) : 0,
        finished:
          left === 0 ? "yes" : `no (${left} left after ${drainSeconds} s)`,
      });
      await clearJobs(sql);
    };

    await drainWith(`the burst's jobs (outbox)`, {});

    const indexJobs = Math.floor(jobCount / 2);
    const mailJobs = jobCount - indexJobs;
    await queueIndexJobs(sql, indexJobs);
    await queueMailJobs(mailJobs);
    await drainWith(`${indexJobs} index + ${mailJobs} outbox mail`, {});

    if (!values["no-smtp"]) {
      const { startSmtpReceiver } = await import("../setup/smtp-receiver");
      const receiver = await startSmtpReceiver();
      await queueMailJobs(mailJobs);
      await drainWith(`${mailJobs} mail through SMTP`, {
        SMTP_URL: receiver.url,
      });
      console.log(
        `(the SMTP receiver got ${receiver.messages.length} messages)`
      );
      await receiver.close();
    }

    console.log(
      `\nOne worker process (tsx app/worker.ts) draining search.index and mail.send jobs; jobs/s from its first fetch to its last completion`
    );
    console.table(drains);
    console.log(
      "Targets (issue 12): createAnswer p50 under 20 ms; one worker at least 200 jobs/s; at most one waiting index job per thread."
    );
    return 0;
  } finally {
    await dropDatabase();
  }
}

function wholeNumber(value: string | undefined, name: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${name} takes a whole number of at least 1`);
    process.exit(1);
  }
  return n;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function latencyRow(scenario: string, times: number[], seconds: number) {
  const sorted = [...times].sort((a, b) => a - b);
  const ms = (n: number) => Number(n.toFixed(1));
  return {
    scenario,
    "p50 ms": ms(percentile(sorted, 0.5)),
    "p99 ms": ms(percentile(sorted, 0.99)),
    "max ms": ms(sorted[sorted.length - 1]),
    "answers/s": Math.round(times.length / seconds),
  };
}

/** Jobs not yet done (created, retry or active), per queue. */
async function waitingJobs(sql: postgres.Sql) {
  const rows = await sql<{ name: string; count: number }[]>`
    select name, count(*)::int as count from pgboss.job
    where name in (${INDEX_QUEUE}, ${MAIL_QUEUE}) and state in ('created', 'retry', 'active') group by name order by name`;
  return Object.fromEntries(rows.map((r) => [r.name, r.count])) as Record<
    string,
    number
  >;
}

const formatCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([name, n]) => `${n} ${name}`)
    .join(", ") || "nothing";

async function clearJobs(sql: postgres.Sql) {
  await sql`delete from pgboss.job where name in (${INDEX_QUEUE}, ${MAIL_QUEUE})`;
  await sql`delete from mail_outbox`;
}

/**
 * `count` threads of a question and five answers each (copied in SQL from the first thread, so
 * this takes a second), and an index job for each, queued the way the app queues them.
 */
async function queueIndexJobs(sql: postgres.Sql, count: number) {
  const [template] = await sql<
    { id: number; author_id: number }[]
  >`select id, author_id from questions order by id limit 1`;
  const ids = await sql<{ id: number }[]>`
    insert into questions (author_id, category_id, title, body_source, body_html, answer_count)
    select author_id, category_id, title || ' (copy ' || g || ')', body_source, body_html, 5
    from questions, generate_series(1, ${count}) g where id = ${template.id}
    returning id`;
  await sql`
    insert into answers (question_id, author_id, body_source, body_html)
    select q.id, ${
      template.author_id
    }, 'Answer ' || n || ': try **this** first.', '<p>Answer ' || n || ': try <strong>this</strong> first.</p>'
    from unnest(${sql.array(
      ids.map((r) => r.id)
    )}::int[]) as q(id), generate_series(1, 5) n`;
  const { db } = await import("../../db/client.server");
  const { queueSearchIndex } = await import("../../search/index.server");
  for (let i = 0; i < ids.length; i += 100) {
    await db.transaction(async (tx) => {
      for (const { id } of ids.slice(i, i + 100))
        await queueSearchIndex(tx, id);
    });
  }
}

async function queueMailJobs(count: number) {
  const { db } = await import("../../db/client.server");
  const { queueMail } = await import("../../app/platform/mail.server");
  for (let i = 0; i < count; i += 100) {
    await db.transaction(async (tx) => {
      for (let j = i; j < Math.min(count, i + 100); j++) {
        await queueMail(tx, {
          to: `member${j}@example.test`,
          subject: `Bench mail ${j}`,
          text: `Someone answered your question.\n\nhttp://localhost/answers/${j}`,
        });
      }
    });
  }
}

function startWorker(env: Record<string, string>) {
  const child = spawn(
    path.resolve("node_modules/.bin/tsx"),
    ["app/worker.ts"],
    {
      env: { ...process.env, ...env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "inherit"],
    }
  );
  return new Promise<ChildProcess>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("worker is running")) resolve(child);
    });
    child.once("exit", (code) =>
      reject(new Error(`the worker exited with ${code}`))
    );
  });
}

async function stopWorker(child: ChildProcess) {
  child.removeAllListeners("exit");
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([
    exited,
    new Promise((resolve) => setTimeout(resolve, 40_000)),
  ]);
  if (child.exitCode === null) child.kill("SIGKILL");
}
