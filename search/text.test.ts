import { describe, expect, test } from 'vitest'
import { cleanIndexedText, correctableWords, MARK_END, MARK_START, plainExcerpt, rewriteQuery, snippetHtml, termsOf } from './text'

describe('snippetHtml', () => {
  test('escapes the text and turns only the markers into <mark>', () => {
    expect(snippetHtml(`a <b>"x"</b> & 'y' ${MARK_START}word${MARK_END} end`)).toBe('a &lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; &#39;y&#39; <mark>word</mark> end')
  })

  test('keeps <mark> balanced whatever the markers say', () => {
    expect(snippetHtml(`${MARK_START}${MARK_START}a${MARK_END}${MARK_END}b${MARK_START}c`)).toBe('<mark>a</mark>b<mark>c</mark>')
    expect(snippetHtml(`${MARK_END}a`)).toBe('a')
  })
})

test('cleanIndexedText removes the marker characters and keeps line breaks and tabs', () => {
  expect(cleanIndexedText(`a${MARK_START}b${MARK_END}c\u0000d\ue000e\tf\ng`)).toBe('a b c d e\tf\ng')
})

test('plainExcerpt cuts at a word', () => {
  expect(plainExcerpt('short text')).toBe('short text')
  expect(plainExcerpt('one two three four', 10)).toBe('one two…')
})

test('termsOf lists distinct lowercase words of 3 to 40 letters or digits', () => {
  expect(termsOf(['The Wi-Fi v2 router, ROUTER again', `ok ${'a'.repeat(41)} Ünïcode 123`])).toEqual(['123', 'again', 'router', 'the', 'ünïcode'])
})

describe('spelling correction of queries', () => {
  test('only plain words can be corrected, not quoted or excluded ones nor "or"', () => {
    expect(correctableWords('pasword "rset link" -emial OR Logn reset?')).toEqual(['pasword', 'logn', 'reset'])
    expect(correctableWords('-"two words" or')).toEqual([])
  })

  test('rewriting replaces those words and keeps everything else as typed', () => {
    const corrections = new Map([
      ['pasword', 'password'],
      ['emial', 'email'],
      ['rset', 'reset'],
    ])
    expect(rewriteQuery('Pasword  "rset link" -emial or pasword?', corrections)).toBe('password  "rset link" -emial or password?')
    // An unterminated quote still protects what follows it.
    expect(rewriteQuery('pasword "rset', corrections)).toBe('password "rset')
  })
})
