// Posts are rendered once, at write time, and the stored HTML is served as-is
// later, so this file is the only thing standing between user input and every
// reader's browser. Everything goes through one allowlist (USER_HTML_OPTIONS):
// markdown-it already refuses raw HTML and most bad links, but the sanitizer is
// the guarantee, so it must hold even for HTML markdown-it never should emit.
import hljs from 'highlight.js/lib/common'
import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'

/** Code blocks longer than this are stored unhighlighted: highlighting cost grows with the text. */
const MAX_HIGHLIGHTED_CHARS = 20_000

/**
 * Fenced code with a language highlight.js knows (```js, ```python, …) comes out as
 * `<span class="hljs-…">` runs, once, at write time: pages ship no highlighting JavaScript. Code
 * without a language, or in one it does not know, stays plain: guessing the language
 * (highlightAuto) tries every grammar on every block and often guesses wrong on short snippets.
 * The output is escaped text and spans only, and the sanitizer below still checks it.
 */
export function highlightCode(code: string, language: string): string {
  const name = language.trim().toLowerCase()
  if (!name || code.length > MAX_HIGHLIGHTED_CHARS || !hljs.getLanguage(name)) return ''
  try {
    return hljs.highlight(code, { language: name, ignoreIllegals: true }).value
  } catch {
    // A grammar that trips over odd input: the block is still shown, plain (markdown-it escapes it).
    return ''
  }
}

const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false, highlight: highlightCode })

/** `@name` in prose, as app/notifications/events.server.ts finds mentions. */
export const MENTION_PATTERN = /(^|[^\w@/.])@([A-Za-z0-9_-]{3,20})(?![\w-])/g

type RenderEnv = { mentions?: ReadonlyMap<string, string> }

// @mentions of existing members become links to their profile; anything else stays text. Code
// and text already inside a link are left alone.
md.core.ruler.push('mentions', (state) => {
  const mentions = (state.env as RenderEnv).mentions
  if (!mentions || mentions.size === 0) return
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue
    let insideLink = 0
    const children: typeof block.children = []
    for (const token of block.children) {
      if (token.type === 'link_open') insideLink++
      if (token.type === 'link_close') insideLink--
      if (token.type !== 'text' || insideLink > 0) {
        children.push(token)
        continue
      }
      let last = 0
      for (const match of token.content.matchAll(MENTION_PATTERN)) {
        const username = mentions.get(match[2].toLowerCase())
        if (!username) continue
        const at = match.index! + match[1].length
        if (at > last) children.push(Object.assign(new state.Token('text', '', 0), { content: token.content.slice(last, at) }))
        const open = new state.Token('link_open', 'a', 1)
        open.attrs = [['href', `/u/${encodeURIComponent(username)}`]]
        children.push(open, Object.assign(new state.Token('text', '', 0), { content: `@${username}` }), new state.Token('link_close', 'a', -1))
        last = at + 1 + match[2].length
      }
      if (last === 0) children.push(token)
      else if (last < token.content.length) children.push(Object.assign(new state.Token('text', '', 0), { content: token.content.slice(last) }))
    }
    block.children = children
  }
})

// markdown-it aligns table cells with inline styles; styles are not allowed,
// so keep the alignment only when it is one of the three plain values.
const tableCell: sanitizeHtml.Transformer = (tagName, attribs) => {
  const align = /^\s*text-align\s*:\s*(left|right|center)\s*;?\s*$/i.exec(attribs.style ?? '')
  const kept: sanitizeHtml.Attributes = {}
  if (align) kept.align = align[1].toLowerCase()
  return { tagName, attribs: kept }
}

// A span is only ever the highlighter's: one without an hljs- class becomes a tag the allowlist
// drops (its text stays); allowedClasses then keeps only the hljs- classes.
const highlighterSpan: sanitizeHtml.Transformer = (tagName, attribs) => {
  const kept: sanitizeHtml.Attributes = {}
  if (attribs.class && /(^|\s)hljs-/.test(attribs.class)) kept.class = attribs.class
  return { tagName: kept.class ? tagName : 'drop-span', attribs: kept }
}

const USER_HTML_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'span',
    'em', 'strong', 'del', 's', 'a', 'img', 'ul', 'ol', 'li',
    'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: {
    // rel is listed only so the transform below can set it; the transform
    // rebuilds the attributes, so a user-supplied rel or target never survives.
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title'],
    code: ['class'],
    span: ['class'],
    th: [{ name: 'align', multiple: false, values: ['left', 'right', 'center'] }],
    td: [{ name: 'align', multiple: false, values: ['left', 'right', 'center'] }],
  },
  // span only carries the highlighter's classes; any other span (or class) loses them.
  allowedClasses: { code: ['language-*'], span: ['hljs-*'] },
  // data: is deliberately absent everywhere: it can carry HTML or SVG with script.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Links are user-generated: no SEO credit, no window.opener for the target.
    a: (tagName, attribs) => {
      const kept: sanitizeHtml.Attributes = {}
      if (attribs.href !== undefined) kept.href = attribs.href
      if (attribs.title !== undefined) kept.title = attribs.title
      kept.rel = 'nofollow ugc noopener'
      return { tagName, attribs: kept }
    },
    th: tableCell,
    td: tableCell,
    span: highlighterSpan,
  },
}

export function sanitizeUserHtml(html: string): string {
  return sanitizeHtml(html, USER_HTML_OPTIONS)
}

/** Markdown to safe HTML; `mentions` (lower-case name → username) turns those @mentions into profile links. */
export function renderMarkdown(source: string, { mentions }: { mentions?: ReadonlyMap<string, string> } = {}): string {
  return sanitizeUserHtml(md.render(source, { mentions } satisfies RenderEnv))
}

const STRIP_ALL: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {} }

// The result is still HTML-escaped text (e.g. `&amp;`), as sanitize-html
// returns it; callers inserting it as a text node must decode it first.
// markdown-it and sanitize-html escape only these five characters in text.
const basicEntities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }
const decodeBasicEntities = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => basicEntities[entity])

// A thread page describes its question on every view: parsing the same HTML again each time was
// ~1 % of a signed-in thread request. Keyed by the HTML itself, so an edit is a new entry.
const excerpts = new Map<string, string>()

export function markdownToPlainExcerpt(html: string, maxLength = 200): string {
  const key = `${maxLength}:${html}`
  let excerpt = excerpts.get(key)
  if (excerpt === undefined) {
    excerpt = plainExcerpt(html, maxLength)
    if (excerpts.size >= 1_000) excerpts.clear()
    excerpts.set(key, excerpt)
  }
  return excerpt
}

function plainExcerpt(html: string, maxLength: number): string {
  // Plain text, for places that escape it again (a meta description rendered by React).
  const text = decodeBasicEntities(sanitizeHtml(html, STRIP_ALL)).replace(/\s+/g, ' ').trim()
  if (text.length <= maxLength) return text

  // Leave room for the ellipsis so the excerpt never exceeds maxLength.
  const budget = Math.max(maxLength - 1, 0)
  // One character past the budget tells us whether the cut lands between words.
  const head = text.slice(0, budget + 1)
  const lastSpace = head.lastIndexOf(' ')
  const cut = lastSpace > 0
    ? head.slice(0, lastSpace)
    // A single word longer than the budget: cut hard, but never mid-surrogate-pair.
    : text.slice(0, budget).replace(/[\uD800-\uDBFF]$/, '')
  return cut.trimEnd() + '…'
}
