import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'

export type LogLine = Record<string, unknown> & { msg?: string; pid?: number }

/**
 * A real Parley process (`tsx app/server.ts` or `app/worker.ts`) with its JSON log lines collected
 * from stdout. The build is reused when up to date (app/server.ts's ensureBuild), so only the first
 * start after a source change pays for it.
 */
export function startProcess(script: 'app/server.ts' | 'app/worker.ts', env: Record<string, string | undefined>) {
  // Node itself with tsx's loader, not the tsx command: the child is then the server process, and
  // a signal sent to it reaches the server rather than a wrapper that may die and leave it running.
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, NODE_ENV: 'production', SEED_DEMO: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: LogLine[] = []
  const waiters = new Set<() => void>()
  let buffered = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const complete = buffered.split('\n')
    buffered = complete.pop()!
    for (const line of complete) {
      if (!line.startsWith('{')) continue
      try {
        lines.push(JSON.parse(line) as LogLine)
      } catch {
        continue
      }
    }
    for (const wake of waiters) wake()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))

  /** Resolves with the first log line (from `from` on) that `match` accepts; fails if the process exits first. */
  async function waitForLine(match: (line: LogLine) => boolean, { from = 0, timeoutMs = 60_000 } = {}): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = lines.slice(from).find(match)
      if (found) return found
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${script} exited before the expected log line.\n${stderr}`)
      if (Date.now() > deadline) throw new Error(`No such log line within ${timeoutMs} ms. Last lines:\n${lines.slice(-5).map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`)
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(wake, 200)
        waiters.add(wake)
      })
    }
  }

  return { child: child as ChildProcess, lines, exited, waitForLine, stderr: () => stderr }
}

export type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string }

/** One request on a connection of its own (no keep-alive), so the cluster may hand it to any worker. */
export async function request(port: number, pathname: string, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<Answer> {
  const answer = await requestBytes(port, pathname, headers, timeoutMs)
  return { ...answer, body: answer.body.toString('utf8') }
}

/** As `request`, with the body as the bytes that came (a gzipped body stays gzipped). */
export function requestBytes(port: number, pathname: string, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<Omit<Answer, 'body'> & { body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    // A hung request fails the test that made it, with a reason, instead of timing the test out.
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${pathname} got no answer within ${timeoutMs} ms`)))
  })
}

/** The log line of the request with this id. */
export const requestLine = (id: string) => (line: LogLine) => line.msg === 'request' && line.reqId === id
