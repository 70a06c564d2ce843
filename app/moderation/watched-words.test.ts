import { describe, expect, test } from 'vitest'
import { censorHtml, censorText, compileWatchedWords, foldWord, type WatchedWord } from './watched-words'

const words: WatchedWord[] = [
  { word: 'viagra', action: 'block' },
  { word: 'ass', action: 'censor' },
  { word: 'crypto giveaway', action: 'require-approval' },
  { word: 'c++', action: 'flag' },
  { word: '(.*)+$', action: 'block' },
  { word: 'straße', action: 'flag' },
  { word: 'İstanbul', action: 'flag' },
  { word: 'naïve', action: 'censor' },
  { word: 'кот', action: 'censor' },
]
const matcher = compileWatchedWords(words)
const found = (text: string) => matcher.find(text).map((m) => m.word)

describe('watched words match whole words, folded, and literally', () => {
  test.each([
    // [input, words expected]
    ['Cheap VIAGRA here', ['viagra']],
    ['Cheap Viagra!', ['viagra']],
    ['víagra with an accent', ['viagra']],
    ['ＶＩＡＧＲＡ in full width', ['viagra']],
    ['vi\u0301agra with a combining accent', ['viagra']],
    ['viagras is another word', []],
    ['superviagra is another word', []],
    ['viagra2 has a digit after it', []],
    ['the class assistant passes', []],
    ['what an ass.', ['ass']],
    ['ASS!', ['ass']],
    ['"ass"', ['ass']],
    ['a crypto   giveaway\nnow', ['crypto giveaway']],
    ['a crypto-giveaway', []],
    ['I write C++ daily', ['c++']],
    ['I write c++.', ['c++']],
    ['punctuation is a boundary, so c+++ holds c++ (and this label holds it twice)', ['c++', 'c++']],
    ['the pattern (.*)+$ literally', ['(.*)+$']],
    ['anything at all matches nothing', []],
    ['Die STRASSE ist lang', []],
    ['die Straße', ['straße']],
    ['istanbul in lower case', ['istanbul']],
    ['İSTANBUL in upper case', ['istanbul']],
    ['a naive idea', ['naive']],
    ['КОТ и кошка', ['кот']],
    ['котик is longer', []],
    ['日本viagra日本: letters of another script are letters too', []],
    ['', []],
  ])('%j', (input, expected) => {
    expect(found(input)).toEqual(expected)
  })

  test('a word is stored folded, so one word has one row whatever its spelling', () => {
    expect(foldWord('  Víagra  ')).toBe('viagra')
    expect(foldWord('CRYPTO\n GIVEAWAY')).toBe('crypto giveaway')
    expect(foldWord('ﬁne')).toBe('fine')
  })

  test('censoring masks the original characters, in text and only in the text of HTML', () => {
    expect(censorText('You ASS, naïve one', matcher)).toBe('You ■■■, ■■■■■ one')
    expect(censorText('vi\u0301agra is blocked, not censored', matcher)).toBe('vi\u0301agra is blocked, not censored')
    const html = '<p>An ass &amp; <a href="https://ass.example/ass" title="ass">ass</a> <code>ass</code></p>'
    expect(censorHtml(html, matcher)).toBe('<p>An ■■■ &amp; <a href="https://ass.example/ass" title="ass">■■■</a> <code>■■■</code></p>')
  })

  test('long and hostile inputs take linear time: no backtracking on the pattern', () => {
    const hostile = [
      'a'.repeat(200_000),
      'ass'.repeat(60_000),
      'c+'.repeat(100_000),
      '(.*)'.repeat(50_000),
      ('crypto ' + ' '.repeat(1000)).repeat(100),
      'é\u0301\u0301\u0301'.repeat(40_000),
    ]
    for (const text of hostile) {
      const started = performance.now()
      matcher.find(text)
      censorHtml(`<p>${text}</p>`, matcher)
      // Generous for a shared machine; a catastrophic pattern would take minutes.
      expect(performance.now() - started).toBeLessThan(2_000)
    }
  })

  test('a list of many words compiles into one pattern and still matches only whole words', () => {
    const many = compileWatchedWords(Array.from({ length: 2_000 }, (_, i) => ({ word: `spamword${i}`, action: 'block' as const })))
    expect(many.find('this has spamword1999 and spamword20x').map((m) => m.word)).toEqual(['spamword1999'])
  })
})
