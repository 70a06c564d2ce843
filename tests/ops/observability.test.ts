import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { gunzipSync } from 'node:zlib'
import { request, requestBytes, requestLine, startProcess } from './server-process'

/**
 * The real server on PGlite (one process, no cluster): the health endpoints, the request id and
 * the request log, /metrics while no token is set, and a clean exit on SIGTERM. The server loads
 * the test setup's migrated database image (PGLITE_DIR=memory://, PGLITE_LOAD_FROM).
 */
const port = 3214
let server: ReturnType<typeof startProcess>

beforeAll(async () => {
  server = startProcess('app/server.ts', { PORT: String(port), DATABASE_URL: '', METRICS_TOKEN: '', WEB_CONCURRENCY: '4' })
  await server.waitForLine((line) => String(line.msg).startsWith('Parley is running'), { timeoutMs: 170_000 })
}, 180_000)

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM')
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000)
    await server.exited
    clearTimeout(timer)
  }
})

describe('one process on PGlite', () => {
  test('serves from exactly one process, whatever WEB_CONCURRENCY says', async () => {
    const running = await server.waitForLine((line) => String(line.msg).startsWith('Parley is running'))
    expect(running.webWorkers).toBe(1)
    expect(server.lines.some((line) => line.msg === 'web worker is serving')).toBe(false)
  })

  test('/healthz answers ok, and /readyz says ready, with no cookie and no caching', async () => {
    const health = await request(port, '/healthz')
    expect(health.status).toBe(200)
    expect(health.body).toBe('ok')
    const ready = await request(port, '/readyz')
    expect(ready.status).toBe(200)
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready' })
    for (const answer of [health, ready]) {
      expect(answer.headers['set-cookie']).toBeUndefined()
      expect(answer.headers['cache-control']).toBe('no-store')
    }
  })

  test('a sane X-Request-Id is echoed and logged once, on one JSON line with the route and without the query string', async () => {
    const id = `test-${Date.now()}`
    const from = server.lines.length
    const page = await request(port, '/questions?q=secret-word', { 'X-Request-Id': id })
    expect(page.status).toBe(200)
    expect(page.headers['x-request-id']).toBe(id)
    const line = await server.waitForLine(requestLine(id), { from })
    expect(line).toMatchObject({ level: 'info', method: 'GET', path: '/questions', route: 'routes/questions._index', status: 200, reqId: id })
    expect(typeof line.ms).toBe('number')
    expect(JSON.stringify(line)).not.toContain('secret-word')
    expect(server.lines.filter(requestLine(id))).toHaveLength(1)
  })

  test('an id that is not sane is replaced by a fresh one, and a reset link’s token stays out of the log', async () => {
    const answer = await request(port, '/reset-password/tok3n-value', { 'X-Request-Id': 'x'.repeat(300) })
    const id = String(answer.headers['x-request-id'])
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    const line = await server.waitForLine(requestLine(id))
    expect(line.route).toBe('routes/reset-password.$token')
    expect(line.path).toBe('/reset-password/[redacted]')
    expect(JSON.stringify(server.lines)).not.toContain('tok3n-value')
  })

  test('pages and data requests come whole: gzipped when the client takes gzip, with their length, and plain otherwise', async () => {
    const page = await requestBytes(port, '/questions', { 'Accept-Encoding': 'gzip, deflate, br' })
    expect(page.status).toBe(200)
    expect(page.headers['content-encoding']).toBe('gzip')
    expect(page.headers.vary).toMatch(/Accept-Encoding/i)
    expect(Number(page.headers['content-length'])).toBe(page.body.length)
    const html = gunzipSync(page.body).toString('utf8')
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(html.trimEnd().endsWith('</html>')).toBe(true)

    const plain = await requestBytes(port, '/questions')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length)
    expect(plain.body.toString('utf8').trimEnd().endsWith('</html>')).toBe(true)
    // A client that refuses gzip outright gets the page as it is.
    const refused = await requestBytes(port, '/questions', { 'Accept-Encoding': 'gzip;q=0, identity' })
    expect(refused.headers['content-encoding']).toBeUndefined()
    expect(refused.body.toString('utf8')).toContain('</html>')

    // Under a kilobyte, gzip's own header and tables would cost more than they save.
    const data = await requestBytes(port, '/?_data=root', { 'Accept-Encoding': 'gzip' })
    expect(data.status).toBe(200)
    expect(data.body.length).toBeLessThan(1024)
    expect(data.headers['content-encoding']).toBeUndefined()
    expect(Number(data.headers['content-length'])).toBe(data.body.length)
    expect(JSON.parse(data.body.toString('utf8'))).toHaveProperty('user', null)
  })

  test('the build’s scripts are gzipped by the compression middleware', async () => {
    const page = await request(port, '/questions')
    const script = page.body.match(/src="(\/build\/[^"]+\.js)"/)?.[1] ?? page.body.match(/href="(\/build\/[^"]+\.js)"/)?.[1]
    expect(script).toBeDefined()
    const plain = await requestBytes(port, script!)
    expect(plain.status).toBe(200)
    expect(plain.headers['content-encoding']).toBeUndefined()
    const zipped = await requestBytes(port, script!, { 'Accept-Encoding': 'gzip' })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.headers['cache-control']).toMatch(/immutable/)
    expect(zipped.body.length).toBeLessThan(plain.body.length)
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true)
  })

  test('/metrics does not exist while METRICS_TOKEN is unset', async () => {
    const answer = await request(port, '/metrics', { Authorization: 'Bearer anything' })
    expect(answer.status).toBe(404)
    expect(answer.body).not.toContain('http_request_duration_seconds')
  })

  test('SIGTERM: the process stops and exits 0', async () => {
    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(server.lines.some((line) => line.msg === 'stopped')).toBe(true)
  })
})

test('a RATE_LIMITS setting out of bounds stops npm start at once, naming the rule', async () => {
  const refused = startProcess('app/server.ts', { PORT: String(port + 1), DATABASE_URL: '', RATE_LIMITS: 'login-ip-minute=1000000/1' })
  const { code } = await refused.exited
  expect(code).not.toBe(0)
  expect(refused.stderr()).toContain('RATE_LIMITS gives "login-ip-minute" 1000000/1')
})
