import { json, type AppLoadContext } from '@remix-run/node'
import { eq, inArray, lt, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { rateLimitHits } from '#db/schema/index'
import { formatDateTime } from '~/platform/dates'
import {
  describeRate,
  describeWait,
  effectiveRateLimits,
  NEW_MEMBER_HOURS,
  RATE_LIMIT_RULES,
  rateLimitRule,
  type RateLimitRuleName,
} from './rules.server'

export type Limit = { key: string; windowSeconds: number; max: number }

/*
 * Counters live in the database, so every server process sees the same counts. A window opens at
 * a key's first hit and lasts windowSeconds; one row per key and window. Opening windows at the
 * first hit (rather than on the clock's minute or hour) makes "once every 30 seconds" exact: the
 * next post is refused until 30 seconds after the last one, never let through by a boundary.
 *
 * A window counts as open for a request when it ends after the request's `now`, even if it opened
 * after that `now`: requests take their time before they wait for the lock, so the one with the
 * earlier clock can be served second (and another process's clock may run a little ahead). Were
 * such a window ignored, the request would open a second window beside it and get through.
 */

const windowEnd = (start: Date, limit: Limit) => new Date(start.getTime() + limit.windowSeconds * 1000)
const iso = (date: Date) => sql`${date.toISOString()}::timestamptz`

/** Each limit that is used up, with when it frees up again. */
async function blockedLimits(limits: Limit[], now: Date, tx: DbOrTx) {
  if (limits.length === 0) return []
  const longest = Math.max(...limits.map((l) => l.windowSeconds))
  const rows = await tx
    .select({ key: rateLimitHits.key, windowStartAt: rateLimitHits.windowStartAt, hits: rateLimitHits.hits })
    .from(rateLimitHits)
    .where(sql`${inArray(rateLimitHits.key, limits.map((l) => l.key))} and ${rateLimitHits.windowStartAt} > ${iso(new Date(now.getTime() - longest * 1000))}`)
  const blocked: { limit: Limit; retryAt: Date }[] = []
  for (const limit of limits) {
    const open = rows.filter((r) => r.key === limit.key && windowEnd(r.windowStartAt, limit) > now)
    const hits = open.reduce((sum, r) => sum + r.hits, 0)
    if (hits >= limit.max) blocked.push({ limit, retryAt: windowEnd(open.reduce((a, r) => (r.windowStartAt > a ? r.windowStartAt : a), open[0].windowStartAt), limit) })
  }
  return blocked
}

/**
 * Counts one hit against each limit: in the key's open window, or in a new one opening now. Only
 * under hitLimits's locks: counting outside them is what let concurrent requests through.
 */
async function recordHits(limits: Limit[], now: Date, tx: DbOrTx) {
  const values = sql.join(
    limits.map((l) => sql`(${l.key}::text, ${l.windowSeconds}::int)`),
    sql`, `,
  )
  await tx.execute(sql`
    insert into rate_limit_hits (key, window_start_at, hits)
    select v.key,
      coalesce(
        (select max(h.window_start_at) from rate_limit_hits h
          where h.key = v.key and h.window_start_at > ${iso(now)} - v.seconds * interval '1 second'),
        ${iso(now)}),
      1
    from (values ${values}) as v(key, seconds)
    on conflict (key, window_start_at) do update set hits = rate_limit_hits.hits + 1`)
  // Closed windows of these keys are of no more use; the rest go at start-up (pruneRateLimits).
  await tx.execute(sql`
    delete from rate_limit_hits h using (values ${values}) as v(key, seconds)
    where h.key = v.key and h.window_start_at <= ${iso(now)} - v.seconds * interval '1 second'`)
}

/**
 * Decides and counts in one step, before the work the limit protects: in one transaction that
 * first takes a lock per key (advisory, because the row to lock may not exist yet), then reads the
 * counts, which under read committed include everything the previous holder of the lock committed,
 * then counts. So of any number of requests at once, exactly as many get through as would one
 * after another. Counts nothing when refused. Returns the used-up limits (empty when counted).
 */
export async function hitLimits(limits: Limit[], { now = new Date() } = {}) {
  if (limits.length === 0) return []
  return db.transaction(async (tx) => {
    const keys = sql.join(
      [...new Set(limits.map((l) => l.key))].sort().map((k) => sql`${k}::text`),
      sql`, `,
    )
    // In key order, so two requests that share several keys cannot wait for each other.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from (select unnest(array[${keys}]) as k order by 1) as sorted`)
    const blocked = await blockedLimits(limits, now, tx)
    if (blocked.length === 0) await recordHits(limits, now, tx)
    return blocked
    // Said, not assumed: a server whose default is repeatable read would read from before the lock.
  }, { isolationLevel: 'read committed' })
}

export async function clearHits(key: string, { tx = db as DbOrTx } = {}) {
  await tx.delete(rateLimitHits).where(eq(rateLimitHits.key, key))
}

/**
 * Forgets every counter that names one account: its log-in failures and reset mails, by the names
 * and addresses it was typed as, and its per-member counters. Exact keys only: a member named
 * "user" or "email" must not reach anyone else's counters.
 */
export async function clearAccountHits({ userId, names, addresses }: { userId: number; names: string[]; addresses: string[] }, tx: DbOrTx = db) {
  const keys = [
    ...[...names, ...addresses].map((name) => `login-account-failures:account:${name.trim().toLowerCase()}`),
    ...addresses.map((address) => `password-reset-address:email:${address.trim().toLowerCase()}`),
    ...RATE_LIMIT_RULES.map((rule) => `${rule.name}:user:${userId}`),
  ]
  await tx.delete(rateLimitHits).where(inArray(rateLimitHits.key, keys))
}

/** Old windows only matter until they end (a day at most); called at start-up to keep the table small. */
export async function pruneRateLimits(olderThan = new Date(Date.now() - 24 * 3600 * 1000)) {
  await db.delete(rateLimitHits).where(lt(rateLimitHits.windowStartAt, olderThan))
}

/** The login limits in force (admins can change them): per network address, and failures per account. */
export async function loginLimits({ ip, identifier }: { ip: string; identifier: string }) {
  const { settings } = await effectiveRateLimits(['login-ip-minute', 'login-ip-hour', 'login-account-failures'])
  const limit = (name: RateLimitRuleName, key: string): Limit => ({ key: `${name}:${key}`, max: settings[name].maxHits, windowSeconds: settings[name].windowSeconds })
  return {
    ipLimits: [limit('login-ip-minute', `ip:${ip}`), limit('login-ip-hour', `ip:${ip}`)],
    accountLimit: limit('login-account-failures', `account:${identifier.trim().toLowerCase()}`),
  }
}

type Subject = 'ip' | 'user' | 'email'
type Check = {
  rule: RateLimitRuleName
  by: Subject
  applies?: 'new-member' | 'unverified'
  /** Counts staff too: guessing a stolen session's password is worse when the account is staff's. */
  staffToo?: true
}

const posting: Check[] = [
  { rule: 'post-member', by: 'user' },
  { rule: 'post-new-member', by: 'user', applies: 'new-member' },
  { rule: 'post-unverified', by: 'user', applies: 'unverified' },
  { rule: 'post-unverified-day', by: 'user', applies: 'unverified' },
]

/**
 * What each limited action counts against. Questions and answers share the posting counters, so
 * the interval holds between a question and an answer too.
 */
const ACTIONS = {
  signup: [{ rule: 'signup-ip', by: 'ip' }],
  'password-reset': [
    { rule: 'password-reset-ip', by: 'ip' },
    { rule: 'password-reset-address', by: 'email' },
  ],
  'post-question': [...posting, { rule: 'question-day', by: 'user' }],
  'post-answer': posting,
  report: [{ rule: 'report-day', by: 'user' }],
  ticket: [{ rule: 'ticket-new', by: 'user' }],
  'ticket-reply': [{ rule: 'ticket-reply', by: 'user' }],
  upload: [{ rule: 'upload', by: 'user' }],
  conflict: [{ rule: 'conflict-new', by: 'user' }],
  'conflict-message': [{ rule: 'conflict-message', by: 'user' }],
  'chat-message': [{ rule: 'chat-message', by: 'user' }],
  'verification-mail': [{ rule: 'verification-mail', by: 'user' }],
  // The composer's live preview and draft autosave: generous, as they follow typing, but bounded.
  preview: [{ rule: 'preview', by: 'user' }],
  'draft-save': [{ rule: 'draft-save', by: 'user' }],
  // Forms that ask for the current password; changing the address also mails a confirmation link.
  'current-password': [{ rule: 'current-password', by: 'user', staffToo: true }],
  'change-email': [
    { rule: 'verification-mail', by: 'user' },
    { rule: 'current-password', by: 'user', staffToo: true },
  ],
} satisfies Record<string, Check[]>

export type RateLimitedAction = keyof typeof ACTIONS

export type RateLimitRefusal = { rule: RateLimitRuleName; message: string; retryAt: Date; retryAfterSeconds: number }

type RateLimitArgs = {
  action: RateLimitedAction
  context: Pick<AppLoadContext, 'user' | 'clientIp'>
  /** The address a mail goes to, for limits per address (password reset). */
  email?: string
  now?: Date
}

/**
 * Counts one `action` by this request's member or network address against every limit that
 * applies, or, when one is used up, counts nothing and says why and for how long. Staff (any role
 * but member) are exempt from the per-member limits, as in Discourse, except those marked staffToo.
 */
export async function rateLimitRefusal({ action, context, email, now = new Date() }: RateLimitArgs): Promise<RateLimitRefusal | null> {
  const user = context.user
  const checks = (ACTIONS[action] as Check[]).filter((c) => c.by !== 'user' || (user && (user.role === 'member' || c.staffToo)))
  if (checks.some((c) => c.by === 'email') && !email) throw new Error(`rate limit "${action}" needs the email address it mails`)
  if (checks.length === 0) return null
  const userId = checks.some((c) => c.by === 'user') ? user!.id : undefined
  const { settings, memberSince } = await effectiveRateLimits([...new Set(checks.map((c) => c.rule))], { userId })
  const isNew = !!memberSince && now.getTime() - memberSince.getTime() < NEW_MEMBER_HOURS * 3600 * 1000
  const applying = checks.filter((c) => !c.applies || (c.applies === 'new-member' ? isNew : !user?.emailVerifiedAt))
  const subject = { ip: `ip:${context.clientIp}`, user: `user:${user?.id}`, email: `email:${email?.trim().toLowerCase()}` }
  const limits = applying.map((c) => ({ rule: c.rule, key: `${c.rule}:${subject[c.by]}`, max: settings[c.rule].maxHits, windowSeconds: settings[c.rule].windowSeconds }))

  const blocked = await hitLimits(limits, { now })
  if (blocked.length === 0) return null
  // The limit that frees up last is the one to explain.
  const { limit, retryAt } = blocked.reduce((a, b) => (b.retryAt > a.retryAt ? b : a))
  const rule = (limit as (typeof limits)[number]).rule
  const retryAfterSeconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000))
  const text = rateLimitRule(rule).message.replace('{rate}', describeRate(rateLimitRule(rule), settings[rule]))
  return { rule, message: `${text}; try again in ${describeWait(retryAfterSeconds)}.`, retryAt, retryAfterSeconds }
}

/** The 429 for a refusal, with Retry-After; the root error page shows its message. */
export function tooManyRequests(refusal: Pick<RateLimitRefusal, 'message' | 'retryAfterSeconds'>) {
  return json({ message: refusal.message }, { status: 429, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } })
}

/**
 * A refused log-in, whichever of the log-in rules refused it: someone locked out of their own
 * account wants to know when they can come back, so it names the time.
 */
export function loginRefusal(retryAt: Date, now = new Date()): Pick<RateLimitRefusal, 'message' | 'retryAfterSeconds'> {
  const retryAfterSeconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000))
  const minutes = Math.ceil(retryAfterSeconds / 60)
  return {
    message: `Too many sign-in attempts. Please wait and try again after ${formatDateTime(retryAt)} (in about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}).`,
    retryAfterSeconds,
  }
}

/** Like rateLimitRefusal, but throws the 429 (for actions without a form to show it on). */
export async function enforceRateLimit(args: RateLimitArgs) {
  const refusal = await rateLimitRefusal(args)
  if (refusal) throw tooManyRequests(refusal)
}
