/**
 * npm run bench:search -- [--posts 100000] [--queries 200] [--engine postgres|meilisearch]
 *
 * Measures search latency over a synthetic forum. The corpus is generated inside the database in a
 * few large statements (a model call per post would take hours at a million posts): a few users,
 * the seeded categories, questions with their answers (one question per four posts), titles and
 * bodies drawn from a fixed ~3,000-word vocabulary with a Zipf–Mandelbrot distribution (a few
 * words are everywhere, half of them are rare), plus some known phrases. Everything random comes
 * from `setseed(0.42)` on one session (and seeded PRNGs for the vocabulary and the query picks), so
 * a run is repeatable: PGlite and PostgreSQL 15 build the same corpus.
 *
 * The postgres engine's index (search_documents, search_terms) is then filled by one
 * INSERT … SELECT of the same shape search/documents.server.ts builds (a sample is compared with
 * it); the meilisearch engine (MEILI_URL) is filled through indexQuestions(), the search.index
 * job's path, in batches, into an index of its own that is deleted at the end. Then three kinds of
 * queries go through `getSearchEngine().search()`: rare words (in at most 0.1% of documents), the
 * 20 most frequent words, and 2–4 words with "quoted phrases" and -exclusions.
 *
 * Database: a fresh PGlite in a temp dir, or, with DATABASE_URL, a fresh database
 * `parley_bench_search_<pid>` created on that server and dropped at the end. The default run takes
 * about a minute on PostgreSQL and on PGlite; a million posts about ten minutes on PostgreSQL,
 * most of it in the common-word queries. It never fails on a timing: numbers are for reading.
 */
import { documentsSelect, documentsInsertColumns } from './search-documents-sql'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import type { SearchEngine } from '../../search/engine'

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '200' },
    engine: { type: 'string', default: 'postgres' },
  },
})
const postCount = Number(values.posts)
const queriesPerKind = Number(values.queries)
const engineName = values.engine
if (!Number.isInteger(postCount) || postCount < 100) fail('--posts takes a whole number of at least 100')
if (!Number.isInteger(queriesPerKind) || queriesPerKind < 1) fail('--queries takes a whole number of at least 1')
if (engineName !== 'postgres' && engineName !== 'meilisearch') fail(`Unknown engine “${engineName}”. Available: postgres, meilisearch`)
if (engineName === 'meilisearch' && !process.env.MEILI_URL) fail('--engine meilisearch needs MEILI_URL (the Meilisearch server to index into and query)')
// getSearchEngine() picks Meilisearch whenever MEILI_URL is set; the postgres run must not.
if (engineName === 'postgres') delete process.env.MEILI_URL

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

// ---------------------------------------------------------------------------------------------
// The corpus's shape

/** Posts per generating statement: a million posts never sit in memory at once. */
const POSTS_PER_BATCH = 50_000
const POSTS_PER_QUESTION = 4
const USER_COUNT = 50
/** Zipf–Mandelbrot: P(rank r) ∝ (r + Q)^-S. With these, the top word is ~11% of all words and about half the vocabulary is rare. */
const ZIPF_S = 1.7
const ZIPF_Q = 5
const VOCABULARY_SIZE = 3_000
/** Words per title, question body and answer: [minimum, maximum]. */
const TITLE_WORDS = [4, 9] as const
const QUESTION_WORDS = [15, 50] as const
const ANSWER_WORDS = [10, 40] as const
/** Share of questions / question bodies / answers that carry one of the known phrases. */
const PHRASE_RATE = { title: 0.01, question: 0.03, answer: 0.02 }
const RARE_SHARE = 0.001
const CORPUS_START = '2023-06-01 00:00:00+00'
const CORPUS_DAYS = 730

/** Phrases a real support forum repeats; the multi-word queries quote them. */
const PHRASES = [
  'sync stops after update',
  'reset password',
  'export as markdown',
  'two factor code rejected',
  'invoice missing',
  'cannot sign in',
  'blank white screen',
  'upload fails silently',
  'slow page load',
  'duplicate notification emails',
  'dark mode',
  'api rate limit',
]

