import { describe, expect, test } from 'vitest'
import { SPAM_SET } from '../../tests/fixtures/spam-set'
import { DEFAULT_SPAM_SETTINGS, linksIn, normalisedText, spamScore } from './spam-rules'

const MINUTE = 60_000
const now = new Date('2026-06-01T12:00:00Z')

function score(post: (typeof SPAM_SET)[number]) {
  return spamScore(
    {
      text: post.text,
      questionId: post.questionId,
      authorCreatedAt: new Date(now.getTime() - post.minutesSinceSignup * MINUTE),
      publishedPosts: post.publishedPosts,
      recentPosts: (post.recent ?? []).map((r) => ({ text: r.text, questionId: r.questionId, createdAt: new Date(now.getTime() - r.minutesAgo * MINUTE) })),
      knownDomains: new Set(post.knownDomains ?? []),
      now,
    },
    DEFAULT_SPAM_SETTINGS,
  )
}

describe('the spam rules on the labelled set', () => {
  test('catch at least 90% of the spam and hold at most 5% of ordinary posts, with the default settings', () => {
    const spam = SPAM_SET.filter((p) => p.label === 'spam')
    const ordinary = SPAM_SET.filter((p) => p.label === 'ordinary')
    expect(spam.length).toBeGreaterThanOrEqual(30)
    expect(ordinary.length).toBeGreaterThanOrEqual(30)
    const held = (p: (typeof SPAM_SET)[number]) => score(p).score >= DEFAULT_SPAM_SETTINGS['queue-at']
    const blocked = (p: (typeof SPAM_SET)[number]) => score(p).score >= DEFAULT_SPAM_SETTINGS['block-at']
    const caught = spam.filter(held)
    const wronglyHeld = ordinary.filter(held)
    const missed = spam.filter((p) => !held(p)).map((p) => p.note)
    // The numbers the decision record and the report quote.
    console.info(
      [
        `spam caught: ${caught.length}/${spam.length} (${((100 * caught.length) / spam.length).toFixed(1)}%), of which refused outright: ${spam.filter(blocked).length}`,
        `ordinary posts wrongly held: ${wronglyHeld.length}/${ordinary.length} (${((100 * wronglyHeld.length) / ordinary.length).toFixed(1)}%), refused: ${ordinary.filter(blocked).length}`,
        `missed: ${missed.join(' | ') || 'none'}`,
        `wrongly held: ${wronglyHeld.map((p) => p.note).join(' | ') || 'none'}`,
      ].join('\n'),
    )
    expect(caught.length / spam.length).toBeGreaterThanOrEqual(0.9)
    expect(wronglyHeld.length / ordinary.length).toBeLessThanOrEqual(0.05)
    expect(ordinary.filter(blocked)).toEqual([])
  })
})

describe('each rule', () => {
  type Facts = Parameters<typeof spamScore>[0]
  const base: Facts = { text: '', questionId: 1, authorCreatedAt: new Date(now.getTime() - 365 * 24 * 60 * MINUTE), publishedPosts: 50, recentPosts: [], knownDomains: new Set<string>(), now }
  const rules = (facts: Partial<Facts>) => score2({ ...base, ...facts }).reasons.map((r) => r.rule)
  const score2 = (facts: Parameters<typeof spamScore>[0]) => spamScore(facts, DEFAULT_SPAM_SETTINGS)

  test('links and new domains count only in early posts', () => {
    const text = 'A long enough explanation of the problem and what I did about it, with the details that matter for anyone reading, and then the link https://one.example/x'
    expect(rules({ text, publishedPosts: 0 })).toEqual(['links', 'new-domains'])
    expect(rules({ text, publishedPosts: 0, knownDomains: new Set(['one.example']) })).toEqual(['links'])
    expect(rules({ text, publishedPosts: 10 })).toEqual([])
  })

  test('links with little else said, and links right after sign-up', () => {
    expect(rules({ text: 'see https://x.example' })).toEqual(['bare-links'])
    expect(rules({ text: 'see https://x.example', authorCreatedAt: new Date(now.getTime() - 5 * MINUTE) })).toEqual(['bare-links', 'signup-links'])
  })

  test('the same text in another thread within the window is a duplicate; in the same thread, or short, it is not', () => {
    const text = 'Contact me for the best investment opportunity of the year, guaranteed'
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * MINUTE)
    expect(rules({ text, recentPosts: [{ text: text.toUpperCase() + '!!', questionId: 2, createdAt: at(60) }] })).toEqual(['duplicate'])
    expect(rules({ text, recentPosts: [{ text, questionId: 1, createdAt: at(60) }] })).toEqual([])
    expect(rules({ text, recentPosts: [{ text, questionId: 2, createdAt: at(25 * 60) }] })).toEqual([])
    expect(rules({ text: 'Thanks, that worked!', recentPosts: [{ text: 'Thanks, that worked!', questionId: 2, createdAt: at(1) }] })).toEqual([])
  })

  test('velocity: the fifth post in ten minutes', () => {
    const recent = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `post ${i}`, questionId: 10 + i, createdAt: new Date(now.getTime() - (i + 1) * MINUTE) }))
    expect(rules({ text: 'hello', recentPosts: recent(3) })).toEqual([])
    expect(rules({ text: 'hello', recentPosts: recent(4) })).toEqual(['velocity'])
  })

  test('links and normalised text', () => {
    expect([...linksIn('a https://WWW.Example.com/x b http://sub.example.org:8080 c www.third.example').domains]).toEqual(['example.com', 'sub.example.org', 'third.example'])
    expect(linksIn('https:// nothing').domains.size).toBe(0)
    expect(normalisedText('Buy NOW!!!  —  ＦＲＥＥ')).toBe('buy now free')
  })
})
