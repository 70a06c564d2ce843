/**
 * Tells "the database is away" (restarting, failing over, refusing connections, or the connection
 * broke mid-query) from every other error. Such an error says nothing about the request: the same
 * request succeeds once the database answers again, so the web answers 503 with Retry-After and the
 * job workers wait and try again instead of failing the job.
 */

/** postgres.js's own codes for a connection it lost or could not open (src/errors.js). */
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT'])

/** The operating system's, for a socket that could not connect or broke. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

/**
 * PostgreSQL's SQLSTATEs: class 08 (connection exception), the server shutting down or starting
 * (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now) and too many connections.
 */
const isUnavailableState = (code: string) => /^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300'

/**
 * "database … is not currently accepting connections" (55000 at connection time, so FATAL): the
 * database is closed to connections for maintenance (ALTER DATABASE … ALLOW_CONNECTIONS false, a
 * restore in progress). The same SQLSTATE raised by a statement (severity ERROR) is a real error.
 */
const isRefusedAtConnect = (code: string, severity: unknown) => code === '55000' && severity === 'FATAL'

export function isDatabaseUnavailable(error: unknown): boolean {
  // drizzle wraps the driver's error in its own (DrizzleQueryError, with the driver's as `cause`).
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, severity } = current as { code?: unknown; severity?: unknown }
    if (typeof code !== 'string') continue
    if (DRIVER_CODES.has(code) || SOCKET_CODES.has(code) || isUnavailableState(code) || isRefusedAtConnect(code, severity)) return true
  }
  return false
}
