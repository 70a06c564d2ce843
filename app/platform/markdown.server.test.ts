import { describe, expect, test } from 'vitest'
import { highlightCode, markdownToPlainExcerpt, renderMarkdown, sanitizeUserHtml } from './markdown.server'

const REL = 'rel="nofollow ugc noopener"'

// Only real tags matter: escaped source text like `&lt;img onerror=…&gt;` is harmless.
function tagsOf(html: string): string[] {
  return html.match(/<[a-z][^>]*>/gi) ?? []
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&colon;/gi, ':')
    .replace(/&tab;/gi, '\t')
    .replace(/&newline;/gi, '\n')
    .replace(/&quot;/gi, '"')
    .replace(/&amp;/gi, '&')
}

// The scheme a browser would see: entities decoded, ASCII whitespace and
// control characters dropped (browsers ignore them inside a scheme).
function urlSchemes(html: string): Array<string | null> {
  const schemes: Array<string | null> = []
  for (const tag of tagsOf(html)) {
    for (const m of tag.matchAll(/\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
      const url = decodeEntities(m[1] ?? m[2] ?? m[3]).replace(/[\u0000-\u0020\u007f]/g, '')
      schemes.push(/^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase() ?? null)
    }
  }
  return schemes
}

function expectOnlySafeUrls(html: string) {
  for (const scheme of urlSchemes(html)) {
    expect([null, 'http', 'https', 'mailto']).toContain(scheme)
  }
  expect(tagsOf(html).join('')).not.toMatch(/(javascript|vbscript|data):/i)
}

describe('renderMarkdown formatting', () => {
  test('renders emphasis', () => {
    expect(renderMarkdown('**bold** and *em*')).toBe('<p><strong>bold</strong> and <em>em</em></p>\n')
  })

  test('renders strikethrough', () => {
    expect(renderMarkdown('~~gone~~')).toContain('<s>gone</s>')
  })

  test('renders bullet and numbered lists', () => {
    const html = renderMarkdown('- a\n- b\n\n1. x\n2. y')
    expect(html).toContain('<ul>\n<li>a</li>\n<li>b</li>\n</ul>')
    expect(html).toContain('<ol>\n<li>x</li>\n<li>y</li>\n</ol>')
  })

  test('keeps the language class on fenced code and escapes its contents', () => {
    const html = renderMarkdown('```js\nif (a < b) run()\n```')
    expect(html).toContain('<pre><code class="language-js"><span class="hljs-keyword">if</span> (a &lt; b) <span class="hljs-title">run</span>()\n</code></pre>')
  })

  test('does not let extra words in the info string become attributes', () => {
    const html = renderMarkdown('```js onclick=alert(1) class=evil\nx\n```')
    expect(html).toContain('<pre><code class="language-js">x')
    expect(html).not.toMatch(/onclick|evil/)
  })

  test('renders tables, turning alignment styles into align attributes', () => {
    const html = renderMarkdown('| a | b | c |\n|:--|--:|---|\n| 1 | 2 | 3 |')
    expect(html).toContain('<table>')
    expect(html).toContain('<th align="left">a</th>')
    expect(html).toContain('<th align="right">b</th>')
    expect(html).toContain('<th>c</th>')
    expect(html).toContain('<td align="right">2</td>')
    expect(html).not.toContain('style=')
  })
})

describe('renderMarkdown links', () => {
  test('absolute https link gets rel and no target', () => {
    const html = renderMarkdown('[x](https://example.com)')
    expect(html).toContain(`<a href="https://example.com" ${REL}>x</a>`)
    expect(html).not.toContain('target=')
  })

  test('keeps a link title', () => {
    expect(renderMarkdown('[x](https://example.com "Example")'))
      .toContain(`<a href="https://example.com" title="Example" ${REL}>x</a>`)
  })

  test('keeps relative links', () => {
    expect(renderMarkdown('[x](/questions/1)')).toContain(`<a href="/questions/1" ${REL}>x</a>`)
  })

  test('keeps mailto links', () => {
    expect(renderMarkdown('[mail](mailto:help@example.com)'))
      .toContain(`<a href="mailto:help@example.com" ${REL}>mail</a>`)
  })

  test('linkified bare URLs get rel too', () => {
    expect(renderMarkdown('see https://example.com/a?b=1 now'))
      .toContain(`<a href="https://example.com/a?b=1" ${REL}>https://example.com/a?b=1</a>`)
  })

  test('protocol-relative links lose their href but keep their text', () => {
    const html = renderMarkdown('[x](//evil.example)')
    expect(html).toContain(`<a ${REL}>x</a>`)
    expect(html).not.toContain('evil.example')
  })

  test.each([
    ['javascript:', '[x](javascript:alert(1))'],
    ['mixed-case javascript:', '[x](JaVaScRiPt:alert(1))'],
    ['entity-encoded colon', '[x](javascript&#58;alert(1))'],
    ['entity-encoded tab', '[x](java&#9;script:alert(1))'],
    ['literal tab', '[x](java\tscript:alert(1))'],
    ['literal tab in angle brackets', '[x](<java\tscript:alert(1)>)'],
    ['newline in angle brackets', '[x](<java\nscript:alert(1)>)'],
    ['leading control character', '[x](\u0001javascript:alert(1))'],
    ['leading space in angle brackets', '[x](< javascript:alert(1)>)'],
    ['vbscript:', '[x](vbscript:msgbox(1))'],
    ['autolink', '<javascript:alert(1)>'],
    ['reference link', '[x][r]\n\n[r]: javascript:alert(1)'],
    ['image', '![x](javascript:alert(1))'],
  ])('no executable URL survives: %s', (_, source) => {
    expectOnlySafeUrls(renderMarkdown(source))
  })
})

describe('renderMarkdown raw HTML', () => {
  test('script tags in the source come out as escaped text', () => {
    const html = renderMarkdown('<script>alert(1)</script>')
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  test('event-handler attributes never become real attributes', () => {
    const img = renderMarkdown('<img src=x onerror=alert(1)>')
    expect(img).not.toMatch(/<img[^>]*onerror/i)
    expect(img).toContain('&lt;img')

    const link = renderMarkdown('<a href="/" onclick="x">l</a>')
    expect(link).not.toMatch(/<a[^>]*onclick/i)
    expect(link).toContain('&lt;a')
  })

  test('inline HTML inside a paragraph is escaped too', () => {
    const html = renderMarkdown('hello <iframe src="https://e.com"></iframe> <b>x</b>')
    expect(html).not.toMatch(/<(iframe|b)[\s>]/i)
    expect(html).toContain('&lt;iframe')
  })
})

describe('renderMarkdown images', () => {
  test('keeps https images', () => {
    expect(renderMarkdown('![a](https://example.com/a.png)'))
      .toContain('<img src="https://example.com/a.png" alt="a" />')
  })

  test('keeps relative images', () => {
    expect(renderMarkdown('![a](/uploads/a.png)')).toContain('<img src="/uploads/a.png" alt="a" />')
  })

  test('drops data: image sources (markdown-it lets data:image/png through)', () => {
    const html = renderMarkdown('![a](data:image/png;base64,AAAA)')
    expect(html).not.toContain('data:')
    expect(html).not.toMatch(/<img[^>]*src=/i)
  })

  test('drops data: link targets', () => {
    const html = renderMarkdown('[a](data:text/html;base64,PHNjcmlwdD4=)')
    expect(html).not.toMatch(/href="?data:/i)
    expectOnlySafeUrls(html)
  })

  test('drops mailto: on images', () => {
    expect(renderMarkdown('![a](mailto:x@example.com)')).not.toMatch(/<img[^>]*src=/i)
  })
})

describe('sanitizeUserHtml', () => {
  test('holds the allowlist against hostile HTML', () => {
    const html = sanitizeUserHtml(
      '<script>x</script><p onclick="x">a</p><iframe src="https://e.com"></iframe>' +
      '<a href="javascript:x" target="_blank">l</a><img src="data:image/png;base64,AA">',
    )
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toContain('onclick')
    expect(html).not.toMatch(/<iframe/i)
    expect(html).not.toContain('javascript:')
    expect(html).not.toContain('target')
    expect(html).not.toContain('data:')
    expect(html).toContain('<p>a</p>')
    expect(html).toContain(`<a ${REL}>l</a>`)
  })

  test.each([
    '<a href="JaVaScRiPt:x">l</a>',
    '<a href="java&#x09;script:x">l</a>',
    '<a href="java\nscript:x">l</a>',
    '<a href="&#106;avascript:x">l</a>',
    '<a href="javascript&colon;x">l</a>',
    '<a href=" \u0001javascript:x">l</a>',
    '<a href="vbscript:x">l</a>',
    '<a href="data:text/html,<script>x</script>">l</a>',
    '<a href="//evil.example">l</a>',
    '<img src="javascript:x">',
    '<img src="//evil.example/a.png">',
  ])('strips the URL but keeps the element: %s', (input) => {
    const html = sanitizeUserHtml(input)
    expectOnlySafeUrls(html)
    expect(html).not.toMatch(/\s(href|src)=/)
  })

  test('replaces a user-supplied rel and drops target', () => {
    const html = sanitizeUserHtml('<a href="https://e.com" rel="opener" target="_blank">l</a>')
    expect(html).toBe(`<a href="https://e.com" ${REL}>l</a>`)
  })

  test('keeps only language-* classes on code and no classes elsewhere', () => {
    expect(sanitizeUserHtml('<code class="language-ts evil">c</code>')).toBe('<code class="language-ts">c</code>')
    expect(sanitizeUserHtml('<p class="x" style="color:red" id="y">c</p>')).toBe('<p>c</p>')
  })

  test('drops table cell styles and bogus align values', () => {
    expect(sanitizeUserHtml('<table><tr><td style="background:url(x)">a</td><td align="javascript">b</td></tr></table>'))
      .toBe('<table><tr><td>a</td><td>b</td></tr></table>')
  })

  test('discards disallowed wrappers but keeps harmless text', () => {
    expect(sanitizeUserHtml('<div><span>hi</span></div><style>p{}</style>')).toBe('hi')
  })
})

describe('markdownToPlainExcerpt', () => {
  test('strips tags and collapses whitespace', () => {
    const html = renderMarkdown('# Title\n\nSome **bold**   text\n\n- one\n- two\n\n[link](https://e.com)')
    expect(markdownToPlainExcerpt(html)).toBe('Title Some bold text one two link')
  })

  test('returns short text unchanged', () => {
    expect(markdownToPlainExcerpt('<p>alpha beta</p>', 10)).toBe('alpha beta')
  })

  test('truncates on a word boundary with an ellipsis within maxLength', () => {
    const excerpt = markdownToPlainExcerpt('<p>alpha beta gamma delta</p>', 14)
    expect(excerpt).toBe('alpha beta…')
    expect(excerpt.length).toBeLessThanOrEqual(14)
  })

  test('does not drop a whole word when the cut lands right after it', () => {
    expect(markdownToPlainExcerpt('<p>alpha beta gamma</p>', 11)).toBe('alpha beta…')
  })

  test('defaults to 200 characters', () => {
    const excerpt = markdownToPlainExcerpt(`<p>${'word '.repeat(100)}</p>`)
    expect(excerpt.length).toBeLessThanOrEqual(200)
    expect(excerpt).toMatch(/ word…$/)
  })

  test('hard-cuts a single overlong word', () => {
    expect(markdownToPlainExcerpt('<p>abcdefghij</p>', 5)).toBe('abcd…')
    expect(markdownToPlainExcerpt('<p>abc&amp;def</p>', 6)).toBe('abc&d…')
  })

  test('gives plain text: entities are decoded, since React escapes the text again', () => {
    expect(markdownToPlainExcerpt(renderMarkdown('a <script> & "b"'))).toBe('a <script> & "b"')
  })
})

describe('renderMarkdown @mentions', () => {
  const mentions = new Map([['alice', 'Alice']])

  test('a mention of a known member links to their profile, with their own spelling', () => {
    expect(renderMarkdown('Thanks @alice, that worked.', { mentions })).toBe(
      '<p>Thanks <a href="/u/Alice" rel="nofollow ugc noopener">@Alice</a>, that worked.</p>\n',
    )
  })

  test('unknown names, addresses, code and existing links stay as they are', () => {
    const html = renderMarkdown('Ask @bob or mail alice@alice.test; `@alice` in code; [see @alice](https://example.com)', { mentions })
    expect(html).not.toContain('/u/')
    expect(html).toContain('@bob')
    expect(html).toContain('<code>@alice</code>')
  })

  test('without known mentions nothing changes', () => {
    expect(renderMarkdown('Hi @alice')).toBe('<p>Hi @alice</p>\n')
  })
})

describe('code highlighting at write time', () => {
  const fenced = (language: string, code: string) => renderMarkdown(`\`\`\`${language}\n${code}\n\`\`\``)

  test('a fenced block in a known language comes out as hljs spans that the sanitizer kept', () => {
    const html = fenced('js', "const greeting = 'hi' // say it\nfunction f(x) { return x + 1 }")
    expect(html).toContain('<pre><code class="language-js">')
    expect(html).toContain('<span class="hljs-keyword">const</span>')
    expect(html).toContain(`<span class="hljs-string">'hi'</span>`)
    expect(html).toContain('<span class="hljs-comment">// say it</span>')
    // What the highlighter writes is what the page stores: the allowlist took nothing out.
    expect(sanitizeUserHtml(html)).toBe(html)
  })

  test('code that looks like HTML stays text: no script, no tag of its own', () => {
    const html = fenced('html', '<script>alert(1)</script><img src=x onerror=alert(2)>')
    expect(html).toContain('hljs-')
    expect(html).not.toMatch(/<script/i)
    expect(tagsOf(html).every((tag) => /^<(pre|code|span)[ >]/.test(tag))).toBe(true)
    expect(html).not.toMatch(/<img/i)
  })

  test('no language, or one it does not know: plain escaped code, no spans', () => {
    expect(fenced('', 'if (a < b) run()')).toBe('<pre><code>if (a &lt; b) run()\n</code></pre>\n')
    expect(fenced('no-such-language', 'x < 1')).toBe('<pre><code class="language-no-such-language">x &lt; 1\n</code></pre>\n')
  })

  test('the sanitizer keeps only hljs- classes on spans, and no other attribute', () => {
    expect(sanitizeUserHtml('<span class="hljs-keyword evil" style="color:red" onclick="x()">a</span>')).toBe('<span class="hljs-keyword">a</span>')
    expect(sanitizeUserHtml('<span class="visually-hidden">a</span>')).toBe('a')
  })

  test('highlightCode leaves oversized blocks for markdown-it to escape', () => {
    expect(highlightCode('x'.repeat(20_001), 'js')).toBe('')
    expect(highlightCode('let a = 1', 'JavaScript')).toContain('hljs-keyword')
  })
})
