/**
 * Meilisearch, for forums that outgrow PostgreSQL's full-text search (typo tolerance and ranking
 * built in). Needs Meilisearch 1.9 or later: quoted phrases, -exclusion, and the `frequency`
 * matching strategy and ranking score details that similar() uses.
 */
import { Meilisearch, type EnqueuedTaskPromise, type Index, type SearchParams } from 'meilisearch'
import type { SearchDocument, SearchEngine, SearchHit, SearchQuery, SearchResult } from './engine'
import { boundedInteger, cleanIndexedText, MARK_END, MARK_START, plainExcerpt, significantWords, snippetHtml } from './text'

export const DEFAULT_MEILI_INDEX = 'parley-questions'

export type MeilisearchEngineOptions = { host: string; apiKey?: string; indexName?: string }

/** A question as Meilisearch stores it: dates as epoch milliseconds (sortable numbers). */
type MeiliDocument = {
  questionId: number
  title: string
  body: string
  categoryId: number
  categorySlug: string
  categoryName: string
  tagNames: string[]
  authorUsername: string
  /** Filtered on instead of authorUsername, so the author filter ignores case whatever the server version does. */
  authorUsernameLower: string
  answerCount: number
  hasAcceptedAnswer: boolean
  hasOfficialAnswer: boolean
  solved: boolean
  createdAt: number
  lastActivityAt: number
}

const SETTINGS = {
  // Order matters: the attribute ranking rule puts a match in the title above one in the body.
  searchableAttributes: ['title', 'body'],
  filterableAttributes: ['questionId', 'categoryId', 'tagNames', 'authorUsername', 'authorUsernameLower', 'hasAcceptedAnswer', 'hasOfficialAnswer', 'solved'],
  sortableAttributes: ['lastActivityAt'],
}

const DEFAULT_LIMIT = 20
const MAX_LIMIT = 100
const TASK_TIMEOUT_MS = 60_000
/** How many look-alikes similar() reorders (solved first) before keeping the first few. */
const SIMILAR_CANDIDATES = 50

/** Waits for a write to be applied, so a job only completes once the change is searchable. */
async function applied(task: EnqueuedTaskPromise, { allow = [] as string[] } = {}) {
  const done = await task.waitTask({ timeout: TASK_TIMEOUT_MS })
  if (done.status === 'succeeded') return
  if (done.error && allow.includes(done.error.code)) return
  throw new Error(`Meilisearch task ${done.uid} (${done.type}) ${done.status}: ${done.error?.message ?? 'no reason given'}`)
}

// Settings are applied once per process and index; a failure is forgotten so the next call retries.
const settingsApplied = new Map<string, Promise<void>>()
function ensureSettings(client: Meilisearch, host: string, indexName: string) {
  const key = `${host}\u0000${indexName}`
  let ready = settingsApplied.get(key)
  if (!ready) {
    ready = (async () => {
      await applied(client.createIndex(indexName, { primaryKey: 'questionId' }), { allow: ['index_already_exists'] })
      await applied(client.index(indexName).updateSettings(SETTINGS))
    })()
    ready.catch(() => settingsApplied.delete(key))
    settingsApplied.set(key, ready)
  }
  return ready
}

/** A string as a Meilisearch filter literal. */
const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

function filtersOf(query: Pick<SearchQuery, 'categoryId' | 'tag' | 'status' | 'authorUsername'>): string[] {
  const filters: string[] = []
  if (query.categoryId != null) filters.push(`categoryId = ${Math.trunc(Number(query.categoryId))}`)
  if (query.tag) filters.push(`tagNames = ${quoted(query.tag)}`)
  if (query.status === 'solved') filters.push('solved = true')
  if (query.status === 'unsolved') filters.push('solved = false')
  if (query.status === 'official') filters.push('hasOfficialAnswer = true')
  if (query.authorUsername) filters.push(`authorUsernameLower = ${quoted(query.authorUsername.toLowerCase())}`)
  return filters
}

const HIGHLIGHT = {
  attributesToHighlight: ['title', 'body'],
  attributesToCrop: ['body'],
  cropLength: 35,
  cropMarker: '…',
  highlightPreTag: MARK_START,
  highlightPostTag: MARK_END,
} satisfies SearchParams

type FormattedHit = MeiliDocument & { _formatted?: Partial<Record<keyof MeiliDocument, unknown>> }

