import { eq, sql } from 'drizzle-orm'
import { db, rowsOf, type DbOrTx } from '#db/client.server'
import { users } from '#db/schema/index'
import type { UserRole } from '#db/schema/users'
import { isStaffRole } from '~/platform/auth/permissions'
import { env } from '~/platform/env.server'
import { linksIn, spamScore, type SpamSettings } from './spam-rules'
import { loadSpamSettings, loadWatchedWords } from './watched-words.server'
import type { WordMatch } from './watched-words'
import { screeningFor } from './screening.server'

/**
 * THE gate every write of a question or answer goes through (decision 031): publish it, hold it for
 * approval, or refuse it. The route asks before it writes and hands the verdict to the model, which
 * stores the post accordingly in its transaction.
 *
 * - Watched words: "block" refuses (the field's error names the word), "require approval" holds,
 *   "flag" publishes and opens a queue item, "censor" is applied when the post is rendered.
 * - A new member's first posts (admin setting `approval-post-count`) are held.
 * - The spam rules add up a score: held at `queue-at`, refused at `block-at`.
 * - Callers may add reasons of their own to hold a post (`requireApproval`): screened addresses plug in here.
 * Staff are never held or flagged; block words apply to everyone.
 */

export type GateField = 'title' | 'body' | 'tags' | 'displayName' | 'bio'

export type GateInput = {
  author: { id: number; role: UserRole }
  kind: 'question' | 'answer'
  /** The thread an answer goes to; null for a new question. */
  questionId?: number | null
  texts: { title?: string; body: string; tags?: string[] }
  /** The network address the post came from, for rules that look at it (screened IPs). */
  ip?: string | null
  /** Reasons of the caller's own to hold the post for approval (e.g. a screened email domain). */
  requireApproval?: string[]
  /**
   * An edit of a published post, with the texts before it: block words refuse it; "require approval"
   * and "flag" words the edit adds open a queue item on the post (a public post cannot go back to
   * waiting); the new-member count, spam rules and screening do not apply (decision 031).
   */
  edit?: { previous: GateInput['texts'] } | false
}

export type GateVerdict =
  | { action: 'publish'; flags: string[] }
  | { action: 'queue'; reasons: string[]; score: number; flags: string[] }
  | { action: 'block'; field: GateField; message: string }

/** What a caller passes on to the model: a block never gets that far. */
export type PostGate = Exclude<GateVerdict, { action: 'block' }>

export const blockMessage = (match: Pick<WordMatch, 'word'>) => `“${match.word}” is not allowed here. Take it out to post.`

type RecentPost = { text: string; questionId: number; createdAt: Date; published: boolean }

/** The author's last 50 posts of either kind, newest first, and when they signed up; one query. */
async function authorHistory(tx: DbOrTx, authorId: number) {
  const result = await tx.execute(sql`
    select p.text, p.question_id, p.created_at, p.published from (
      (select q.title || ' ' || q.body_source as text, q.id as question_id, q.created_at, (q.queued_at is null and q.removed_at is null) as published
        from questions q where q.author_id = ${authorId} order by q.created_at desc limit 50)
      union all
      (select a.body_source, a.question_id, a.created_at, (a.queued_at is null and a.removed_at is null)
        from answers a where a.author_id = ${authorId} order by a.created_at desc limit 50)
    ) p order by p.created_at desc limit 50`)
  return rowsOf<{ text: string; question_id: number; created_at: Date | string; published: boolean }>(result).map(
    (r): RecentPost => ({ text: r.text, questionId: r.question_id, createdAt: new Date(r.created_at), published: r.published }),
  )
}

/** Which watched word of which action, if any, appears in which field. */
function wordsIn(matcher: Awaited<ReturnType<typeof loadWatchedWords>>, texts: GateInput['texts']) {
  const fields: [GateField, string][] = [
    ['title', texts.title ?? ''],
    ['body', texts.body],
    ['tags', (texts.tags ?? []).join(' ')],
  ]
  return fields.flatMap(([field, text]) => matcher.find(text).map((m) => ({ ...m, field })))
}