/** The head of the vocabulary: real support words, so the common queries read like real ones. */
const REAL_WORDS = `error update account password sync login settings email page app server file export import
  install version browser phone network connection billing invoice plan upload download profile notification
  message backup restore database timeout crash screen button link report team project folder permission token
  session cache cookie mobile desktop windows linux android printer calendar contact payment subscription refund
  license code plugin theme template image video audio search filter chart table column field form domain
  certificate proxy firewall port memory disk storage quota limit speed freeze reboot reset delete archive share
  invite admin role group guest language timezone keyboard shortcut widget dashboard sidebar menu popup dialog
  warning trace`
  .split(/\s+/)
  .filter(Boolean)

/** Deterministic PRNG (mulberry32), for the vocabulary and the query picks. */
function random32(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** English-looking made-up words, after the real ones; more than needed, as some share a stem. */
function candidateWords(count: number) {
  const next = random32(42)
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]
  const onsets = ['b', 'bl', 'br', 'c', 'cl', 'cr', 'd', 'dr', 'f', 'fl', 'fr', 'g', 'gl', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'pl', 'pr', 'qu', 'r', 's', 'sc', 'sk', 'sl', 'sm', 'sn', 'sp', 'st', 'str', 't', 'th', 'tr', 'v', 'w', 'wh', 'z']
  const nuclei = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'i', 'o', 'ai', 'ea', 'ee', 'oa', 'ou', 'ie']
  const codas = ['', '', '', '', 'b', 'ck', 'd', 'ft', 'g', 'l', 'ld', 'lk', 'm', 'mp', 'n', 'nd', 'nk', 'nt', 'p', 'r', 'rd', 'rk', 'rn', 'sk', 'st', 't', 'x']
  const words = new Set(REAL_WORDS)
  while (words.size < count) {
    const syllables = next() < 0.55 ? 2 : 3
    let word = next() < 0.8 ? pick(onsets) : ''
    for (let i = 0; i < syllables; i++) word += (i > 0 ? pick(onsets) : '') + pick(nuclei) + (i === syllables - 1 || next() < 0.3 ? pick(codas) : '')
    if (word.length >= 4 && word.length <= 12) words.add(word)
  }
  return [...words]
}

/** The rank a uniform u draws: the inverse of the continuous Zipf–Mandelbrot CDF over [1, N + 1). */
const zipfA = Math.pow(1 + ZIPF_Q, 1 - ZIPF_S)
const zipfB = Math.pow(VOCABULARY_SIZE + 1 + ZIPF_Q, 1 - ZIPF_S)
const rankSql = `least(${VOCABULARY_SIZE}, floor(power(${zipfA} - random() * ${zipfA - zipfB}, ${1 / (1 - ZIPF_S)}) - ${ZIPF_Q}))::int`
/** P(a drawn word has rank r), for choosing rare-word candidates before counting them. */
const zipfCdf = (x: number) => (zipfA - Math.pow(x + ZIPF_Q, 1 - ZIPF_S)) / (zipfA - zipfB)
const rankProbability = (rank: number) => zipfCdf(rank + 1) - zipfCdf(rank)

