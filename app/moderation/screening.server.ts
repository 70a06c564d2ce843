/**
 * Screened emails, domains and IP ranges (decision 032): checked at sign-up and at posting.
 * 'block' refuses; 'approve' lets the member in but sends their posts to the approval queue (the
 * posting gate of the approval-queue work consumes it).
 */
import { isIP } from 'node:net'
import { and, desc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { screenedEntries, sessions, users } from '#db/schema/index'
import { SCREENED_KINDS, SCREENING_ACTIONS } from '#db/enums'

export type ScreenedKind = (typeof SCREENED_KINDS)[number]
export type ScreeningAction = (typeof SCREENING_ACTIONS)[number]

/**
 * Addresses at these providers are shared by millions: screening the domain of a spammer who used
 * one would block everyone else. Delete spammer screens their address, never these domains.
 */
export const COMMON_EMAIL_PROVIDERS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'ymail.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'web.de',
  'mail.com',
  'yandex.ru',
  'qq.com',
  '163.com',
  'zoho.com',
  'fastmail.com',
])

/** The client's address as PostgreSQL's inet reads it, or null when there is none worth keeping. */
export function normaliseIp(ip: string | null | undefined): string | null {
  if (!ip) return null
  // Express reports IPv4 clients of a dual-stack socket as IPv4-mapped IPv6.
  const mapped = ip.match(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i)
  const address = mapped ? mapped[1] : ip
  return isIP(address) ? address : null
}

export const emailDomainOf = (email: string) => email.trim().toLowerCase().split('@').at(-1) ?? ''

/**
 * A screened value as typed by an admin, checked and normalised: an address, a domain, or an IP
 * range in CIDR notation (a bare address is a range of one); an error message otherwise.
 */
export function parseScreenedValue(kind: ScreenedKind, raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = raw.trim().toLowerCase()
  if (kind === 'email') {
    return /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/.test(value) && value.length <= 254 ? { ok: true, value } : { ok: false, message: 'Enter an email address, like name@example.com.' }
  }
  if (kind === 'domain') {
    const domain = value.replace(/^@/, '')
    return /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain) ? { ok: true, value: domain } : { ok: false, message: 'Enter a domain, like example.com.' }
  }
  const match = value.match(/^([0-9a-f:.]{2,45})(?:\/(\d{1,3}))?$/)
  const family = match ? isIP(match[1]) : 0
  const prefix = match?.[2] === undefined ? (family === 6 ? 128 : 32) : Number(match[2])
  if (!match || family === 0 || prefix > (family === 6 ? 128 : 32))
    return { ok: false, message: 'Enter an IPv4 or IPv6 address or range in CIDR notation, like 203.0.113.0/24 or 2001:db8::/32.' }
  return { ok: true, value: `${match[1]}/${prefix}` }
}

/** What screening says about a sign-up or a post: block wins over approve; null when nothing matches. */
export async function screeningFor({ email, ip }: { email: string | null; ip: string | null }, tx: DbOrTx = db): Promise<ScreeningAction | null> {
  const address = email?.trim().toLowerCase() || null
  const domain = address ? emailDomainOf(address) : null
  const client = normaliseIp(ip)
  const matches = [
    address ? and(eq(screenedEntries.kind, 'email'), eq(screenedEntries.value, address)) : undefined,
    // A screened domain covers its subdomains: mail.spam.example is spam.example's.
    domain ? and(eq(screenedEntries.kind, 'domain'), or(eq(screenedEntries.value, domain), sql`${domain} like '%.' || ${screenedEntries.value}`)) : undefined,
    client ? and(eq(screenedEntries.kind, 'ip'), sql`${client}::inet <<= ${screenedEntries.ipRange}`) : undefined,
  ].filter(Boolean)
  if (matches.length === 0) return null
  const [row] = await tx
    .select({ action: screenedEntries.action })
    .from(screenedEntries)
    .where(or(...matches))
    .orderBy(sql`${screenedEntries.action} = 'block' desc`)
    .limit(1)
  return row?.action ?? null
}

/**
 * Screening at posting: the member's address and the address they post from. Notes the posting
 * address on the member (for screening and linked accounts) in the same statement.
 */
export async function screenPosting({ userId, ip }: { userId: number; ip: string | null }): Promise<ScreeningAction | null> {
  const client = normaliseIp(ip)
  const [member] = client
    ? await db.update(users).set({ lastPostIp: client }).where(eq(users.id, userId)).returning({ email: users.email })
    : await db.select({ email: users.email }).from(users).where(eq(users.id, userId))
  if (!member) return null
  return screeningFor({ email: member.email, ip: client })
}

/** Said to a member whose post screening blocks: nothing about which rule matched. */
export const POSTING_BLOCKED_MESSAGE = 'Posts from your account or network are not accepted at the moment. If you think this is a mistake, contact support.'
/** Said at sign-up, beside the email field: nothing about whether the address, its domain or the network matched. */
export const SIGNUP_BLOCKED_MESSAGE = 'We cannot accept a sign-up with this address. If you think this is a mistake, contact support.'

export type NewScreenedEntry = { kind: ScreenedKind; value: string; action: ScreeningAction; reason?: string; createdById: number | null; moderationActionId?: number | null }

