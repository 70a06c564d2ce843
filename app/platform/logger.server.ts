/**
 * Operational logs: one JSON object per line on stdout (pino), for a log shipper to parse. Every
 * request gets an id (the caller's X-Request-Id when it looks like one, else a fresh UUID) that is
 * echoed in the response, handed to loaders as `context.requestId`, and carried by the request's
 * log line and by any error logged while serving it. Human-facing text (the demo accounts) stays
 * plain console output. See docs/decisions/018-supervision-metrics-logs.md.
 */
import { randomUUID } from 'node:crypto'
import pino from 'pino'
import { env } from '~/platform/env.server'

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The id of this request in the logs and in the X-Request-Id response header. */
    requestId?: string
  }
}

// One logger per process, although the server script and the Remix build each load this module.
const loggerKey = Symbol.for('parley.logger')
type GlobalWithLogger = typeof globalThis & { [loggerKey]?: pino.Logger }

function createLogger() {
  return pino({
    level: env.logLevel,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // pino's own serializer keeps an error's type, message and stack, which JSON.stringify drops.
    serializers: { err: pino.stdSerializers.err },
  })
}

export const logger: pino.Logger = ((globalThis as GlobalWithLogger)[loggerKey] ??= createLogger())

/** Ids a proxy or load balancer may send: letters, digits and . _ : - up to 128 characters. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** The caller's X-Request-Id when it is sane (so a proxy's id ties its logs to ours), else a new one. */
export function requestIdFrom(header: string | undefined) {
  return header && SANE_REQUEST_ID.test(header) ? header : randomUUID()
}
