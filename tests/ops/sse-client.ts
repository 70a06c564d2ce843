import http from 'node:http'

export type SseFrame = { id: string | null; data: unknown }

/**
 * An EventSource as the browser runs one, over a real HTTP connection: the frames received so far,
 * the comment lines (heartbeats), and a promise that settles when the server ends the stream.
 */
export function openEventStream(port: number, pathname: string, headers: Record<string, string> = {}) {
  const frames: SseFrame[] = []
  const comments: string[] = []
  let buffered = ''
  let status = 0
  let body = ''
  let request!: http.ClientRequest
  const wakers = new Set<() => void>()
  const wake = () => wakers.forEach((w) => w())
  const ended = new Promise<void>((resolveEnded) => {
    request = http.get({ host: '127.0.0.1', port, path: pathname, headers: { Accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      status = res.statusCode!
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        if (status !== 200) return void (body += chunk)
        buffered += chunk
        const blocks = buffered.split('\n\n')
        buffered = blocks.pop()!
        for (const block of blocks) {
          let id: string | null = null
          const data: string[] = []
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim())
            else if (line.startsWith('id: ')) id = line.slice(4)
            else if (line.startsWith('data: ')) data.push(line.slice(6))
          }
          if (data.length) frames.push({ id, data: JSON.parse(data.join('\n')) })
        }
        wake()
      })
      res.on('end', () => {
        wake()
        resolveEnded()
      })
      res.on('close', () => resolveEnded())
      wake()
    })
    request.on('error', () => resolveEnded())
  })
  /** Waits until `check` is true, or fails after `timeoutMs` saying what arrived. */
  async function until(check: () => boolean, what: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (status ${status}, frames ${JSON.stringify(frames)}, comments ${JSON.stringify(comments)}, body ${body})`)
      await new Promise<void>((resolve) => {
        const done = () => {
          wakers.delete(done)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(done, 100)
        wakers.add(done)
      })
    }
  }
  return {
    frames,
    comments,
    ended,
    status: () => status,
    body: () => body,
    until,
    /** Resolves once the server has answered with its headers and the "connected" comment (or refused). */
    ready: () => until(() => (status !== 0 && status !== 200) || comments.includes('connected'), 'the stream to open'),
    close: () => request.destroy(),
  }
}