function toHit(hit: FormattedHit): SearchHit {
  const title = typeof hit._formatted?.title === 'string' ? hit._formatted.title : hit.title
  const body = typeof hit._formatted?.body === 'string' ? hit._formatted.body : plainExcerpt(hit.body)
  // Like ts_headline over title and body: the body's match when it has one, else the title's.
  const marked = body.includes(MARK_START) || !title.includes(MARK_START) ? body : `${title} — ${body}`
  return {
    questionId: hit.questionId,
    title: hit.title,
    snippet: snippetHtml(marked),
    categoryId: hit.categoryId,
    tagNames: hit.tagNames,
    authorUsername: hit.authorUsername,
    answerCount: hit.answerCount,
    hasAcceptedAnswer: hit.hasAcceptedAnswer,
    hasOfficialAnswer: hit.hasOfficialAnswer,
    lastActivityAt: new Date(hit.lastActivityAt),
  }
}

function toMeiliDocument(d: SearchDocument): MeiliDocument {
  return {
    questionId: d.questionId,
    title: cleanIndexedText(d.title),
    body: cleanIndexedText(d.body),
    categoryId: d.categoryId,
    categorySlug: d.categorySlug,
    categoryName: d.categoryName,
    tagNames: d.tagNames,
    authorUsername: d.authorUsername,
    authorUsernameLower: d.authorUsername.toLowerCase(),
    answerCount: d.answerCount,
    hasAcceptedAnswer: d.hasAcceptedAnswer,
    hasOfficialAnswer: d.hasOfficialAnswer,
    solved: d.hasAcceptedAnswer || d.hasOfficialAnswer,
    createdAt: d.createdAt.getTime(),
    lastActivityAt: d.lastActivityAt.getTime(),
  }
}

export function createMeilisearchEngine({ host, apiKey, indexName = DEFAULT_MEILI_INDEX }: MeilisearchEngineOptions): SearchEngine {
  const client = new Meilisearch({ host, apiKey })
  const index: Index<MeiliDocument> = client.index<MeiliDocument>(indexName)
  const ready = () => ensureSettings(client, host, indexName)

  return {
    name: 'meilisearch',

    async index(documents: SearchDocument[]) {
      if (documents.length === 0) return
      await ready()
      await applied(index.addDocuments(documents.map(toMeiliDocument), { primaryKey: 'questionId' }))
    },

    async remove(questionIds: number[]) {
      if (questionIds.length === 0) return
      await ready()
      await applied(index.deleteDocuments(questionIds))
    },

    async search(query: SearchQuery): Promise<SearchResult> {
      const text = query.text.trim()
      if (text === '') return { hits: [], correctedText: null, total: 0, totalIsEstimate: false }
      await ready()
      const result = await index.search<FormattedHit>(text, {
        ...HIGHLIGHT,
        filter: filtersOf(query),
        limit: boundedInteger(query.limit, { min: 1, max: MAX_LIMIT, fallback: DEFAULT_LIMIT }),
        offset: boundedInteger(query.offset, { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 }),
        // Every word must match, as with PostgreSQL; typo tolerance stands in for spelling correction.
        matchingStrategy: 'all',
      })
      const total = result.estimatedTotalHits ?? result.hits.length
      // Meilisearch counts exactly up to a point and estimates beyond it.
      return { hits: result.hits.map(toHit), correctedText: null, total, totalIsEstimate: total >= 1000 }
    },

    async similar(title: string, { excludeId, limit = 5 }: { excludeId?: number; limit?: number } = {}) {
      // Meilisearch keeps stop words: without them, "most of the title's words" means what it
      // means in PostgreSQL, where they are never indexed.
      const text = significantWords(title).join(' ')
      if (text === '') return []
      await ready()
      const size = boundedInteger(limit, { min: 1, max: MAX_LIMIT, fallback: 5 })
      // `frequency` drops the commonest words first when not every word matches; the candidates
      // come back most matching words first.
      const result = await index.search<FormattedHit>(text, {
        ...HIGHLIGHT,
        filter: excludeId === undefined ? [] : [`questionId != ${Math.trunc(Number(excludeId))}`],
        limit: Math.max(SIMILAR_CANDIDATES, size),
        matchingStrategy: 'frequency',
        showRankingScoreDetails: true,
      })
      // As in PostgreSQL: questions holding most of the title's words first, solved ones first
      // among them, then the rest the same way; Meilisearch's order within each group.
      const mostWords = (hit: (typeof result.hits)[number]) => {
        const words = hit._rankingScoreDetails?.words
        return !words || words.matchingWords * 2 > words.maxMatchingWords
      }
      const solved = (hit: FormattedHit) => hit.hasAcceptedAnswer || hit.hasOfficialAnswer
      return result.hits
        .map((hit, order) => ({ hit, order, group: (mostWords(hit) ? 0 : 2) + (solved(hit) ? 0 : 1) }))
        .sort((a, b) => a.group - b.group || a.order - b.order)
        .slice(0, size)
        .map(({ hit }) => toHit(hit))
    },

    async clear() {
      await ready()
      await applied(index.deleteAllDocuments())
    },
  }
}
