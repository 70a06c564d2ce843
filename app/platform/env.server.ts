import { availableParallelism } from 'node:os'
import path from 'node:path'

/** Every setting Parley reads from the environment, in one place (the README lists the same). */
// Read at run time: the Remix compiler replaces a literal `process.env.NODE_ENV` with the build's mode.
const runtime = () => process.env

function megabytes(name: string, fallback: number) {
  const setting = process.env[name]?.trim()
  if (!setting) return fallback * 1024 * 1024
  if (!/^\d+(\.\d+)?$/.test(setting) || Number(setting) <= 0) throw new Error(`${name}: "${setting}" is not a size in MB (e.g. 10).`)
  return Math.round(Number(setting) * 1024 * 1024)
}

export const env = {
  get isProduction() {
    return runtime().NODE_ENV === 'production'
  },
  /** Secure cookies need HTTPS; on by default in production, COOKIE_SECURE=0/1 overrides. */
  get cookieSecure() {
    const setting = runtime().COOKIE_SECURE
    return setting === undefined ? this.isProduction : setting === '1'
  },
  /** Strict-Transport-Security on every response; on by default in production, HSTS=0 when the proxy in front sends it, HSTS=1 to force. */
  get hsts() {
    const setting = runtime().HSTS
    return setting === undefined ? this.isProduction : setting === '1'
  },
  get port() {
    return Number(process.env.PORT ?? 3000)
  },
  /** The address members reach Parley at, for links in mail. */
  get publicUrl() {
    return (process.env.PUBLIC_URL ?? `http://localhost:${this.port}`).replace(/\/+$/, '')
  },
  /** Milliseconds between heartbeat comments on an open event stream (keeps proxies from closing it). */
  get realtimeHeartbeatMs() {
    return Number(process.env.REALTIME_HEARTBEAT_MS ?? 20_000)
  },
  /** Hours a question may wait for its first answer before staff are asked to look at it. */
  get unansweredAfterHours() {
    return Number(process.env.UNANSWERED_AFTER_HOURS ?? 24)
  },
  /**
   * Email domains whose members never wait for approval as new members (decision 031), comma-separated:
   * a company's own staff domain, or a test server's. A domain covers its subdomains. Spam rules and watched words still apply to them.
   */
  get approvalExemptEmailDomains(): string[] {
    return (process.env.APPROVAL_EXEMPT_EMAIL_DOMAINS ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean)
  },
  /** Reports' summed weight at which content is hidden pending review (a member's report weighs 1, a long-standing member's 1.5, staff 2). */
  get reportHideThreshold() {
    return Number(process.env.REPORT_HIDE_THRESHOLD ?? 3)
  },
  /**
   * Days after a ticket is closed during which the requester's reply (by mail or on the page)
   * reopens it, as the ticket guide promises; later replies open a linked follow-up ticket.
   */
  get ticketReopenDays() {
    const setting = process.env.TICKET_REOPEN_DAYS?.trim()
    if (!setting) return 30
    const days = Number(setting)
    if (!Number.isFinite(days) || days < 0) throw new Error(`TICKET_REOPEN_DAYS: "${setting}" is not a number of days (0 or more).`)
    return days
  },
  /**
   * The support policy's escalation address: mail to it (through the same inbound webhook)
   * escalates the ticket it refers to, or opens one at tier 2 with high priority. Unset: none.
   */
  get escalationAddress() {
    return process.env.ESCALATION_ADDRESS?.trim().toLowerCase() || null
  },
  /** Shared secret the mail provider's webhook sends to POST /api/inbound-email; unset turns the endpoint off. */
  get inboundEmailSecret() {
    return process.env.INBOUND_EMAIL_SECRET ?? null
  },
  /**
   * Replaces the code's default rate limits (app/rate-limits/rules.server.ts), as
   * `name=maxHits/windowSeconds,…`, e.g. `signup-ip=1000/3600` for a test server whose every sign-up
   * comes from 127.0.0.1. Admins' changes at /admin/rate-limits still win.
   */
  get rateLimits(): Record<string, { maxHits: number; windowSeconds: number }> {
    const setting = process.env.RATE_LIMITS?.trim()
    if (!setting) return {}
    return Object.fromEntries(
      setting.split(',').map((entry) => {
        const match = entry.trim().match(/^([a-z0-9-]+)=(\d+)\/(\d+)$/)
        if (!match) throw new Error(`RATE_LIMITS: "${entry.trim()}" is not name=maxHits/windowSeconds (e.g. signup-ip=5/3600).`)
        return [match[1], { maxHits: Number(match[2]), windowSeconds: Number(match[3]) }]
      }),
    )
  },
  /** Whether to take the client address from X-Forwarded-For (only behind a proxy you control). */
  get trustProxy() {
    return process.env.TRUST_PROXY === '1'
  },
  /** Where mail goes (`smtp://user:pass@host:587`); unset, mail is kept in the outbox table for admins to read. */
  get smtpUrl() {
    return process.env.SMTP_URL || null
  },
  /**
   * DKIM signing of outgoing mail: DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (PEM; `\n` may
   * stand for newlines) all set, or none. Null: mail goes out unsigned.
   */
  get dkim() {
    const domain = process.env.DKIM_DOMAIN?.trim()
    const selector = process.env.DKIM_SELECTOR?.trim()
    const key = process.env.DKIM_PRIVATE_KEY?.trim()
    if (!domain && !selector && !key) return null
    if (!domain || !selector || !key) throw new Error('DKIM: set DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY together, or none of them.')
    return { domain, selector, privateKey: key.replace(/\\n/g, '\n') }
  },
  /** The From of every mail Parley sends; its domain also names our Message-IDs. */
  get mailFrom() {
    return process.env.MAIL_FROM || 'Parley Support <support@localhost>'
  },
  /** Where uploaded avatars are kept (created on first upload); every server process must see the same directory. */
  get avatarDir() {
    return path.resolve(process.env.AVATAR_DIR || 'data/avatars')
  },
  /** Where uploaded images and files are kept on local disk (created on first upload), when S3_URL is unset. */
  get uploadDir() {
    return path.resolve(process.env.UPLOAD_DIR || 'data/uploads')
  },
  /**
   * S3-compatible object storage for uploads instead of UPLOAD_DIR, for several machines:
   * `https://ACCESS_KEY:SECRET@host[:port]/bucket?region=eu-west-1` (app/platform/storage/s3.server.ts).
   */
  get s3Url() {
    return process.env.S3_URL?.trim() || null
  },
  /** The largest image a member may upload, in MB (UPLOAD_MAX_IMAGE_MB, default 10). */
  get uploadMaxImageBytes() {
    return megabytes('UPLOAD_MAX_IMAGE_MB', 10)
  },
  /** The largest other file (PDF, text, zip) a member may upload, in MB (UPLOAD_MAX_FILE_MB, default 20). */
  get uploadMaxFileBytes() {
    return megabytes('UPLOAD_MAX_FILE_MB', 20)
  },
  /** Uploads attached to nothing (no post, ticket, draft or profile) this many hours after they were sent are removed (UPLOAD_ORPHAN_HOURS, default 24). */
  get uploadOrphanHours() {
    const hours = Number(process.env.UPLOAD_ORPHAN_HOURS ?? 24)
    return Number.isFinite(hours) && hours > 0 ? hours : 24
  },
  /** Whether `npm start` runs the job workers itself (in every web worker); JOBS_IN_PROCESS=0 leaves them to `npm run worker`. */
  get jobsInProcess() {
    return process.env.JOBS_IN_PROCESS !== '0'
  },
  /**
   * How many web workers `npm start` forks (docs/decisions/018-supervision-metrics-logs.md). PGlite:
   * always one process and no fork, since two processes must never open one data directory.
   * PostgreSQL: WEB_CONCURRENCY, else one per core in production and one in development.
   */
  get webConcurrency() {
    if (!process.env.DATABASE_URL) return 1
    const setting = process.env.WEB_CONCURRENCY?.trim()
    if (setting) {
      if (!/^[1-9]\d*$/.test(setting)) throw new Error(`WEB_CONCURRENCY: "${setting}" is not a whole number of workers (1 or more).`)
      return Number(setting)
    }
    return this.isProduction ? availableParallelism() : 1
  },
  /** pino's level for the JSON logs on stdout: fatal, error, warn, info (default), debug, trace or silent. */
  get logLevel() {
    const setting = process.env.LOG_LEVEL?.trim().toLowerCase() || 'info'
    if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(setting)) {
      throw new Error(`LOG_LEVEL: "${setting}" is not one of fatal, error, warn, info, debug, trace, silent.`)
    }
    return setting
  },
  /** Bearer token that GET /metrics asks for; unset, /metrics answers 404. */
  get metricsToken() {
    return process.env.METRICS_TOKEN || null
  },
}
