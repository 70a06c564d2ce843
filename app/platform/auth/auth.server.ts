import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle'
import { hash, verify } from '@node-rs/argon2'
import { redirect, type AppLoadContext } from '@remix-run/node'
import { Lucia, type DatabaseSession, type DatabaseUser } from 'lucia'
import { eq, sql } from 'drizzle-orm'
import { db, prepared } from '#db/client.server'
import { sessions, users, type UserRole } from '#db/schema/index'
import type { Theme } from '#db/enums'
import { env } from '~/platform/env.server'

// Lucia v3 is deprecated upstream; it is kept behind this module so that replacing it (see
// docs/decisions/002-sessions-with-lucia-v3.md) touches nothing else.
const SESSION_COOKIE = 'parley_session'

/**
 * Lucia's Drizzle adapter, except for the lookup every signed-in request makes: that one is a
 * prepared statement with the columns below only (the stock one rebuilt its SQL on each request and
 * read every column of the member, password hash and profile included).
 */
class SessionAdapter extends DrizzlePostgreSQLAdapter {
  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await sessionLookup().execute({ sessionId })
    if (!row) return [null, null]
    const { userId, expiresAt, sessionCreatedAt, userAgent, ipAddress, ...attributes } = row
    return [
      { id: sessionId, userId, expiresAt, attributes: { createdAt: sessionCreatedAt, userAgent, ipAddress } },
      { id: userId, attributes },
    ]
  }
}

const sessionLookup = prepared((database) =>
  database
    .select({
      userId: sessions.userId,
      expiresAt: sessions.expiresAt,
      sessionCreatedAt: sessions.createdAt,
      userAgent: sessions.userAgent,
      ipAddress: sessions.ipAddress,
      // What getUserAttributes below reads, and nothing else.
      username: users.username,
      role: users.role,
      supportTier: users.supportTier,
      isPremium: users.isPremium,
      suspendedUntil: users.suspendedUntil,
      bannedAt: users.bannedAt,
      silencedUntil: users.silencedUntil,
      displayName: users.displayName,
      emailVerifiedAt: users.emailVerifiedAt,
      unreadNotificationCount: users.unreadNotificationCount,
      deactivatedAt: users.deactivatedAt,
      theme: users.theme,
      timeZone: users.timeZone,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('sessionId')))
    .prepare('session_lookup'),
)

const lucia = new Lucia(new SessionAdapter(db as never, sessions, users as never), {
  sessionCookie: {
    name: SESSION_COOKIE,
    attributes: { secure: env.cookieSecure, sameSite: 'lax' },
  },
  getUserAttributes: (attributes) => ({
    username: attributes.username,
    role: attributes.role,
    supportTier: attributes.supportTier,
    isPremium: attributes.isPremium,
    suspendedUntil: attributes.suspendedUntil,
    bannedAt: attributes.bannedAt,
    silencedUntil: attributes.silencedUntil,
    displayName: attributes.displayName,
    emailVerifiedAt: attributes.emailVerifiedAt,
    unreadNotificationCount: attributes.unreadNotificationCount,
    deactivatedAt: attributes.deactivatedAt,
    theme: attributes.theme,
    timeZone: attributes.timeZone,
  }),
  getSessionAttributes: (attributes) => ({ createdAt: attributes.createdAt, userAgent: attributes.userAgent, ipAddress: attributes.ipAddress }),
})

declare module 'lucia' {
  interface Register {
    Lucia: typeof lucia
    UserId: number
    DatabaseUserAttributes: Omit<AuthUser, 'id'>
    DatabaseSessionAttributes: {
      createdAt?: Date
      userAgent: string | null
      ipAddress: string | null
    }
  }
}

/**
 * The signed-in member as the rest of the app sees it. Declared here, not taken from Lucia, so
 * replacing Lucia changes this module only. Lucia is told the same attributes (Register, above).
 */
export type AuthUser = {
  id: number
  username: string
  role: UserRole
  supportTier: number | null
  isPremium: boolean
  suspendedUntil: Date | null
  bannedAt: Date | null
  silencedUntil: Date | null
  displayName: string | null
  emailVerifiedAt: Date | null
  unreadNotificationCount: number
  deactivatedAt: Date | null
  /** The colour scheme the member chose, rendered as <html data-theme>. */
  theme: Theme
  /** The zone the member chose for times, or null for the browser's. */
  timeZone: string | null
}
/** The request's session: its id (the cookie's value), when it expires, whether it was just extended. */
export type AuthSession = { id: string; userId: number; expiresAt: Date; fresh: boolean }

declare module '@remix-run/node' {
  interface AppLoadContext {
    user: AuthUser | null
    session: AuthSession | null
    /** The client's address, for rate limits (X-Forwarded-For only with TRUST_PROXY=1). */
    clientIp: string
  }
}

// OWASP's recommended argon2id parameters (19 MiB, 2 passes, 1 lane).
const argonOptions = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 }
export const hashPassword = (password: string) => hash(password, argonOptions)
export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password, argonOptions)

