import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives, parsed: tests send mail the way
 * production does and read it the way a mail client would. Port 0 lets the OS choose a free port.
 */
export async function startSmtpReceiver({ port = 0, onMessage }: { port?: number; onMessage?: (mail: ParsedMail) => void } = {}) {
  const messages: ParsedMail[] = []
  /** Each message as it came over the wire, by its Message-ID: what a DKIM check needs. */
  const sources = new Map<string, string>()
  const listeners = new Set<() => void>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      new Promise<Buffer>((resolve, reject) => {
        stream.on('end', () => resolve(Buffer.concat(chunks)))
        stream.on('error', reject)
      })
        .then(async (source) => [source, await simpleParser(source)] as const)
        .then(
          ([source, mail]) => {
            if (mail.messageId) sources.set(mail.messageId, source.toString('utf8'))
            messages.push(mail)
            onMessage?.(mail)
            for (const listener of listeners) listener()
            callback()
          },
          (error: Error) => callback(error),
        )
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.server.address() as AddressInfo

  return {
    url: `smtp://127.0.0.1:${address.port}`,
    port: address.port,
    messages,
    /** The raw source of a received message (by its Message-ID, with angle brackets). */
    sourceOf: (messageId: string) => sources.get(messageId) ?? null,
    /** The first message (already received or still to come) that matches. */
    waitForMessage(predicate: (mail: ParsedMail) => boolean = () => true, timeoutMs = 5000) {
      return new Promise<ParsedMail>((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate)
          if (!found) return false
          finish()
          resolve(found)
          return true
        }
        const timer = setTimeout(() => {
          finish()
          reject(new Error(`No matching mail within ${timeoutMs} ms (received ${messages.length}).`))
        }, timeoutMs)
        const finish = () => {
          clearTimeout(timer)
          listeners.delete(check)
        }
        if (!check()) listeners.add(check)
      })
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type SmtpReceiver = Awaited<ReturnType<typeof startSmtpReceiver>>