/**
 * Adds an entry; an entry already screened keeps its row and takes the stronger action (block
 * stays block). `value` must come from parseScreenedValue.
 */
export async function addScreenedEntry(entry: NewScreenedEntry, tx: DbOrTx = db) {
  const range = entry.kind === 'ip' ? sql`network(${entry.value}::inet)` : null
  const [row] = await tx
    .insert(screenedEntries)
    .values({
      kind: entry.kind,
      value: range ? sql`network(${entry.value}::inet)::text` : entry.value,
      ipRange: range,
      action: entry.action,
      reason: entry.reason ?? '',
      createdById: entry.createdById,
      moderationActionId: entry.moderationActionId ?? null,
    })
    .onConflictDoUpdate({
      target: [screenedEntries.kind, screenedEntries.value],
      set: { action: sql`case when ${screenedEntries.action} = 'block' then 'block'::screening_action else excluded.action end` },
    })
    .returning({ id: screenedEntries.id, value: screenedEntries.value })
  return row
}

export async function removeScreenedEntry({ id }: { id: number }) {
  const rows = await db.delete(screenedEntries).where(eq(screenedEntries.id, id)).returning({ id: screenedEntries.id })
  return rows.length > 0
}

export const SCREENED_PAGE_SIZE = 100

/** Newest first, paged by id. */
export async function listScreenedEntries({ beforeId = null }: { beforeId?: number | null } = {}) {
  const rows = await db
    .select({ id: screenedEntries.id, kind: screenedEntries.kind, value: screenedEntries.value, action: screenedEntries.action, reason: screenedEntries.reason, createdAt: screenedEntries.createdAt })
    .from(screenedEntries)
    .where(beforeId ? lt(screenedEntries.id, beforeId) : undefined)
    .orderBy(desc(screenedEntries.id))
    .limit(SCREENED_PAGE_SIZE + 1)
  return { entries: rows.slice(0, SCREENED_PAGE_SIZE), nextBeforeId: rows.length > SCREENED_PAGE_SIZE ? rows[SCREENED_PAGE_SIZE - 1].id : null }
}

/** Loopback never identifies a member, only the machine Parley runs on (or a proxy in front of it). */
const isLoopback = (ip: string) => ip === '::1' || ip.startsWith('127.')

/**
 * Screens what identifies a member a moderator has just banned (delete spammer, or a ban that was
 * asked to). With `email`, their address and their domain, unless millions share it or other live accounts use it (a
 * company's, a university's: left for an admin to screen by hand); with `ips`, the addresses they signed up and
 * posted from, unless a staff member uses one too (an office, a shared proxy). Each entry blocks and
 * is tied to the decision, so reversing the decision lifts it. Returns the values screened.
 */
export async function screenMember(
  tx: DbOrTx,
  { memberId, email, ips, reason, moderatorId, actionId }: { memberId: number; email: boolean; ips: boolean; reason: string; moderatorId: number; actionId: number },
): Promise<string[]> {
  const [member] = await tx.select({ email: users.email, signupIp: users.signupIp, lastPostIp: users.lastPostIp }).from(users).where(eq(users.id, memberId))
  if (!member) return []
  const screened: string[] = []
  const screen = async (kind: ScreenedKind, raw: string) => {
    const parsed = parseScreenedValue(kind, raw)
    if (!parsed.ok) return
    const row = await addScreenedEntry({ kind, value: parsed.value, action: 'block', reason, createdById: moderatorId, moderationActionId: actionId }, tx)
    screened.push(row.value)
  }
  if (email) await screen('email', member.email)
  const memberDomain = emailDomainOf(member.email)
  if (email && memberDomain && !COMMON_EMAIL_PROVIDERS.has(memberDomain)) {
    const [shared] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(sql`lower(split_part(${users.email}, '@', 2)) = ${memberDomain}`, ne(users.id, memberId), isNull(users.bannedAt), isNull(users.deletedAt)))
      .limit(1)
    if (!shared) await screen('domain', memberDomain)
  }
  const addresses = ips ? [...new Set([member.signupIp, member.lastPostIp].map((ip) => normaliseIp(ip)).filter((ip): ip is string => ip !== null && !isLoopback(ip)))] : []
  if (addresses.length > 0) {
    const asSessionsStore = addresses.flatMap((ip) => [ip, `::ffff:${ip}`])
    const staffSeen = await tx
      .select({ sessionIp: sessions.ipAddress, lastPostIp: sql<string | null>`host(${users.lastPostIp})`, signupIp: sql<string | null>`host(${users.signupIp})` })
      .from(users)
      .leftJoin(sessions, eq(sessions.userId, users.id))
      .where(and(sql`${users.role} <> 'member'`, or(inArray(sessions.ipAddress, asSessionsStore), inArray(sql`host(${users.lastPostIp})`, addresses), inArray(sql`host(${users.signupIp})`, addresses))))
    const shared = new Set(staffSeen.flatMap((r) => [r.sessionIp, r.lastPostIp, r.signupIp].map((ip) => normaliseIp(ip))))
    for (const ip of addresses) if (!shared.has(ip)) await screen('ip', ip)
  }
  return screened
}

/** A reversed decision lifts the screening it brought. */
export async function unscreenDecision(tx: DbOrTx, actionId: number) {
  await tx.delete(screenedEntries).where(eq(screenedEntries.moderationActionId, actionId))
}
