/**
 * PostgreSQL full-text search in the app's own database: the default engine, with nothing more to
 * run. search_documents.search_vector weighs title words (A) above body words (B); search_terms
 * holds every indexed word so pg_trgm can correct a misspelled query word.
 */
import { sql, type SQL } from 'drizzle-orm'
import { db, rowsOf } from '#db/client.server'
import type { SearchDocument, SearchEngine, SearchHit, SearchQuery, SearchResult } from './engine'
import { boundedInteger, cleanIndexedText, correctableWords, MARK_END, MARK_START, plainExcerpt, rewriteQuery, snippetHtml, termsOf } from './text'

const DEFAULT_LIMIT = 20
const MAX_LIMIT = 100

/**
 * ts_headline drops whatever its parser takes for an HTML tag, so "<script>" in a post would
 * vanish from the snippet instead of showing escaped: angle brackets travel as private-use
 * characters through it (documents never contain those, see cleanIndexedText).
 */
const LT = '\ue000'
const GT = '\ue001'
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MinWords=15, MaxWords=35, MaxFragments=2, FragmentDelimiter=" … "`

type HitRow = {
  question_id: number
  title: string
  body: string
  category_id: number
  tag_names: string[]
  author_username: string
  answer_count: number
  has_accepted_answer: boolean
  has_official_answer: boolean
  last_activity_ms: number
  snippet: string | null
  total?: number
}

const hitColumns = sql.raw(
  'd.question_id, d.title, d.body, d.category_id, d.tag_names, d.author_username, d.answer_count, d.has_accepted_answer, d.has_official_answer, d.last_activity_at',
)
/** What a hit needs from the ranked rows; of the body only its start, for a hit with nothing marked. */
const outerColumns = sql.raw(
  'm.question_id, m.title, left(m.body, 400) as body, m.category_id, m.tag_names, m.author_username, m.answer_count, m.has_accepted_answer, m.has_official_answer',
)

function toHit(row: HitRow): SearchHit {
  const marked = row.snippet ?? plainExcerpt(row.body)
  return {
    questionId: Number(row.question_id),
    title: row.title,
    snippet: snippetHtml(marked.replaceAll(LT, '<').replaceAll(GT, '>')),
    categoryId: Number(row.category_id),
    tagNames: row.tag_names,
    authorUsername: row.author_username,
    answerCount: Number(row.answer_count),
    hasAcceptedAnswer: row.has_accepted_answer,
    hasOfficialAnswer: row.has_official_answer,
    lastActivityAt: new Date(Number(row.last_activity_ms)),
  }
}

/** The text a snippet is cut from, with angle brackets hidden from ts_headline. */
const headlineText = sql.raw(`translate(m.title || E'\\n' || m.body, '<>', '${LT}${GT}')`)

function filtersOf(query: SearchQuery): SQL[] {
  const filters: SQL[] = []
  if (query.categoryId != null) filters.push(sql`d.category_id = ${query.categoryId}`)
  if (query.tag) filters.push(sql`d.tag_names @> array[${query.tag}]::text[]`)
  if (query.status === 'solved') filters.push(sql`(d.has_accepted_answer or d.has_official_answer)`)
  if (query.status === 'unsolved') filters.push(sql`not d.has_accepted_answer and not d.has_official_answer`)
  if (query.status === 'official') filters.push(sql`d.has_official_answer`)
  if (query.authorUsername) filters.push(sql`lower(d.author_username) = lower(${query.authorUsername})`)
  return filters
}

/** The most matches a search ranks and counts. */
export const CANDIDATE_LIMIT = 1000

async function runSearch(text: string, query: SearchQuery): Promise<{ hits: SearchHit[]; total: number; totalIsEstimate: boolean }> {
  const limit = boundedInteger(query.limit, { min: 1, max: MAX_LIMIT, fallback: DEFAULT_LIMIT })
  const offset = boundedInteger(query.offset, { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 })
  const tsquery = sql`websearch_to_tsquery('english', ${text})`
  const where = sql.join([sql`d.search_vector @@ ${tsquery}`, ...filtersOf(query)], sql` and `)
  // Title rank with body words weighing 0 is above zero only when the title alone holds the whole
  // query: such questions come first, then the weighted rank over title and body (normalised by
  // length, so a long thread mentioning a word often does not bury a short exact one).
  // A word in most documents would otherwise be fetched, counted and ranked across all of them on
  // every search (1.7 s at a million posts). The first CANDIDATE_LIMIT matches the GIN index
  // yields are ranked instead, and the total stops counting there; any query narrow enough to
  // matter is ranked in full. (Taking the most recent matches instead costs a sort of every match:
  // measured at 52 ms against 8 ms at 100,000 posts.)
  const rows = rowsOf<HitRow>(
    await db.execute(sql`
      with candidates as materialized (
        select * from search_documents d where ${where}
        limit ${CANDIDATE_LIMIT}
      )
      select ${outerColumns}, m.total, (extract(epoch from m.last_activity_at) * 1000)::float8 as last_activity_ms,
        ts_headline('english', ${headlineText}, ${tsquery}, ${HEADLINE_OPTIONS}) as snippet
      from (
        select ${hitColumns}, count(*) over ()::int as total,
          ts_rank_cd('{0,0,0,1}', d.search_vector, ${tsquery}) as title_rank,
          ts_rank_cd(d.search_vector, ${tsquery}, 1) as rank
        from candidates d
        order by title_rank desc, rank desc, d.last_activity_at desc, d.question_id desc
        limit ${limit} offset ${offset}
      ) m
      order by m.title_rank desc, m.rank desc, m.last_activity_at desc, m.question_id desc
    `),
  )
  if (rows.length > 0) return { hits: rows.map(toHit), total: Number(rows[0].total), totalIsEstimate: Number(rows[0].total) >= CANDIDATE_LIMIT }
  if (offset === 0) return { hits: [], total: 0, totalIsEstimate: false }
  // A page past the end still reports how many there are.
  const [count] = rowsOf<{ total: number }>(await db.execute(sql`select count(*)::int as total from (select 1 from search_documents d where ${where} limit ${CANDIDATE_LIMIT}) c`))
  return { hits: [], total: Number(count?.total ?? 0), totalIsEstimate: Number(count?.total ?? 0) >= CANDIDATE_LIMIT }
}

/**
 * Each correctable query word the index does not hold, mapped to its most similar indexed word
 * (pg_trgm, through the trigram index). Stop words are left alone: they are never indexed.
 */
async function corrections(text: string) {
  const words = correctableWords(text)
  if (words.length === 0) return new Map<string, string>()
  const rows = rowsOf<{ word: string; term: string | null }>(
    await db.execute(sql`
      select w.word,
        (select t.term from search_terms t where t.term % w.word order by similarity(t.term, w.word) desc, t.term limit 1) as term
      from jsonb_array_elements_text(${JSON.stringify(words)}::jsonb) as w(word)
      where not exists (select 1 from search_terms t where t.term = w.word)
        and to_tsvector('english', w.word) <> ''::tsvector
    `),
  )
  return new Map(rows.filter((r) => r.term !== null).map((r) => [r.word, r.term as string]))
}

export function createPostgresEngine(): SearchEngine {
  return {
    name: 'postgres',

    async index(documents: SearchDocument[]) {
      if (documents.length === 0) return
      const rows = [...documents]
        .sort((a, b) => a.questionId - b.questionId)
        .map((d) => ({
          question_id: d.questionId,
          title: cleanIndexedText(d.title),
          body: cleanIndexedText(d.body),
          category_id: d.categoryId,
          tag_names: d.tagNames,
          author_username: d.authorUsername,
          answer_count: d.answerCount,
          has_accepted_answer: d.hasAcceptedAnswer,
          has_official_answer: d.hasOfficialAnswer,
          created_at: d.createdAt.toISOString(),
          last_activity_at: d.lastActivityAt.toISOString(),
        }))
      // One JSON parameter whatever the batch size (bound parameters stop at 65,535).
      await db.execute(sql`
        insert into search_documents (question_id, title, body, category_id, tag_names, author_username, answer_count,
          has_accepted_answer, has_official_answer, created_at, last_activity_at)
        select question_id, title, body, category_id, array(select jsonb_array_elements_text(tag_names)), author_username,
          answer_count, has_accepted_answer, has_official_answer, created_at, last_activity_at
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as d(question_id int, title text, body text, category_id int,
          tag_names jsonb, author_username text, answer_count int, has_accepted_answer boolean, has_official_answer boolean,
          created_at timestamptz, last_activity_at timestamptz)
        on conflict (question_id) do update set
          title = excluded.title, body = excluded.body, category_id = excluded.category_id, tag_names = excluded.tag_names,
          author_username = excluded.author_username, answer_count = excluded.answer_count,
          has_accepted_answer = excluded.has_accepted_answer, has_official_answer = excluded.has_official_answer,
          created_at = excluded.created_at, last_activity_at = excluded.last_activity_at
      `)
      // Sorted, so two batches inserting the same new words take their locks in the same order.
      const terms = termsOf(rows.flatMap((r) => [r.title, r.body]))
      if (terms.length === 0) return
      await db.execute(sql`
        insert into search_terms (term)
        select jsonb_array_elements_text(${JSON.stringify(terms)}::jsonb)
        on conflict do nothing
      `)
    },

    async remove(questionIds: number[]) {
      if (questionIds.length === 0) return
      await db.execute(sql`delete from search_documents where question_id = any(${`{${questionIds.map(Number).join(',')}}`}::int[])`)
    },

    async search(query: SearchQuery): Promise<SearchResult> {
      const text = query.text.trim()
      if (text === '') return { hits: [], correctedText: null, total: 0, totalIsEstimate: false }
      const result = await runSearch(text, query)
      if (result.total > 0) return { ...result, correctedText: null }
      const replaced = await corrections(text)
      if (replaced.size === 0) return { ...result, correctedText: null }
      const correctedText = rewriteQuery(text, replaced)
      const corrected = await runSearch(correctedText, query)
      // A correction that finds nothing either is no help (and would only echo indexed words).
      return corrected.total > 0 ? { ...corrected, correctedText } : { ...result, correctedText: null }
    },

    async similar(title: string, { excludeId, limit = 5 }: { excludeId?: number; limit?: number } = {}) {
      const size = boundedInteger(limit, { min: 1, max: MAX_LIMIT, fallback: 5 })
      const exclude = excludeId === undefined ? sql`true` : sql`d.question_id <> ${excludeId}`
      // Any of the title's words (stemmed, stop words dropped): plainto_tsquery's AND and
      // followed-by operators turned into OR, then read back as a tsquery without stemming again.
      const anyWord = sql`regexp_replace(plainto_tsquery('english', ${title})::text, '&|<[0-9]+>|<->', '|', 'g')::tsquery`
      // "Solved first" alone would put a solved question sharing one common word above the
      // unsolved twin of the title; so questions holding most of the title's words come first,
      // solved ones first among them, then the rest the same way. When no question shares a word
      // (a misspelled or stop-word title), titles that look alike (pg_trgm) stand in. One query
      // either way, so a page showing related questions costs a fixed number of queries.
      const rows = rowsOf<HitRow>(
        await db.execute(sql`
          with title_words as (
            select array(select plainto_tsquery('simple', l) from unnest(tsvector_to_array(to_tsvector('english', ${title}))) l) as words
          ),
          matches as (
            select ${hitColumns}, (d.has_accepted_answer or d.has_official_answer) as solved,
              (select count(*) from unnest(w.words) word where d.search_vector @@ word) * 2 > cardinality(w.words) as most_words,
              ts_rank_cd(d.search_vector, ${anyWord}, 1) as rank
            from search_documents d, title_words w
            where d.search_vector @@ ${anyWord} and ${exclude}
            order by most_words desc, solved desc, rank desc, d.last_activity_at desc, d.question_id desc
            limit ${size}
          ),
          lookalikes as (
            select ${hitColumns}, (d.has_accepted_answer or d.has_official_answer) as solved, false as most_words,
              similarity(d.title, ${title}) as rank
            from search_documents d
            where not exists (select 1 from matches) and d.title % ${title} and ${exclude}
            order by solved desc, rank desc, d.question_id desc
            limit ${size}
          ),
          m as (
            select *, true as matched from matches
            union all
            select *, false from lookalikes
          )
          select ${outerColumns}, (extract(epoch from m.last_activity_at) * 1000)::float8 as last_activity_ms,
            case when m.matched then ts_headline('english', ${headlineText}, ${anyWord}, ${HEADLINE_OPTIONS}) end as snippet
          from m
          order by m.most_words desc, m.solved desc, m.rank desc, m.last_activity_at desc, m.question_id desc
        `),
      )
      return rows.map(toHit)
    },

    async clear() {
      // DELETE rather than TRUNCATE: no exclusive lock, searches keep running while a reindex starts over.
      await db.execute(sql`delete from search_documents`)
      await db.execute(sql`delete from search_terms`)
    },
  }
}