const mean = ([low, high]: readonly [number, number]) => (low + high) / 2
const WORDS_PER_DOCUMENT = mean(TITLE_WORDS) + mean(QUESTION_WORDS) + (POSTS_PER_QUESTION - 1) * mean(ANSWER_WORDS)

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`
const textArray = (texts: string[]) => `array[${texts.map(literal).join(',')}]::text[]`
const intArray = (numbers: number[]) => `array[${numbers.map((n) => Math.trunc(n)).join(',')}]::int[]`
/** `length` words drawn from the vocabulary array `v.words`; `length` must name an outer column, so the subquery runs per row. */
const wordsSql = (length: string) => `array_to_string(array(select v.words[${rankSql}] from generate_series(1, ${length})), ' ')`
const lengthSql = ([low, high]: readonly [number, number]) => `${low} + floor(random() * ${high - low + 1})::int`
const phraseSql = (rate: number) => `case when random() < ${rate} then ' ' || (${textArray(PHRASES)})[1 + floor(random() * ${PHRASES.length})::int] else '' end`

// ---------------------------------------------------------------------------------------------
// One database session: setseed() and random() must run on the same connection.

type Session = { query<T>(text: string): Promise<T[]>; release(): void }

async function openSession(): Promise<Session> {
  const { getConnection } = await import('../../db/client.server')
  const connection = getConnection()
  if (connection.driver === 'pglite') {
    const client = connection.client
    return { query: async <T>(text: string) => (await client.query<T>(text)).rows, release: () => {} }
  }
  const reserved = await connection.client.reserve()
  return { query: async <T>(text: string) => [...(await reserved.unsafe(text))] as T[], release: () => reserved.release() }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

function progress(label: string, done: number, total: number) {
  if (process.stdout.isTTY) process.stdout.write(`\r  ${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}${done === total ? '\n' : ''}`)
}

/** The vocabulary, ranked: words whose stem another word already has (or stop words) are dropped, so each rank is one lexeme. */
async function buildVocabulary(session: Session) {
  const candidates = candidateWords(Math.round(VOCABULARY_SIZE * 1.3))
  const rows = await session.query<{ word: string; lexemes: string[] }>(
    `select w as word, tsvector_to_array(to_tsvector('english', w)) as lexemes from unnest(${textArray(candidates)}) with ordinality as c(w, n) order by n`,
  )
  const seen = new Set<string>()
  const words: string[] = []
  for (const { word, lexemes } of rows) {
    if (lexemes.length !== 1 || seen.has(lexemes[0])) continue
    seen.add(lexemes[0])
    words.push(word)
    if (words.length === VOCABULARY_SIZE) break
  }
  if (words.length < VOCABULARY_SIZE) throw new Error(`only ${words.length} distinct words`)
  await session.query(`create table bench_vocabulary (rank int primary key, word text not null)`)
  await session.query(`insert into bench_vocabulary (rank, word) select n, w from unnest(${textArray(words)}) with ordinality as c(w, n)`)
  return words
}

async function generateCorpus(session: Session) {
  const questionCount = Math.max(1, Math.round(postCount / POSTS_PER_QUESTION))
  const answerCount = postCount - questionCount
  await session.query(`select setseed(0.42)`)
  const vocabulary = await buildVocabulary(session)

  await session.query(`
    insert into users (username, email, password_hash, role, support_tier)
    select 'bench_' || lpad(g::text, 3, '0'), 'bench_' || lpad(g::text, 3, '0') || '@example.test', 'no-login',
      case when g = 1 then 'agent'::user_role else 'member'::user_role end, case when g = 1 then 1 end
    from generate_series(1, ${USER_COUNT}) g`)
  const userIds = (await session.query<{ id: number }>(`select id from users where username like 'bench\\_%' order by id`)).map((r) => r.id)
  const agentId = userIds[0]
  const categoryIds = (await session.query<{ id: number }>(`select id from categories order by position, id`)).map((r) => r.id)
  const tagNames = vocabulary.slice(0, 40)
  await session.query(`insert into tags (name) select unnest(${textArray(tagNames)}) on conflict do nothing`)
  const tagIds = (await session.query<{ id: number }>(`select t.id from unnest(${textArray(tagNames)}) with ordinality as n(name, i) join tags t on t.name = n.name order by n.i`)).map((r) => r.id)

  const vocabularySql = `v as materialized (select array_agg(word order by rank) as words from bench_vocabulary)`
  const secondsPerQuestion = (CORPUS_DAYS * 86_400) / questionCount
  const questionsPerBatch = Math.ceil(POSTS_PER_BATCH / POSTS_PER_QUESTION)
  let questionsDone = 0
  let answersDone = 0
  while (questionsDone < questionCount) {
    const questions = Math.min(questionsPerBatch, questionCount - questionsDone)
    const answers = Math.round((answerCount * (questionsDone + questions)) / questionCount) - answersDone
    const [{ lo, hi }] = await session.query<{ lo: number; hi: number }>(`
      with ${vocabularySql},
      p as materialized (
        select g, ${lengthSql(TITLE_WORDS)} as title_length, ${lengthSql(QUESTION_WORDS)} as body_length,
          (${intArray(userIds)})[1 + floor(random() * ${userIds.length})::int] as author_id,
          (${intArray(categoryIds)})[1 + floor(random() * ${categoryIds.length})::int] as category_id
        from generate_series(1, ${questions}) g
      ),
      t as materialized (
        select p.g, p.author_id, p.category_id,
          ${wordsSql('p.title_length')} || ${phraseSql(PHRASE_RATE.title)} as title,
          ${wordsSql('p.body_length')} || ${phraseSql(PHRASE_RATE.question)} as body
        from p, v
      ),
      inserted as (
        insert into questions (author_id, category_id, title, body_source, body_html, created_at, last_activity_at)
        select author_id, category_id, upper(left(title, 1)) || substr(title, 2) || '?', body, '<p>' || body || E'</p>\\n', at, at
        from (select t.*, timestamptz '${CORPUS_START}' + (${questionsDone} + g) * interval '${secondsPerQuestion} seconds' as at from t) x
        order by g
        returning id
      )
      select min(id)::int as lo, max(id)::int as hi from inserted`)
    // Each answer goes to a random question of this batch (so some have none, some many), some hours after it.
    await session.query(`
      with ${vocabularySql},
      q as materialized (select id, created_at, (row_number() over (order by id) - 1)::int as k from questions where id between ${lo} and ${hi}),
      a as materialized (
        select g, floor(random() * ${hi - lo + 1})::int as k, ${lengthSql(ANSWER_WORDS)} as body_length,
          (${intArray(userIds)})[1 + floor(random() * ${userIds.length})::int] as author_id, random() * 72 as hours_later
        from generate_series(1, ${answers}) g
      ),
      t as materialized (select a.g, a.k, a.author_id, a.hours_later, ${wordsSql('a.body_length')} || ${phraseSql(PHRASE_RATE.answer)} as body from a, v)
      insert into answers (question_id, author_id, body_source, body_html, created_at)
      select q.id, t.author_id, t.body, '<p>' || t.body || E'</p>\\n', q.created_at + t.hours_later * interval '1 hour'
      from t join q on q.k = t.k
      order by t.g`)
    // About a third of the answered questions accept their first answer, one in eight has an official one.
    await session.query(`
      update questions q set answer_count = s.answers, last_activity_at = s.last_answer_at,
        accepted_answer_id = case when s.r < 0.35 then s.first_answer_id end,
        accepted_at = case when s.r < 0.35 then s.last_answer_at end,
        official_answer_id = case when s.r >= 0.875 then s.last_answer_id end,
        official_marked_by_id = case when s.r >= 0.875 then ${agentId} end,
        official_marked_at = case when s.r >= 0.875 then s.last_answer_at end
      from (
        select question_id, answers, last_answer_at, first_answer_id, last_answer_id, random() as r
        from (
          select question_id, count(*)::int as answers, max(created_at) as last_answer_at, min(id) as first_answer_id, max(id) as last_answer_id
          from answers where question_id between ${lo} and ${hi} group by question_id
        ) g
        order by question_id
      ) s
      where q.id = s.question_id`)
    await session.query(`
      insert into question_tags (question_id, tag_id)
      select distinct q.id, (${intArray(tagIds)})[1 + floor(power(random(), 2) * ${tagIds.length})::int]
      from questions q cross join generate_series(1, 3) k
      where q.id between ${lo} and ${hi} and random() < 0.45
      on conflict do nothing`)
    questionsDone += questions
    answersDone += answers
    progress('posts generated', questionsDone + answersDone, postCount)
  }
  await session.query(`drop table bench_vocabulary`)
  await session.query(`analyze`)
  return { questionCount, answerCount, vocabulary }
}


async function indexInPostgres(session: Session, vocabulary: string[]) {
  await session.query(`
    insert into search_documents (${documentsInsertColumns})
    ${documentsSelect}`)
  // search_terms holds what termsOf() in search/text.ts takes from the documents: lowercase words of 3 to 40 characters.
  const words = new Set([...vocabulary, ...PHRASES.flatMap((p) => p.split(' '))])
  await session.query(`insert into search_terms (term) select w from unnest(${textArray([...words])}) w where length(w) between 3 and 40 on conflict do nothing`)
  // What autovacuum would soon do: planner statistics, and the GIN pending list merged into the index.
  await session.query(`vacuum analyze search_documents`)
  await session.query(`vacuum analyze search_terms`)
}

/** Compares documents the SQL above wrote with what search/documents.server.ts builds for the same questions. */
async function checkDocumentShape(session: Session) {
  const { loadSearchDocuments } = await import('../../search/documents.server')
  const [{ lo, hi }] = await session.query<{ lo: number; hi: number }>(`select min(question_id) as lo, max(question_id) as hi from search_documents`)
  const sample = Array.from({ length: 50 }, (_, i) => Math.round(Number(lo) + (i * (Number(hi) - Number(lo))) / 49))
  const rows = await session.query<Record<string, unknown>>(`
    select question_id, title, body, category_id, tag_names, author_username, answer_count, has_accepted_answer, has_official_answer,
      (extract(epoch from created_at) * 1000)::float8 as created_ms, (extract(epoch from last_activity_at) * 1000)::float8 as last_activity_ms
    from search_documents where question_id = any(${intArray(sample)}) order by question_id`)
  const { documents } = await loadSearchDocuments(rows.map((r) => Number(r.question_id)))
  const built = new Map(documents.map((d) => [d.questionId, d]))
  const differences = new Set<string>()
  for (const row of rows) {
    const d = built.get(Number(row.question_id))
    if (!d) {
      differences.add('missing')
      continue
    }
    const expected: Record<string, unknown> = {
      title: d.title, body: d.body, category_id: d.categoryId, tag_names: JSON.stringify(d.tagNames), author_username: d.authorUsername,
      answer_count: d.answerCount, has_accepted_answer: d.hasAcceptedAnswer, has_official_answer: d.hasOfficialAnswer,
      created_ms: d.createdAt.getTime(), last_activity_ms: d.lastActivityAt.getTime(),
    }
    for (const [field, value] of Object.entries(expected)) {
      const actual = field === 'tag_names' ? JSON.stringify(row[field]) : typeof value === 'number' ? Number(row[field]) : row[field]
      if (actual !== value) differences.add(field)
    }
  }
  return differences.size === 0
    ? `${rows.length} sampled documents identical to loadSearchDocuments()`
    : `WARNING: sampled documents differ from loadSearchDocuments() in ${[...differences].join(', ')}`
}

/** The Meilisearch engine is filled the way the search.index job fills it: indexQuestions() over batches of ids. */
async function indexThroughEngine(session: Session, engine: SearchEngine) {
  const { indexQuestions } = await import('../../search/index.server')
  await engine.clear()
  const ids = (await session.query<{ id: number }>(`select id from questions order by id`)).map((r) => Number(r.id))
  const batchSize = 2_000
  for (let start = 0; start < ids.length; start += batchSize) {
    await indexQuestions(ids.slice(start, start + batchSize), engine)
    progress('questions sent to Meilisearch', Math.min(ids.length, start + batchSize), ids.length)
  }
}

// ---------------------------------------------------------------------------------------------
// Queries

type Kind = 'rare' | 'common' | 'multi-word'

/** How many documents hold each word (through the GIN index: cheap for rare words). */
async function documentFrequencies(session: Session, words: string[]) {
  const rows = await session.query<{ word: string; documents: number }>(`
    select w as word, (select count(*)::int from search_documents d where d.search_vector @@ plainto_tsquery('english', w)) as documents
    from unnest(${textArray(words)}) w`)
  return new Map(rows.map((r) => [r.word, Number(r.documents)]))
}

async function pickQueries(session: Session, vocabulary: string[], documentCount: number): Promise<Record<Kind, string[]>> {
  const next = random32(0x5eed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]
  const shuffled = <T>(list: readonly T[]) => {
    const copy = [...list]
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[copy[i], copy[j]] = [copy[j], copy[i]]
    }
    return copy
  }

  // Rare: words expected in at most 0.1% of documents, kept only if the index agrees (and holds them at all).
  const rareLimit = Math.max(1, Math.floor(documentCount * RARE_SHARE))
  const expectedShare = (rank: number) => 1 - Math.pow(1 - rankProbability(rank), WORDS_PER_DOCUMENT)
  const candidates = shuffled(vocabulary.filter((_, i) => expectedShare(i + 1) <= RARE_SHARE * 0.8))
  const rare: string[] = []
  const found = new Map<string, number>()
  for (let start = 0; start < candidates.length && rare.length < queriesPerKind; start += 500) {
    const chunk = candidates.slice(start, start + 500)
    const frequencies = await documentFrequencies(session, chunk)
    for (const word of chunk) {
      const documents = frequencies.get(word) ?? 0
      if (documents >= 1 && documents <= rareLimit && rare.length < queriesPerKind) {
        rare.push(word)
        found.set(word, documents)
      }
    }
  }
  if (rare.length === 0) throw new Error('no rare words found: is the corpus too small?')
  rareDocuments = { min: Math.min(...rare.map((w) => found.get(w)!)), max: Math.max(...rare.map((w) => found.get(w)!)) }

  // Common: the 20 most frequent words in turn.
  const top = vocabulary.slice(0, 20)
  const common = Array.from({ length: queriesPerKind }, (_, i) => top[i % top.length])

  // Multi-word: two to four words from the frequent-to-middling ranks, quoted phrases, exclusions.
  const middling = vocabulary.slice(5, 300)
  const multiWord = Array.from({ length: queriesPerKind }, (_, i) => {
    switch (i % 6) {
      case 0:
        return `${pick(middling)} ${pick(middling)}`
      case 1:
        return `${pick(middling)} ${pick(middling)} ${pick(middling)}`
      case 2:
        return `${pick(middling)} ${pick(middling)} ${pick(middling)} ${pick(middling)}`
      case 3:
        return `"${pick(PHRASES.filter((p) => p.split(' ').length <= 4))}"`
      case 4:
        return `"${pick(PHRASES.filter((p) => p.split(' ').length <= 2))}" ${pick(middling)}`
      default:
        return `${pick(middling)} ${pick(middling)} -${pick(top)}`
    }
  })
  return { rare: rare.length >= queriesPerKind ? rare : Array.from({ length: queriesPerKind }, (_, i) => rare[i % rare.length]), common, 'multi-word': multiWord }
}

/** A plain-text table: names left-aligned, numbers right-aligned. */
function printTable(header: string[], rows: (string | number)[][]) {
  const cells = [header, ...rows].map((row) => row.map(String))
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)))
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')
  console.log(line(cells[0]))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const row of cells.slice(1)) console.log(line(row))
}

/** How many documents the chosen rare words are in, for the report. */
let rareDocuments = { min: 0, max: 0 }

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]

async function measure(engine: SearchEngine, queries: string[]) {
  const times: number[] = []
  let hits = 0
  let total = 0
  for (const text of queries) {
    const started = performance.now()
    const result = await engine.search({ text, limit: 20 })
    times.push(performance.now() - started)
    hits += result.hits.length
    total += result.total
  }
  times.sort((a, b) => a - b)
  const ms = (n: number) => Number(n.toFixed(n < 10 ? 2 : 1))
  return {
    queries: queries.length,
    'p50 ms': ms(percentile(times, 0.5)),
    'p95 ms': ms(percentile(times, 0.95)),
    'p99 ms': ms(percentile(times, 0.99)),
    'mean hits': Number((hits / queries.length).toFixed(1)),
    'mean matches': Math.round(total / queries.length),
  }
}

// ---------------------------------------------------------------------------------------------
// The database: a fresh PGlite in a temp dir, or a fresh database on DATABASE_URL's server.

const serverUrl = process.env.DATABASE_URL
const benchName = `parley_bench_search_${process.pid}`
const dataDir = serverUrl ? null : mkdtempSync(path.join(tmpdir(), 'parley-bench-search-'))
let databaseCreated = false
// Meilisearch gets an index of its own too, so the bench never empties the forum's real one.
const meiliIndex = engineName === 'meilisearch' ? benchName.replaceAll('_', '-') : null
if (meiliIndex) process.env.MEILI_INDEX = meiliIndex

async function createBenchDatabase() {
  if (!serverUrl) {
    process.env.PGLITE_DIR = dataDir!
    return
  }
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`create database ${benchName}`)
    databaseCreated = true
  } finally {
    await admin.end({ timeout: 5 })
  }
  const url = new URL(serverUrl)
  url.pathname = `/${benchName}`
  process.env.DATABASE_URL = url.toString()
}

let cleanedUp = false
let interrupted = false
/** Interrupted, the connections are not closed first: DROP DATABASE … WITH (FORCE) ends them. */
async function cleanUp() {
  if (cleanedUp) return
  cleanedUp = true
  if (!interrupted) {
    const { closeDatabase } = await import('../../db/client.server')
    await closeDatabase()
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  if (meiliIndex && process.env.MEILI_URL) {
    const { Meilisearch } = await import('meilisearch')
    const client = new Meilisearch({ host: process.env.MEILI_URL, apiKey: process.env.MEILI_MASTER_KEY || undefined })
    await client
      .deleteIndex(meiliIndex)
      .waitTask({ timeout: 60_000 })
      .catch((error: Error) => console.error(`Could not delete the Meilisearch index ${meiliIndex}: ${error.message}`))
  }
  if (!serverUrl || !databaseCreated) return
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`drop database if exists ${benchName} with (force)`)
  } finally {
    await admin.end({ timeout: 5 })
  }
}

process.once('SIGINT', () => {
  console.error('\nInterrupted; removing the benchmark database.')
  interrupted = true
  cleanUp()
    .catch((error: Error) => console.error(`Clean-up failed: ${error.message}`))
    .finally(() => process.exit(130))
})

const runStarted = performance.now()
await createBenchDatabase()
try {
  const { migrateAll } = await import('../../app/platform/migrate.server')
  const { jobRegistry } = await import('../../app/jobs.server')
  const { seedBase } = await import('../../scripts/seed')
  const { getConnection } = await import('../../db/client.server')
  const { getSearchEngine } = await import('../../search/index.server')
  await migrateAll(jobRegistry)
  await seedBase()
  const driver = getConnection().driver
  const engine = getSearchEngine()
  if (engine.name !== engineName) throw new Error(`getSearchEngine() gave the ${engine.name} engine, not ${engineName}`)
  console.log(`Generating ${postCount.toLocaleString('en')} posts in ${driver === 'pglite' ? `PGlite (${dataDir})` : `PostgreSQL (database ${benchName})`}…`)

  const session = await openSession()
  let databaseVersion: string
  let generated: Awaited<ReturnType<typeof generateCorpus>>
  let generationMs: number
  let indexingMs: number
  let documentCount: number
  let shape: string
  let sizes: { documents: number; vector_index: number; terms: number }
  let queries: Record<Kind, string[]>
  try {
    databaseVersion = (await session.query<{ v: string }>(`select current_setting('server_version') as v`))[0].v
    // Big generating statements: no JIT compilation for them, room to sort in memory, no waiting on the WAL flush.
    if (driver === 'postgres') {
      for (const setting of [`jit = off`, `work_mem = '256MB'`, `maintenance_work_mem = '512MB'`, `synchronous_commit = off`]) await session.query(`set ${setting}`)
    }
    let started = performance.now()
    generated = await generateCorpus(session)
    generationMs = performance.now() - started

    started = performance.now()
    // The Meilisearch run fills search_documents too, untimed: the rare-word check counts through its index.
    await indexInPostgres(session, generated.vocabulary)
    if (engineName === 'meilisearch') {
      started = performance.now()
      await indexThroughEngine(session, engine)
    }
    indexingMs = performance.now() - started
    shape = await checkDocumentShape(session)
    documentCount = (await session.query<{ n: number }>(`select count(*)::int as n from search_documents`))[0].n
    ;[sizes] = await session.query<typeof sizes>(`
      select pg_total_relation_size('search_documents')::float8 as documents,
        pg_relation_size('search_documents_vector_idx')::float8 as vector_index,
        pg_total_relation_size('search_terms')::float8 as terms`)
    queries = await pickQueries(session, generated.vocabulary, documentCount)
  } finally {
    session.release()
  }

  // Warm-up: caches, plans, the engine's connections; not measured.
  const kinds = Object.keys(queries) as Kind[]
  for (const kind of kinds) for (const text of queries[kind].slice(0, 20)) await engine.search({ text, limit: 20 })
  const table: Record<string, Awaited<ReturnType<typeof measure>>> = {}
  for (const kind of kinds) table[kind] = await measure(engine, queries[kind])

  const count = (n: number) => n.toLocaleString('en')
  console.log(
    `\nDatabase: ${driver === 'pglite' ? `PGlite (PostgreSQL ${databaseVersion} in WebAssembly, temp dir)` : `PostgreSQL ${databaseVersion}`} · engine: ${engine.name}` +
      ` · ${count(postCount)} posts (${count(generated.questionCount)} questions, ${count(generated.answerCount)} answers) · ${count(documentCount)} documents`,
  )
  console.log(`Corpus: ${count(VOCABULARY_SIZE)} words, P(rank r) ∝ (r + ${ZIPF_Q})^-${ZIPF_S}, ${PHRASES.length} known phrases, setseed(0.42) · ${shape}`)
  console.log(
    `Generation: ${seconds(generationMs)} · indexing: ${seconds(indexingMs)} ` +
      (engineName === 'meilisearch' ? '(indexQuestions() through the Meilisearch engine, 2,000 questions a batch)' : '(one INSERT … SELECT, then VACUUM ANALYZE)'),
  )
  console.log(
    `Index size: search_documents ${mebibytes(sizes.documents)} with its indexes (the tsvector GIN index ${mebibytes(sizes.vector_index)}), search_terms ${mebibytes(sizes.terms)}` +
      (engineName === 'meilisearch' ? ' (the PostgreSQL side; the Meilisearch index is not measured)' : ''),
  )
  console.log(
    `Queries: search({ text, limit: 20 }) one at a time after ${Math.min(20, queriesPerKind)} warm-up queries per kind; rare = in at most ${RARE_SHARE * 100}% of documents (these: ${rareDocuments.min}–${rareDocuments.max});` +
      ' mean hits = hits returned, mean matches = total',
  )
  printTable(['kind', ...Object.keys(table[kinds[0]])], kinds.map((kind) => [kind, ...Object.values(table[kind])]))
  for (const kind of kinds) console.log(`  ${kind}: ${queries[kind].slice(0, 4).map((q) => `«${q}»`).join(', ')} …`)
  console.log(`Total run time: ${seconds(performance.now() - runStarted)}`)
} catch (error) {
  // The queries an interrupt cut short fail; the SIGINT handler cleans up and exits.
  if (!interrupted) throw error
} finally {
  if (interrupted) await new Promise(() => {})
  await cleanUp()
}
