import { eq, inArray, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { rateLimitRules, users } from '#db/schema/index'
import { env } from '~/platform/env.server'

/**
 * Every rate limit Parley enforces, with its default. The defaults follow Discourse's (login
 * attempts per IP, rate_limit_create_post, rate_limit_new_user_create_post, max_topics_per_day,
 * max_flags_per_day…); RATE_LIMITS can replace them for a deployment, and admins can override
 * each one at /admin/rate-limits (a row in rate_limit_rules), which wins over both.
 *
 * `message` is what the refused person reads; `{rate}` becomes the limit in words ("once every 30
 * seconds", "20 reports a day"), and "; try again in …" follows.
 */
type RuleDefinition = {
  name: string
  label: string
  maxHits: number
  windowSeconds: number
  message: string
  /** Counted things, singular and plural; without one the rate reads "5 times an hour". */
  noun?: readonly [string, string]
}

const MINUTE = 60
const HOUR = 3600
const DAY = 86400

export const RATE_LIMIT_RULES = [
  {
    name: 'signup-ip',
    label: 'Sign-ups from one network address',
    maxHits: 5,
    windowSeconds: HOUR,
    message: 'Too many accounts were created from your network. One network address can sign up {rate}',
  },
  {
    name: 'login-ip-minute',
    label: 'Log-in attempts from one network address, per minute',
    maxHits: 6,
    windowSeconds: MINUTE,
    message: 'Too many sign-in attempts from your network. One network address can try {rate}',
  },
  {
    name: 'login-ip-hour',
    label: 'Log-in attempts from one network address, per hour',
    maxHits: 30,
    windowSeconds: HOUR,
    message: 'Too many sign-in attempts from your network. One network address can try {rate}',
  },
  {
    name: 'login-account-failures',
    label: 'Failed log-ins on one account before it is locked for the rest of the window',
    maxHits: 10,
    windowSeconds: 15 * MINUTE,
    message: 'Too many failed sign-ins on this account. An account takes {rate}',
    noun: ['wrong password', 'wrong passwords'],
  },
  {
    name: 'password-reset-ip',
    label: 'Password-reset requests from one network address',
    maxHits: 6,
    windowSeconds: HOUR,
    message: 'Too many password-reset requests from your network. One network address can ask {rate}',
  },
  {
    name: 'password-reset-address',
    label: 'Password-reset mails to one email address',
    maxHits: 3,
    windowSeconds: HOUR,
    message: 'Too many password-reset requests for this address. We send at most {rate} to one address',
    noun: ['reset link', 'reset links'],
  },
  {
    name: 'post-member',
    label: 'Questions and answers by a member',
    maxHits: 1,
    windowSeconds: 5,
    message: 'You’re posting too fast. Members can post {rate}',
  },
  {
    name: 'post-new-member',
    label: 'Questions and answers by a new member (in their first 24 hours)',
    maxHits: 1,
    windowSeconds: 30,
    message: 'You’re posting too fast. New members can post {rate}',
  },
  {
    name: 'post-unverified',
    label: 'Questions and answers by a member who has not confirmed their email address',
    maxHits: 1,
    windowSeconds: MINUTE,
    message: 'You’re posting too fast. Until you confirm your email address, you can post {rate}',
  },
  {
    name: 'post-unverified-day',
    label: 'Questions and answers per day by a member who has not confirmed their email address',
    maxHits: 10,
    windowSeconds: DAY,
    message: 'You have reached today’s limit. Until you confirm your email address, you can post {rate}',
  },
  {
    name: 'question-day',
    label: 'Questions by one member per day',
    maxHits: 20,
    windowSeconds: DAY,
    message: 'You have asked as many questions as one member can today. Each member can ask {rate}',
    noun: ['question', 'questions'],
  },
  {
    name: 'report-day',
    label: 'Reports by one member per day',
    maxHits: 20,
    windowSeconds: DAY,
    message: 'You have sent as many reports as one member can today. Each member can send {rate}',
    noun: ['report', 'reports'],
  },
  {
    name: 'ticket-new',
    label: 'Support requests opened by one member',
    maxHits: 5,
    windowSeconds: HOUR,
    message: 'You’re opening support requests too fast. Each member can open {rate}',
    noun: ['request', 'requests'],
  },
  {
    name: 'ticket-reply',
    label: 'Replies by one member on their support requests',
    maxHits: 20,
    windowSeconds: HOUR,
    message: 'You’re replying too fast. Each member can send {rate} on their support requests',
    noun: ['reply', 'replies'],
  },
  {
    name: 'upload',
    label: 'Images and files uploaded by one member (pasted, dropped or picked into a post or ticket)',
    maxHits: 60,
    windowSeconds: HOUR,
    message: 'You’re uploading files too fast. Each member can upload {rate}',
    noun: ['file', 'files'],
  },
  {
    name: 'conflict-new',
    label: 'Conflict cases opened by one member',
    maxHits: 3,
    windowSeconds: HOUR,
    message: 'You’re opening conflict cases too fast. Each member can open {rate}',
    noun: ['case', 'cases'],
  },
  {
    name: 'conflict-message',
    label: 'Messages by one member in conflict cases',
    maxHits: 20,
    windowSeconds: HOUR,
    message: 'You’re sending messages too fast. Each member can send {rate} in conflict cases',
    noun: ['message', 'messages'],
  },
  {
    name: 'chat-message',
    label: 'Messages by one member in live chats',
    // A chat is quick by nature (decision 030): a message every 2 s for a minute is plenty for a person.
    maxHits: 30,
    windowSeconds: MINUTE,
    message: 'You’re sending messages too fast. Each member can send {rate} in a chat',
    noun: ['message', 'messages'],
  },
  {
    name: 'verification-mail',
    label: 'Confirmation mails sent to one account',
    maxHits: 3,
    windowSeconds: HOUR,
    message: 'We have sent several confirmation mails already. We send at most {rate} to one account',
    noun: ['confirmation mail', 'confirmation mails'],
  },
  {
    name: 'preview',
    label: 'Live previews of what a member is writing',
    // The preview follows typing (600 ms after each pause, decision 034): one every 2 s on average.
    maxHits: 300,
    windowSeconds: 10 * MINUTE,
    message: 'Too many previews. Members can preview {rate}',
    noun: ['preview', 'previews'],
  },
  {
    name: 'draft-save',
    label: 'Drafts saved by one member',
    maxHits: 600,
    windowSeconds: HOUR,
    message: 'Too many draft saves. Members can save {rate}',
    noun: ['draft', 'drafts'],
  },
  {
    name: 'current-password',
    label: 'Tries of their current password by one member (to change their email or password, or to deactivate or delete their account)',
    maxHits: 5,
    windowSeconds: 15 * MINUTE,
    message: 'Too many tries with your current password. You can try {rate}',
  },
] as const satisfies readonly RuleDefinition[]

export type RateLimitRuleName = (typeof RATE_LIMIT_RULES)[number]['name']
export type RateLimitRule = RuleDefinition & { name: RateLimitRuleName }
export type RateLimitSetting = { maxHits: number; windowSeconds: number }

/** Bounds an admin (or RATE_LIMITS) may set: windows up to a day, as pruning keeps a day of counters. */
export const RATE_LIMIT_BOUNDS = { maxHits: 100_000, windowSeconds: DAY } as const

/** A member is "new" (Discourse's trust level 0) for this long after signing up. */
export const NEW_MEMBER_HOURS = 24

const ALL_RULES: readonly RateLimitRule[] = RATE_LIMIT_RULES
const ruleByName = new Map<string, RateLimitRule>(ALL_RULES.map((rule) => [rule.name, rule]))

export function rateLimitRule(name: RateLimitRuleName): RateLimitRule {
  return ruleByName.get(name)!
}

const isRateLimitRuleName = (name: string): name is RateLimitRuleName => ruleByName.has(name)

let parsedDefaults: { source: string | undefined; defaults: Record<RateLimitRuleName, RateLimitSetting> } | undefined

/**
 * The defaults in force: the code's, with RATE_LIMITS (`name=maxHits/windowSeconds,…`) applied.
 * Parsed once per value of RATE_LIMITS, not per request; a copy, as callers lay overrides on it.
 */
export function rateLimitDefaults(): Record<RateLimitRuleName, RateLimitSetting> {
  const source = process.env.RATE_LIMITS
  if (!parsedDefaults || parsedDefaults.source !== source) parsedDefaults = { source, defaults: parseDefaults() }
  return { ...parsedDefaults.defaults }
}

function parseDefaults(): Record<RateLimitRuleName, RateLimitSetting> {
  const defaults = Object.fromEntries(RATE_LIMIT_RULES.map((r) => [r.name, { maxHits: r.maxHits, windowSeconds: r.windowSeconds }])) as Record<RateLimitRuleName, RateLimitSetting>
  for (const [name, setting] of Object.entries(env.rateLimits)) {
    if (!isRateLimitRuleName(name)) throw new Error(`RATE_LIMITS names an unknown rule "${name}"; the rules are ${RATE_LIMIT_RULES.map((r) => r.name).join(', ')}.`)
    if (!withinBounds(setting)) throw new Error(`RATE_LIMITS gives "${name}" ${setting.maxHits}/${setting.windowSeconds}; use 1–${RATE_LIMIT_BOUNDS.maxHits} hits per 1–${RATE_LIMIT_BOUNDS.windowSeconds} seconds.`)
    defaults[name] = setting
  }
  return defaults
}

const withinBounds = ({ maxHits, windowSeconds }: RateLimitSetting) =>
  Number.isInteger(maxHits) && maxHits >= 1 && maxHits <= RATE_LIMIT_BOUNDS.maxHits && Number.isInteger(windowSeconds) && windowSeconds >= 1 && windowSeconds <= RATE_LIMIT_BOUNDS.windowSeconds

/**
 * The rules in force for `names`, in one query (plus, for a member, when they signed up, which
 * decides whether the new-member rules apply). Nothing is cached: an admin's change holds at once
 * in every server process.
 */
export async function effectiveRateLimits(names: readonly RateLimitRuleName[], { userId, tx = db }: { userId?: number; tx?: DbOrTx } = {}) {
  const settings = rateLimitDefaults()
  let memberSince: Date | null = null
  if (userId !== undefined) {
    const rows = await tx
      .select({ memberSince: users.createdAt, name: rateLimitRules.name, maxHits: rateLimitRules.maxHits, windowSeconds: rateLimitRules.windowSeconds })
      .from(users)
      .leftJoin(rateLimitRules, names.length > 0 ? inArray(rateLimitRules.name, [...names]) : sql`false`)
      .where(eq(users.id, userId))
    for (const row of rows) {
      memberSince = row.memberSince
      if (row.name && isRateLimitRuleName(row.name)) settings[row.name] = { maxHits: row.maxHits!, windowSeconds: row.windowSeconds! }
    }
  } else if (names.length > 0) {
    const rows = await tx
      .select({ name: rateLimitRules.name, maxHits: rateLimitRules.maxHits, windowSeconds: rateLimitRules.windowSeconds })
      .from(rateLimitRules)
      .where(inArray(rateLimitRules.name, [...names]))
    for (const row of rows) if (isRateLimitRuleName(row.name)) settings[row.name] = { maxHits: row.maxHits, windowSeconds: row.windowSeconds }
  }
  return { settings, memberSince }
}

/** "once every 30 seconds", "6 times a minute", "20 reports a day", "one question every 2 hours". */
export function describeRate(rule: Pick<RateLimitRule, 'noun'>, { maxHits, windowSeconds }: RateLimitSetting) {
  const per =
    windowSeconds === MINUTE ? 'a minute' : windowSeconds === HOUR ? 'an hour' : windowSeconds === DAY ? 'a day' : `every ${describeDuration(windowSeconds)}`
  if (rule.noun) return maxHits === 1 ? `one ${rule.noun[0]} ${per}` : `${maxHits} ${rule.noun[1]} ${per}`
  return maxHits === 1 ? `once ${per}` : `${maxHits} times ${per}`
}

/** Whole seconds in words: "12 seconds", "1 minute", "15 minutes", "1 hour 30 minutes", "2 days". */
function describeDuration(totalSeconds: number) {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`
  const s = Math.max(1, Math.round(totalSeconds))
  if (s < MINUTE) return plural(s, 'second')
  if (s < HOUR) return s % MINUTE === 0 ? plural(s / MINUTE, 'minute') : `${plural(Math.floor(s / MINUTE), 'minute')} ${plural(s % MINUTE, 'second')}`
  if (s < DAY) return s % HOUR === 0 ? plural(s / HOUR, 'hour') : `${plural(Math.floor(s / HOUR), 'hour')} ${plural(Math.round((s % HOUR) / MINUTE), 'minute')}`
  return s % DAY === 0 ? plural(s / DAY, 'day') : plural(Math.round(s / HOUR), 'hour')
}

/** How long to wait, rounded up so that retrying when told is never still too early. */
export function describeWait(seconds: number) {
  const s = Math.max(1, Math.ceil(seconds))
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (s < 90) return plural(s, 'second')
  if (s < 90 * MINUTE) return plural(Math.ceil(s / MINUTE), 'minute')
  return plural(Math.ceil(s / HOUR), 'hour')
}

export type RateLimitRow = {
  name: RateLimitRuleName
  label: string
  defaults: RateLimitSetting
  current: RateLimitSetting
  overridden: boolean
  defaultRate: string
  currentRate: string
  updatedAt: Date | null
  updatedBy: string | null
}

/** Every rule with its default and current values, for the admin page (one query). */
export async function listRateLimits(): Promise<RateLimitRow[]> {
  const defaults = rateLimitDefaults()
  const rows = await db
    .select({ name: rateLimitRules.name, maxHits: rateLimitRules.maxHits, windowSeconds: rateLimitRules.windowSeconds, updatedAt: rateLimitRules.updatedAt, updatedBy: users.username })
    .from(rateLimitRules)
    .leftJoin(users, eq(users.id, rateLimitRules.updatedById))
  return ALL_RULES.map((rule) => {
    const row = rows.find((r) => r.name === rule.name)
    const current = row ? { maxHits: row.maxHits, windowSeconds: row.windowSeconds } : defaults[rule.name]
    return {
      name: rule.name,
      label: rule.label,
      defaults: defaults[rule.name],
      current,
      overridden: !!row,
      defaultRate: describeRate(rule, defaults[rule.name]),
      currentRate: describeRate(rule, current),
      updatedAt: row?.updatedAt ?? null,
      updatedBy: row?.updatedBy ?? null,
    }
  })
}

/**
 * Saves an admin's limits. A value equal to the default removes the override, so the rule follows
 * the default again (and any later change of RATE_LIMITS); rows whose values did not change keep
 * who changed them last. Returns the names that changed.
 */
export async function updateRateLimits({ settings, adminId }: { settings: Partial<Record<RateLimitRuleName, RateLimitSetting>>; adminId: number }) {
  const defaults = rateLimitDefaults()
  return db.transaction(async (tx) => {
    const existing = await tx.select({ name: rateLimitRules.name, maxHits: rateLimitRules.maxHits, windowSeconds: rateLimitRules.windowSeconds }).from(rateLimitRules)
    const changed: RateLimitRuleName[] = []
    for (const [name, setting] of Object.entries(settings) as [RateLimitRuleName, RateLimitSetting][]) {
      const row = existing.find((r) => r.name === name)
      const current = row ?? defaults[name]
      if (current.maxHits === setting.maxHits && current.windowSeconds === setting.windowSeconds) continue
      changed.push(name)
      if (setting.maxHits === defaults[name].maxHits && setting.windowSeconds === defaults[name].windowSeconds) {
        await tx.delete(rateLimitRules).where(eq(rateLimitRules.name, name))
      } else {
        const values = { maxHits: setting.maxHits, windowSeconds: setting.windowSeconds, updatedById: adminId, updatedAt: new Date() }
        await tx
          .insert(rateLimitRules)
          .values({ name, ...values })
          .onConflictDoUpdate({ target: rateLimitRules.name, set: values })
      }
    }
    return changed
  })
}

/** Back to the default; returns whether there was an override to remove. */
export async function resetRateLimit({ name }: { name: RateLimitRuleName }) {
  const rows = await db.delete(rateLimitRules).where(eq(rateLimitRules.name, name)).returning({ name: rateLimitRules.name })
  return rows.length > 0
}
