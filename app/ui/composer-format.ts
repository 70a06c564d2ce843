/**
 * The composer's formatting (app/ui/composer.tsx): Markdown around the selection, as typing would
 * put it, so undo works. Loaded on the first click of a toolbar button, not with the page: most
 * visits to a page with a composer never format anything, and the page's JavaScript budget is tight.
 */

/** Inserts text at the caret (or over the selection) as typing would: undo works, listeners hear it. */
export function insertIntoComposer(textarea: HTMLTextAreaElement, text: string, select?: { start: number; end: number }) {
  const from = textarea.selectionStart
  textarea.focus()
  // execCommand keeps the browser's undo history; where it is refused, set the text directly.
  if (!document.execCommand('insertText', false, text)) {
    textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, 'end')
    textarea.dispatchEvent(new Event('input', { bubbles: true }))
  }
  if (select) textarea.setSelectionRange(from + select.start, from + select.end)
}

/** Wraps the selection (or a placeholder, selected so typing replaces it) in `before`…`after`. */
function wrap(textarea: HTMLTextAreaElement, before: string, after: string, placeholder: string) {
  const inner = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd) || placeholder
  insertIntoComposer(textarea, before + inner + after, { start: before.length, end: before.length + inner.length })
}

/** Prefixes every line of the selection, extended to whole lines; `n` numbers them. */
function prefixLines(textarea: HTMLTextAreaElement, prefix: string, placeholder: string) {
  const { value, selectionStart, selectionEnd } = textarea
  const start = selectionStart && value.lastIndexOf('\n', selectionStart - 1) + 1
  const lineEnd = value.indexOf('\n', selectionEnd - (selectionEnd > selectionStart ? 1 : 0))
  const end = lineEnd < 0 ? value.length : lineEnd
  textarea.setSelectionRange(start, end)
  const text = (value.slice(start, end) || placeholder)
    .split('\n')
    .map((line, i) => prefix.replace('n', String(i + 1)) + line)
    .join('\n')
  insertIntoComposer(textarea, text, { start: 0, end: text.length })
}

/** What each toolbar button does to the selection. Line formats prefix every line (`n` numbers them). */
const FORMATS = {
  Bold: (t) => wrap(t, '**', '**', 'bold text'),
  Italic: (t) => wrap(t, '_', '_', 'italic text'),
  Link: (t) => wrap(t, '[', '](https://)', 'link text'),
  Code: (t) => (t.value.slice(t.selectionStart, t.selectionEnd).includes('\n') ? wrap(t, '```\n', '\n```', 'code') : wrap(t, '`', '`', 'code')),
  Quote: (t) => prefixLines(t, '> ', 'quoted text'),
  'Bulleted list': (t) => prefixLines(t, '- ', 'list item'),
  'Numbered list': (t) => prefixLines(t, 'n. ', 'list item'),
  Heading: (t) => prefixLines(t, '## ', 'Heading'),
} satisfies Record<string, (textarea: HTMLTextAreaElement) => void>

export type FormatLabel = keyof typeof FORMATS

export function applyFormat(label: FormatLabel, textarea: HTMLTextAreaElement) {
  FORMATS[label](textarea)
}
