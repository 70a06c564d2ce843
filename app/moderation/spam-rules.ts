/**
 * The spam rules on write (decision 031): each rule looks at the post and its author's recent
 * history and adds points; the sum queues the post at `queueAt` and refuses it at `blockAt`. Pure
 * and schema-free, so the labelled set (tests/fixtures/spam-set.ts) runs them without a database and
 * the admin page lists the same settings. No network service is asked anything.
 */

export const SPAM_SETTINGS = [
  { name: 'approval-post-count', label: 'Posts of a new member that wait for approval', defaultValue: 2, max: 20 },
  { name: 'queue-at', label: 'Spam score at which a post waits for approval', defaultValue: 5, max: 1000 },
  { name: 'block-at', label: 'Spam score at which a post is refused', defaultValue: 12, max: 1000 },
  { name: 'early-posts', label: 'Posts that count as a member’s early posts (for the link rules)', defaultValue: 3, max: 100 },
  { name: 'link-points', label: 'Points per link in an early post (at most 5 links counted)', defaultValue: 1, max: 100 },
  { name: 'new-domain-points', label: 'Points per domain an early post links to that the member never linked before (at most 5)', defaultValue: 1, max: 100 },
  { name: 'bare-link-points', label: 'Points when a post with links has fewer than 25 other words', defaultValue: 2, max: 100 },
  { name: 'signup-link-minutes', label: 'Minutes after sign-up in which a post with links counts as “sign-up followed at once by links”', defaultValue: 60, max: 1440 },
  { name: 'signup-link-points', label: 'Points for a post with links right after sign-up', defaultValue: 2, max: 100 },
  { name: 'duplicate-hours', label: 'Hours in which the same text posted again counts as a duplicate', defaultValue: 24, max: 720 },
  { name: 'duplicate-points', label: 'Points when the member posted the same text in another thread', defaultValue: 6, max: 100 },
  { name: 'velocity-posts', label: 'Posts in 10 minutes that count as posting too fast', defaultValue: 5, max: 1000 },
  { name: 'velocity-points', label: 'Points when the member posts that fast', defaultValue: 4, max: 100 },
] as const

export type SpamSettingName = (typeof SPAM_SETTINGS)[number]['name']
export type SpamSettings = Record<SpamSettingName, number>

export const DEFAULT_SPAM_SETTINGS = Object.fromEntries(SPAM_SETTINGS.map((s) => [s.name, s.defaultValue])) as SpamSettings

/** What the rules know about a post and its author at the moment of writing. */
export type SpamFacts = {
  /** The post's text: title and body (tags add nothing). */
  text: string
  /** Which thread the post is in (null for a new question), for the duplicate rule. */
  questionId: number | null
  authorCreatedAt: Date
  /** The member's published posts so far. */
  publishedPosts: number
  /** The member's posts (any state) in the duplicate window, newest first: their text and thread. */
  recentPosts: { text: string; questionId: number; createdAt: Date }[]
  /** Domains the member linked to in their published posts. */
  knownDomains: ReadonlySet<string>
  now: Date
}

export type SpamReason = { rule: 'links' | 'new-domains' | 'bare-links' | 'signup-links' | 'duplicate' | 'velocity'; points: number; message: string }
export type SpamVerdict = { score: number; reasons: SpamReason[] }

const LINK_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>()"'\]]+/giu

/** The links in a text, and the hosts they point to (lower case, "www." dropped). */
export function linksIn(text: string) {
  const links = text.match(LINK_PATTERN) ?? []
  const domains = new Set<string>()
  for (const link of links) {
    const host = link
      .replace(/^https?:\/\//i, '')
      .split(/[/?#:]/)[0]
      .toLowerCase()
      .replace(/^www\./, '')
    if (/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u.test(host)) domains.add(host)
  }
  return { count: links.length, domains }
}

/**
 * The text as the duplicate rule compares it: case, compatibility forms, punctuation and spacing
 * folded away, so "Buy NOW!!" and "buy now" are the same post.
 */
export function normalisedText(text: string) {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

const MINUTE = 60_000

export function spamScore(facts: SpamFacts, settings: SpamSettings): SpamVerdict {
  const reasons: SpamReason[] = []
  const add = (rule: SpamReason['rule'], points: number, message: string) => {
    if (points > 0) reasons.push({ rule, points, message })
  }
  const links = linksIn(facts.text)
  const early = facts.publishedPosts < settings['early-posts']
  if (links.count > 0) {
    if (early) {
      add('links', settings['link-points'] * Math.min(links.count, 5), `${links.count} link${links.count === 1 ? '' : 's'} in an early post`)
      const fresh = [...links.domains].filter((d) => !facts.knownDomains.has(d))
      if (fresh.length) add('new-domains', settings['new-domain-points'] * Math.min(fresh.length, 5), `links to ${fresh.slice(0, 5).join(', ')}, new for this member`)
    }
    const words = facts.text.replace(LINK_PATTERN, ' ').match(/[\p{L}\p{N}]+/gu)?.length ?? 0
    if (words < 25) add('bare-links', settings['bare-link-points'], 'links with little else said')
    if (facts.now.getTime() - facts.authorCreatedAt.getTime() < settings['signup-link-minutes'] * MINUTE)
      add('signup-links', settings['signup-link-points'], `links within ${settings['signup-link-minutes']} minutes of signing up`)
  }
  const mine = normalisedText(facts.text)
  const windowStart = facts.now.getTime() - settings['duplicate-hours'] * 60 * MINUTE
  // Short texts ("Thanks, that worked") are said in many threads by honest people.
  if (mine.length >= 40 && facts.recentPosts.some((p) => p.createdAt.getTime() >= windowStart && p.questionId !== facts.questionId && normalisedText(p.text) === mine))
    add('duplicate', settings['duplicate-points'], 'the same text was posted in another thread')
  const lastTenMinutes = facts.recentPosts.filter((p) => facts.now.getTime() - p.createdAt.getTime() < 10 * MINUTE).length
  if (lastTenMinutes + 1 >= settings['velocity-posts']) add('velocity', settings['velocity-points'], `${lastTenMinutes + 1} posts in 10 minutes`)
  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons }
}
