/**
 * Text handling both engines share: what a snippet may contain, which words the index knows, and
 * how a query is rewritten word by word.
 */

/**
 * The engines mark matches with these control characters instead of markup: the whole snippet is
 * HTML-escaped afterwards and only then do they become <mark>, so user text can never add a tag.
 */
export const MARK_START = '\u0002'
export const MARK_END = '\u0003'

/**
 * Removes the characters the engines use as markers (and the other C0 controls, which no post
 * needs), so a document can never open or close a highlight by itself.
 */
export function cleanIndexedText(text: string) {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ue000\ue001]/g, ' ')
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c])

/** Engine output with MARK_START/MARK_END as HTML: escaped text, balanced <mark> elements, nothing else. */
export function snippetHtml(marked: string) {
  let html = ''
  let open = false
  for (const part of marked.split(/([\u0002\u0003])/)) {
    if (part === MARK_START) {
      if (!open) html += '<mark>'
      open = true
    } else if (part === MARK_END) {
      if (open) html += '</mark>'
      open = false
    } else {
      html += escapeHtml(part)
    }
  }
  return open ? `${html}</mark>` : html
}

/** A whole number within bounds; the fallback when the value is not a number at all. */
export function boundedInteger(value: number | undefined, { min, max, fallback }: { min: number; max: number; fallback: number }) {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.min(Math.max(Math.trunc(value), min), max)
}

/** The start of a text, cut at a word, for hits no match can be shown in. */
export function plainExcerpt(text: string, maxLength = 200) {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= maxLength) return flat
  const cut = flat.slice(0, maxLength + 1)
  const lastSpace = cut.lastIndexOf(' ')
  return `${(lastSpace > 0 ? cut.slice(0, lastSpace) : flat.slice(0, maxLength)).trimEnd()}…`
}

const WORD = /[\p{L}\p{N}]+/gu
/** Longer "words" are hashes, keys and base64, never something someone misspells (and a btree entry has a size limit). */
const MAX_TERM_LENGTH = 40

/** The distinct words a misspelled query word may be corrected to: lowercase letters and digits, 3 characters or more. */
export function termsOf(texts: string[]) {
  const terms = new Set<string>()
  for (const text of texts) {
    for (const [word] of text.toLowerCase().matchAll(WORD)) {
      if (word.length >= 3 && word.length <= MAX_TERM_LENGTH) terms.add(word)
    }
  }
  return [...terms].sort()
}

type QueryToken = { text: string; correctable: boolean }

/**
 * Splits websearch syntax into tokens, marking the words a spelling correction may replace: plain
 * words only, never inside "quoted phrases", never an -excluded word, never the `or` operator.
 */
function tokenize(query: string): QueryToken[] {
  const tokens: QueryToken[] = []
  // A quoted phrase (perhaps excluded, perhaps unterminated), a run of spaces, or any other run.
  for (const [token] of query.matchAll(/-?"[^"]*"?|\s+|[^\s"]+/g)) {
    const correctable = !/^\s/.test(token) && !token.startsWith('-') && !token.startsWith('"') && token.toLowerCase() !== 'or'
    tokens.push({ text: token, correctable })
  }
  return tokens
}

/** The words of a query that a spelling correction may replace, lowercase, without repeats. */
export function correctableWords(query: string) {
  const words = new Set<string>()
  for (const token of tokenize(query)) {
    if (!token.correctable) continue
    for (const [word] of token.text.toLowerCase().matchAll(WORD)) if (word.length >= 3 && word.length <= MAX_TERM_LENGTH) words.add(word)
  }
  return [...words]
}

/** The query with each correctable word found in `corrections` replaced, everything else as typed. */
export function rewriteQuery(query: string, corrections: Map<string, string>) {
  return tokenize(query)
    .map((token) => (token.correctable ? token.text.replace(WORD, (word) => corrections.get(word.toLowerCase()) ?? word) : token.text))
    .join('')
}

/** PostgreSQL's English stop words (snowball's list): words that say nothing about a question. */
const STOP_WORDS = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself ' +
    'they them their theirs themselves what which who whom this that these those am is are was were be been being have has had ' +
    'having do does did doing a an the and but if or because as until while of at by for with about against between into through ' +
    'during before after above below to from up down in out on off over under again further then once here there when where why ' +
    'how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now'
  ).split(' '),
)

/** A title's words without the stop words, for engines that keep stop words (Meilisearch). */
export function significantWords(text: string) {
  return [...text.matchAll(WORD)].map(([word]) => word).filter((word) => !STOP_WORDS.has(word.toLowerCase()))
}
