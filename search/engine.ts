/**
 * One search interface, two engines: PostgreSQL full-text search (the default, in the app's own
 * database) and Meilisearch (when MEILI_URL is set). Everything else in Parley talks to this.
 */

/** What gets indexed: one visible question with the text of its visible answers. */
export type SearchDocument = {
  questionId: number
  title: string
  /** Plain text of the question and its visible answers (no HTML). */
  body: string
  categoryId: number
  categorySlug: string
  categoryName: string
  tagNames: string[]
  authorUsername: string
  answerCount: number
  hasAcceptedAnswer: boolean
  hasOfficialAnswer: boolean
  createdAt: Date
  lastActivityAt: Date
}

export type SearchStatus = 'solved' | 'unsolved' | 'official'

export type SearchQuery = {
  /** websearch syntax: words, "quoted phrases", -excluded words. */
  text: string
  categoryId?: number | null
  tag?: string | null
  status?: SearchStatus | null
  authorUsername?: string | null
  limit?: number
  offset?: number
}

export type SearchHit = {
  questionId: number
  title: string
  /** HTML-escaped text with the matched words wrapped in <mark>…</mark>; nothing else is markup. */
  snippet: string
  categoryId: number
  tagNames: string[]
  authorUsername: string
  answerCount: number
  hasAcceptedAnswer: boolean
  hasOfficialAnswer: boolean
  lastActivityAt: Date
}

export type SearchResult = {
  hits: SearchHit[]
  /** Set when a misspelled word was replaced by its nearest indexed word, e.g. "pasword" → "password". */
  correctedText: string | null
  total: number
  /** True when `total` is a lower bound or an estimate (a very common word matches more than is counted). */
  totalIsEstimate?: boolean
}

export interface SearchEngine {
  readonly name: 'postgres' | 'meilisearch'
  /** Adds or replaces documents. */
  index(documents: SearchDocument[]): Promise<void>
  /** Removes questions (hidden, removed, deleted) from the index. */
  remove(questionIds: number[]): Promise<void>
  search(query: SearchQuery): Promise<SearchResult>
  /** Questions like this title, solved ones first; `excludeId` leaves out the question itself. */
  similar(title: string, options?: { excludeId?: number; limit?: number }): Promise<SearchHit[]>
  /** Empties the index (the reindex CLI's first step when asked to start over). */
  clear(): Promise<void>
}