export async function gatePost(input: GateInput, tx: DbOrTx = db): Promise<GateVerdict> {
  const [matcher, settings] = await Promise.all([loadWatchedWords(tx), loadSpamSettings(tx)])
  const found = wordsIn(matcher, input.texts)
  const blocked = found.find((m) => m.action === 'block')
  if (blocked) return { action: 'block', field: blocked.field, message: blockMessage(blocked) }
  if (isStaffRole(input.author.role)) return { action: 'publish', flags: [] }
  if (input.edit) return { action: 'publish', flags: addedWordFlags(found, wordsIn(matcher, input.edit.previous), 'an edit') }

  const reasons = [...(input.requireApproval ?? [])]
  const unique = (words: string[]) => [...new Set(words)]
  for (const word of unique(found.filter((m) => m.action === 'require-approval').map((m) => m.word))) reasons.push(`Watched word “${word}” requires approval.`)
  const flags = unique(found.filter((m) => m.action === 'flag').map((m) => m.word)).map((word) => `Watched word “${word}” flagged this post.`)

  const [verdict, screening] = await Promise.all([spamVerdict(tx, input, settings), screeningOfAuthor(tx, input)])
  // A screened address or network set to "require approval" (decision 032) holds the post; "block"
  // is refused by the route before anything is written.
  if (screening === 'approve') reasons.push('The member’s email address, domain or network is screened: their posts wait for approval.')
  if (verdict.score >= settings['block-at'])
    return { action: 'block', field: 'body', message: 'This looks like spam to our filters, so it was not posted. If it is not, take out some links or write a little more, or ask a moderator.' }
  if (verdict.score >= settings['queue-at']) reasons.push(`Spam score ${verdict.score}: ${verdict.reasons.map((r) => `${r.message} (+${r.points})`).join('; ')}.`)
  if (verdict.newMember) reasons.push(`A new member’s post (the first ${settings['approval-post-count']} wait for approval).`)
  return reasons.length > 0 ? { action: 'queue', reasons, score: verdict.score, flags } : { action: 'publish', flags }
}

async function screeningOfAuthor(tx: DbOrTx, input: GateInput) {
  const [author] = await tx.select({ email: users.email }).from(users).where(eq(users.id, input.author.id))
  return screeningFor({ email: author?.email ?? null, ip: input.ip ?? null }, tx)
}

/** The spam score of a post, and whether its author is still a new member for approval. */
async function spamVerdict(tx: DbOrTx, input: GateInput, settings: SpamSettings) {
  const [[author], history] = await Promise.all([
    tx.select({ createdAt: users.createdAt, trustedAt: users.trustedAt, email: users.email }).from(users).where(eq(users.id, input.author.id)),
    authorHistory(tx, input.author.id),
  ])
  const published = history.filter((p) => p.published)
  const knownDomains = new Set(published.flatMap((p) => [...linksIn(p.text).domains]))
  const now = new Date()
  const { score, reasons } = spamScore(
    {
      text: [input.texts.title ?? '', input.texts.body].join(' ').trim(),
      questionId: input.questionId ?? null,
      authorCreatedAt: author.createdAt,
      publishedPosts: published.length,
      recentPosts: history,
      knownDomains,
      now,
    },
    settings,
  )
  // A listed domain exempts its subdomains too: "example.com" covers "eu.example.com".
  const domain = author.email.split('@').pop()?.toLowerCase() ?? ''
  const exemptDomain = env.approvalExemptEmailDomains.some((d) => domain === d || domain.endsWith(`.${d}`))
  const newMember = !author.trustedAt && !exemptDomain && published.length < settings['approval-post-count']
  return { score, reasons, newMember }
}

/**
 * The "require approval" and "flag" words of `found` that `before` did not have, as a queue item's
 * lines: a word already there was seen (and approved, or let be) when it was first written.
 */
function addedWordFlags(found: (WordMatch & { field: GateField })[], before: (WordMatch & { field: GateField })[], where: string) {
  const had = new Set(before.map((m) => `${m.field}:${m.word.toLowerCase()}`))
  const added = found.filter((m) => (m.action === 'require-approval' || m.action === 'flag') && !had.has(`${m.field}:${m.word.toLowerCase()}`))
  return [...new Set(added.map((m) => `Watched word “${m.word}” (${m.action === 'flag' ? 'flag' : 'requires approval'}) added in ${where}.`))]
}

type ProfileTexts = { displayName: string | null; bio: string }

/**
 * Watched words in a member's display name and bio (decision 031): a "block" word refuses the field
 * that holds it; a "require approval" or "flag" word the change adds saves it and opens a queue item
 * on the profile (a profile has no waiting state); "censor" is applied when the bio is rendered and
 * the name stored (see updateProfile). Staff are never flagged.
 */
export async function gateProfile(
  { author, texts, previous }: { author: { role: UserRole }; texts: ProfileTexts; previous: ProfileTexts },
  tx: DbOrTx = db,
): Promise<{ action: 'block'; field: GateField; message: string } | { action: 'publish'; flags: string[] }> {
  const matcher = await loadWatchedWords(tx)
  const matches = (t: ProfileTexts) =>
    ([['displayName', t.displayName ?? ''], ['bio', t.bio]] as const).flatMap(([field, text]) => matcher.find(text).map((m) => ({ ...m, field: field as GateField })))
  const found = matches(texts)
  const blocked = found.find((m) => m.action === 'block')
  if (blocked) return { action: 'block', field: blocked.field, message: blockMessage(blocked) }
  if (isStaffRole(author.role)) return { action: 'publish', flags: [] }
  return { action: 'publish', flags: addedWordFlags(found, matches(previous), 'a profile change') }
}