/**
 * Reads the session cookie once per request (the HTTP server calls this, not each loader) and says
 * which cookie to send back: a refreshed one when Lucia extended the session, a blank one when the
 * session is gone.
 */
export async function authenticate(cookieHeader: string | null | undefined): Promise<{ user: AuthUser | null; session: AuthSession | null; setCookie: string | null }> {
  const sessionId = sessionCookieValue(cookieHeader)
  // A cookie that holds no session id we could have made is no session; the browser is told to drop
  // it, or one stray cookie would follow the member onto every page.
  if (sessionId === UNREADABLE) return { user: null, session: null, setCookie: lucia.createBlankSessionCookie().serialize() }
  if (!sessionId) return { user: null, session: null, setCookie: null }
  let { session, user } = (await lucia.validateSession(sessionId)) satisfies { user: AuthUser | null; session: AuthSession | null }
  // A deactivated account's sessions are ended when it is deactivated; this covers any that race it.
  if (session && user?.deactivatedAt) {
    await lucia.invalidateSession(session.id)
    session = null
    user = null
  }
  let setCookie: string | null = null
  if (!session) setCookie = lucia.createBlankSessionCookie().serialize()
  else if (session.fresh) setCookie = lucia.createSessionCookie(session.id).serialize()
  return { user, session, setCookie }
}

/** The session id a Cookie (or Set-Cookie) header carries, or null. */
export function readSessionId(cookieHeader: string | null | undefined): string | null {
  const value = sessionCookieValue(cookieHeader)
  return value === UNREADABLE ? null : value
}

const UNREADABLE = Symbol('unreadable session cookie')
// Lucia's ids are base32; anything else (a NUL, a stray `%`) must never reach the database.
const SESSION_ID = /^[A-Za-z0-9_-]{1,255}$/

/**
 * Our cookie's value, read without Lucia's parser: that one URI-decodes every cookie in the header
 * and throws on a single malformed one (`parley_session=%`, or another site's cookie on the same
 * host), which failed every request. As with Lucia, the last cookie of our name wins.
 */
function sessionCookieValue(cookieHeader: string | null | undefined): string | null | typeof UNREADABLE {
  let value: string | null = null
  for (const item of (cookieHeader ?? '').split(';')) {
    const at = item.indexOf('=')
    if (at !== -1 && item.slice(0, at).trim() === SESSION_COOKIE) value = item.slice(at + 1).trim()
  }
  if (value === null) return null
  try {
    value = decodeURIComponent(value)
  } catch {
    return UNREADABLE
  }
  return SESSION_ID.test(value) ? value : UNREADABLE
}

/** Whether the request carries a session cookie at all (valid or not), without asking the database. */
export const hasSessionCookie = (cookieHeader: string | null | undefined) => !!cookieHeader?.includes(`${SESSION_COOKIE}=`)

/**
 * A new session id at every login, so a session fixed before login is worthless after it. The
 * device and address are kept only to list the member's sessions back to them.
 */
export async function startSession(userId: number, { userAgent = null, ipAddress = null }: { userAgent?: string | null; ipAddress?: string | null } = {}) {
  const session = await lucia.createSession(userId, { userAgent, ipAddress })
  return lucia.createSessionCookie(session.id).serialize()
}

/** A session for the browser this request came from, as the member's list of devices shows it. */
export const startSessionFor = (request: Request, context: Pick<AppLoadContext, 'clientIp'>, userId: number) =>
  startSession(userId, { userAgent: request.headers.get('User-Agent'), ipAddress: context.clientIp })

export async function endSession(sessionId: string) {
  await lucia.invalidateSession(sessionId)
  return lucia.createBlankSessionCookie().serialize()
}

export function getUser(context: AppLoadContext): AuthUser | null {
  return context.user ?? null
}

export function requireUser(request: Request, context: AppLoadContext): AuthUser {
  if (context.user) return context.user
  const url = new URL(request.url)
  // A crawler that follows a link to a private page learns only that it needs a log-in, and is told
  // not to index the address (robots.txt leaves such addresses crawlable so this can be read).
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`, { headers: { 'X-Robots-Tag': 'noindex' } })
}

// Any origin of our own does: the target is only compared with it, never sent anywhere.
const OWN_ORIGIN = 'http://parley.invalid'

/**
 * Only same-site paths: an open redirect after login would be a phishing gift. The target is
 * resolved by the URL parser browsers use, so whatever they make of tabs, newlines, backslashes and
 * dot segments (`/\t/evil`, `/\\evil`, `/.//evil`) we make of it too, and only its path, query and
 * fragment are kept.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/') {
  if (!to || typeof to !== 'string') return fallback
  const path = sameOriginPath(to)
  // Resolved once more: a path the parser turned into `//host` would leave the site when sent.
  return path !== null && sameOriginPath(path) === path ? path : fallback
}

function sameOriginPath(to: string): string | null {
  let url: URL
  try {
    url = new URL(to, `${OWN_ORIGIN}/`)
  } catch {
    return null
  }
  if (url.origin !== OWN_ORIGIN) return null
  const path = url.pathname + url.search + url.hash
  return path.startsWith('/') && !path.startsWith('//') ? path : null
}
