import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startSmtpReceiver } from '../setup/smtp-receiver'

/** Where the end-to-end SMTP receiver writes each mail it gets, one JSON file per mail. */
export const E2E_SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 3125)
// Named by port, so two runs on other ports (E2E_PORT, E2E_SMTP_PORT) keep out of each other's way.
export const E2E_MAIL_DIR = join('data', `e2e-mail-${E2E_SMTP_PORT}`)

/**
 * Playwright's global setup: a real SMTP server the end-to-end Parley server sends to. Specs run
 * in other processes, so each received mail is written to a file they can read.
 */
export default async function startMailReceiver() {
  rmSync(E2E_MAIL_DIR, { recursive: true, force: true })
  mkdirSync(E2E_MAIL_DIR, { recursive: true })
  let count = 0
  const receiver = await startSmtpReceiver({
    port: E2E_SMTP_PORT,
    onMessage(mail) {
      count += 1
      const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ''))
      writeFileSync(join(E2E_MAIL_DIR, `${String(count).padStart(5, '0')}.json`), JSON.stringify({ to, subject: mail.subject ?? '', text: mail.text ?? '', messageId: mail.messageId ?? '' }))
    },
  })
  return () => receiver.close()
}
