import { WATCHED_WORD_ACTIONS } from '#db/enums'

/**
 * Watched words, matched the same way everywhere (decision 031). Schema-free and pure: the gate,
 * the censoring at render time and the admin page's preview use these functions.
 *
 * - Whole words only: a match may not have a letter, a mark or a digit right before or after it
 *   ("ass" does not match "class" or "assist"), in any script.
 * - Case, compatibility forms and diacritics are folded on both sides before comparing: "VIAGRA",
 *   "Ｖｉａｇｒａ" (full width) and "víagra" all match "viagra". Folding works one code point at a
 *   time and remembers where each folded character came from, so censoring masks the original text.
 * - A word is always a literal: it is escaped before it goes into the one pattern, so no admin entry
 *   is a regular expression, and the pattern (an alternation of literals between two lookarounds)
 *   cannot backtrack catastrophically, whatever the input.
 */

export type WatchedWordAction = (typeof WATCHED_WORD_ACTIONS)[number]
export type WatchedWord = { word: string; action: WatchedWordAction }
export type WordMatch = { word: string; action: WatchedWordAction; start: number; end: number }

export const WATCHED_WORD_ACTION_LABELS: Record<WatchedWordAction, string> = {
  block: 'Block: the post is refused, and the form names the word',
  'require-approval': 'Require approval: the post waits in the queue',
  flag: 'Flag: the post is published and a queue item is opened',
  censor: 'Censor: the word is shown masked',
}

export const MAX_WORD_LENGTH = 100

/** Folds one code point: lower case, compatibility decomposition, combining marks dropped. */
function foldCodePoint(char: string) {
  return char.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '')
}

/** Folds a watched word (or any short text) for storing and comparing: also trims and squeezes spaces. */
export function foldWord(word: string) {
  return [...word.normalize('NFC')].map(foldCodePoint).join('').replace(/\s+/gu, ' ').trim()
}

/**
 * Folds a text and maps each folded character back to the original code unit range it came from.
 * Whitespace runs become one space so a phrase matches across line breaks.
 */
function foldWithMap(text: string) {
  let folded = ''
  const starts: number[] = []
  const ends: number[] = []
  let index = 0
  let lastWasSpace = false
  for (const char of text) {
    const start = index
    index += char.length
    const isSpace = /\s/u.test(char)
    if (isSpace) {
      if (lastWasSpace) {
        ends[ends.length - 1] = index
        continue
      }
      folded += ' '
      starts.push(start)
      ends.push(index)
      lastWasSpace = true
      continue
    }
    lastWasSpace = false
    const piece = foldCodePoint(char)
    if (piece === '') {
      // A combining mark on its own belongs to the character before it.
      if (ends.length) ends[ends.length - 1] = index
      continue
    }
    for (const unit of piece) {
      folded += unit
      for (let i = 0; i < unit.length; i += 1) {
        starts.push(start)
        ends.push(index)
      }
    }
  }
  return { folded, starts, ends }
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')

/** A compiled list: one pattern for all words, longest first so a phrase wins over a word inside it. */
export type WordMatcher = { find: (text: string) => WordMatch[] }

export function compileWatchedWords(words: readonly WatchedWord[]): WordMatcher {
  const byWord = new Map<string, WatchedWord>()
  for (const w of words) {
    const folded = foldWord(w.word)
    if (folded) byWord.set(folded, { word: folded, action: w.action })
  }
  if (byWord.size === 0) return { find: () => [] }
  const alternatives = [...byWord.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp)
  // Lookarounds on letters, marks and digits make "whole word" mean the same in every script.
  const pattern = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{M}\\p{N}])`, 'gu')
  return {
    find(text) {
      if (!text) return []
      const { folded, starts, ends } = foldWithMap(text)
      const found: WordMatch[] = []
      for (const match of folded.matchAll(pattern)) {
        const word = byWord.get(match[0])!
        const first = match.index!
        const last = first + match[0].length - 1
        found.push({ word: word.word, action: word.action, start: starts[first], end: ends[last] })
      }
      return found
    },
  }
}

/** The mask shown in place of a censored word: one block per character, so the layout hardly moves. */
export const maskOf = (text: string) => '■'.repeat([...text].length)

/** Masks every censored match in a plain text (a title). */
export function censorText(text: string, matcher: WordMatcher) {
  const matches = matcher.find(text).filter((m) => m.action === 'censor')
  if (matches.length === 0) return text
  let out = ''
  let at = 0
  for (const m of matches) {
    out += text.slice(at, m.start) + maskOf(text.slice(m.start, m.end))
    at = m.end
  }
  return out + text.slice(at)
}

/**
 * Masks censored words in rendered HTML: only in text between tags (never in a tag, an attribute
 * or a link's address) and never across an entity, so the markup stays what the sanitizer made.
 */
export function censorHtml(html: string, matcher: WordMatcher) {
  return html
    .split(/(<[^>]*>|&[#a-zA-Z0-9]+;)/)
    .map((part) => (part.startsWith('<') || (part.startsWith('&') && part.endsWith(';')) ? part : censorText(part, matcher)))
    .join('')
}
