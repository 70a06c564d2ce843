import { sql } from 'drizzle-orm'
import { afterEach, beforeEach } from 'vitest'
import { startSmtpReceiver, type SmtpReceiver } from './smtp-receiver'

/**
 * For a test file that sends mail: every test starts with no SMTP_URL and no queued jobs (each
 * test sees only the mail it caused), and ends with the environment restored and its receivers
 * closed. `receiver()` starts one; with `{ point: true }` SMTP_URL points at it.
 */
export function useSmtpReceivers({ restoreEnv = [] as string[] } = {}) {
  const keys = ['SMTP_URL', ...restoreEnv]
  const saved = Object.fromEntries(keys.map((key) => [key, process.env[key]]))
  let receivers: SmtpReceiver[] = []
  beforeEach(async () => {
    delete process.env.SMTP_URL
    const { db } = await import('#db/client.server')
    await db.execute(sql`delete from pgboss.job`)
  })
  afterEach(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
    await Promise.all(receivers.map((r) => r.close()))
    receivers = []
  })
  return async function receiver(options: { port?: number; point?: boolean } = {}) {
    const started = await startSmtpReceiver({ port: options.port })
    receivers.push(started)
    if (options.point) process.env.SMTP_URL = started.url
    return started
  }
}
