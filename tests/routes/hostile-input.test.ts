/**
 * Hostile and malformed input against every route module (issue 11): whatever is sent, the answer
 * is never a 5xx, and a refused request writes nothing. Route modules, their form fields and their
 * intents are read from app/, so a new route or field is covered without touching this file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { sql } from 'drizzle-orm'
import express from 'express'
import { beforeAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { MAX_FORM_BYTES, refuseHostileUrls } from '~/platform/request-input.server'
import { MAX_INBOUND_EMAIL_BYTES } from '~/tickets/forms.server'
import { createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs, TEST_PASSWORD } from '../factories'

type RouteModule = { loader?: (args: LoaderFunctionArgs) => Promise<unknown>; action?: (args: ActionFunctionArgs) => Promise<unknown> }

const routesDir = path.resolve('app/routes')
const routeFiles = readdirSync(routesDir).filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? sourcesUnder(full) : /\.tsx?$/.test(name) && !/\.test\./.test(name) ? [full] : []
  })
}
const appSources = sourcesUnder(path.resolve('app')).map((file) => readFileSync(file, 'utf8'))
const matches = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1])

/** Every form field name the app renders, so each action is sent each field it might read. */
const fieldNames = [...new Set(appSources.flatMap((source) => matches(source, /name="([A-Za-z][\w.-]*)"/g)))]

/** A route's intents: those its own source and the app modules it imports compare against. */
function intentsOf(file: string) {
  const source = readFileSync(path.join(routesDir, file), 'utf8')
  // Stylesheets (`~/…/x.css`) are imported too; only modules can hold intents.
  const imported = matches(source, /from '~\/([\w/.-]+)'/g).filter((specifier) => !/\.css$/.test(specifier)).flatMap((specifier) =>
    ['.ts', '.tsx', '/index.ts'].map((ext) => path.resolve('app', specifier + ext)).filter((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile()),
  )
  const texts = [source, ...imported.map((file) => readFileSync(file, 'utf8'))]
  const found = texts.flatMap((text) => [...matches(text, /intent\s*[!=]==\s*'([\w-]+)'/g), ...matches(text, /case '([\w-]+)'/g), ...matches(text, /name="intent" value="([\w-]+)"/g)])
  return [...new Set([...found, 'no-such-intent'])]
}

/** The URL pattern's parameters, from Remix's flat file names: `questions.$id.($slug)` → id, slug. */
const paramNamesOf = (file: string) => matches(file.replace(/\.tsx?$/, ''), /\(?\$(\w+)\)?/g)

const HOSTILE_IDS = ['99999999999999999999', '-1', '1e5', '0x10', '0', '1.5', 'abc', '', '../../etc/passwd', '..%2F..%2Fetc%2Fpasswd']
const HOSTILE_TEXT = {
  nul: 'a\u0000b',
  control: 'a\u0001\u0007\u001b[31m\u007f\u0085b',
  bidi: 'safe\u202Etxt.exe\u202C \u2066x\u2069',
  'lone surrogate': 'a\uD800b',
  'path traversal': '../../../etc/passwd',
  'huge number': '99999999999999999999',
  'negative number': '-1',
  exponent: '1e5',
  hex: '0x10',
  'wrong type (object-ish)': '[object Object]',
}

let admin: { id: number }
let questionId: number
let answerId: number
/** Each parameter's hostile values, plus one that exists so an action gets past its first lookup. */
let paramValues: Record<string, string[]>

beforeAll(async () => {
  admin = await createTestUser({ role: 'admin' })
  const author = await createTestUser()
  const question = await createTestQuestion({ authorId: author.id })
  questionId = question.id
  answerId = (await createTestAnswer({ questionId, authorId: author.id })).id
  paramValues = {
    id: [String(questionId), String(answerId), ...HOSTILE_IDS],
    number: ['1', ...HOSTILE_IDS],
    slug: ['x', '../..', ''],
    username: ['nobody-here', '../admin', ''],
    categorySlug: ['technical', '../..', ''],
    tag: ['x', '../..', ''],
    token: ['x', '../..', HOSTILE_IDS[0]],
    file: ['../../package.json', '..%2F..%2Fpackage.json', '/etc/passwd', 'x.png', '1.png/../../x', ''],
  }
})

const rowsOf = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[]

/**
 * A fingerprint of every application table's rows. Left out: sessions (each request here makes its
 * own) and rate-limit counters (counting a refused attempt is the point of them).
 */
let fingerprintQuery: string | null = null
async function fingerprint() {
  if (!fingerprintQuery) {
    const tables = rowsOf(
      await db.execute(sql`
        select quote_ident(table_name) as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema = 'public' and table_name not in ('sessions', '__drizzle_migrations') and table_name not like 'rate_limit%'
        order by 1`),
    ).map((row) => String(row.name))
    fingerprintQuery = `select ${tables.map((name) => `(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from ${name} t) as ${name}`).join(', ')}`
  }
  return rowsOf(await db.execute(sql.raw(fingerprintQuery)))[0]
}

/** Runs the request; a thrown error that is not a Response is what a visitor would see as a 500. */
async function statusOf(run: () => Promise<unknown>) {
  try {
    return (await responseOf(run)).status
  } catch (error) {
    return `threw ${(error as Error)?.stack ?? String(error)}`.slice(0, 600)
  }
}

async function post(module: RouteModule, params: Record<string, string>, body: BodyInit, contentType: string | null) {
  const { context } = await routeArgs({ path: '/', userId: admin.id })
  const cookie = (await routeArgs({ path: '/', userId: admin.id })).request.headers.get('Cookie')!
  const headers = new Headers({ Origin: 'http://localhost', Cookie: cookie })
  if (contentType) headers.set('Content-Type', contentType)
  const request = new Request('http://localhost/hostile', { method: 'POST', headers, body, duplex: 'half' } as RequestInit)
  const auth = await routeArgs({ path: '/', cookie })
  return statusOf(() => module.action!({ request, params, context: { ...context, ...auth.context } }))
}

const urlencoded = (fields: [string, string][]) => new URLSearchParams(fields).toString()

/** The bodies every action is sent, each named for the report. */
function hostileBodies(intent: string): [string, () => BodyInit, string | null][] {
  const bodies: [string, () => BodyInit, string | null][] = Object.entries(HOSTILE_TEXT).map(([kind, value]) => [
    `${kind} in every field`,
    () => urlencoded([['intent', intent], ...fieldNames.filter((name) => name !== 'intent').map((name) => [name, value] as [string, string])]),
    'application/x-www-form-urlencoded',
  ])
  bodies.push(
    ['NUL in the field names', () => urlencoded([['intent', intent], ...fieldNames.map((name) => [`${name}\u0000`, 'x'] as [string, string])]), 'application/x-www-form-urlencoded'],
    ['every field missing', () => urlencoded([['intent', intent]]), 'application/x-www-form-urlencoded'],
    ['every field repeated', () => urlencoded([['intent', intent], ['intent', 'no-such-intent'], ...fieldNames.flatMap((name) => [[name, '1'], [name, 'two']] as [string, string][])]), 'application/x-www-form-urlencoded'],
    ['invalid UTF-8', () => Buffer.concat([Buffer.from(`intent=${intent}&`), ...fieldNames.map((name) => Buffer.concat([Buffer.from(`${name}=`), Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]), Buffer.from('%FF%C0%80&')]))]), 'application/x-www-form-urlencoded'],
    ['malformed percent-encoding', () => `intent=${intent}&${fieldNames.map((name) => `${name}=%E0%A4%A&%zz`).join('&')}`, 'application/x-www-form-urlencoded'],
    ['a field over the size limit', () => urlencoded([['intent', intent], ['body', 'x'.repeat(MAX_FORM_BYTES)], ['title', 'x']]), 'application/x-www-form-urlencoded'],
    ['malformed multipart', () => '--xyz\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsave\r\n--xy', 'multipart/form-data; boundary=xyz'],
    ['multipart without a boundary', () => 'intent=save', 'multipart/form-data'],
    ['files where text is expected', () => {
      const form = new FormData()
      form.append('intent', intent)
      for (const name of fieldNames) form.append(name, new Blob(['a\u0000b']), '../../x.png')
      return form
    }, null],
    ['JSON instead of a form', () => JSON.stringify({ intent, title: ['x'], body: { $gt: '' } }), 'application/json'],
    ['no content type', () => 'intent=x&title=y', ''],
  )
  return bodies
}

const modules = Object.fromEntries(await Promise.all(routeFiles.map(async (file) => [file, (await import(path.join(routesDir, file))) as RouteModule] as const)))

describe('every action, every hostile body', () => {
  for (const file of routeFiles.filter((file) => modules[file].action)) {
    test(file, async () => {
      const failures: string[] = []
      // Parameters that exist, so each action gets past its first lookup; hostile ones have their own test.
      const params = Object.fromEntries(paramNamesOf(file).map((name) => [name, (paramValues[name] ?? ['x'])[0]]))
      let before = await fingerprint()
      for (const intent of intentsOf(file)) {
        for (const [kind, body, contentType] of hostileBodies(intent)) {
          const status = await post(modules[file], params, body(), contentType)
          if (typeof status === 'string' || status >= 500) failures.push(`${intent} / ${kind}: ${status}`)
          const after = await fingerprint()
          if (typeof status === 'number' && status >= 400 && status !== 429) {
            const changed = Object.keys(before).filter((table) => before[table] !== after[table])
            if (changed.length) failures.push(`${intent} / ${kind}: refused with ${status} but wrote to ${changed.join(', ')}`)
          }
          before = after
        }
      }
      expect(failures).toEqual([])
    }, 120_000)
  }
})

describe('every loader and action, hostile path parameters', () => {
  for (const file of routeFiles.filter((file) => paramNamesOf(file).length > 0)) {
    test(file, async () => {
      const failures: string[] = []
      const names = paramNamesOf(file)
      for (const name of names) {
        for (const value of [...(paramValues[name] ?? []), ...HOSTILE_IDS]) {
          const params = Object.fromEntries(names.map((other) => [other, other === name ? value : (paramValues[other] ?? ['x'])[0]]))
          const module = modules[file]
          if (module.loader) {
            const status = await statusOf(async () => module.loader!(await routeArgs({ path: '/hostile', userId: admin.id, params })))
            if (typeof status === 'string' || status >= 500) failures.push(`loader ${JSON.stringify(params)}: ${status}`)
          }
          if (module.action) {
            const status = await statusOf(async () => module.action!(await routeArgs({ path: '/hostile', method: 'POST', userId: admin.id, params, form: { intent: 'x' } })))
            if (typeof status === 'string' || status >= 500) failures.push(`action ${JSON.stringify(params)}: ${status}`)
          }
        }
      }
      expect(failures).toEqual([])
    })
  }
})

/**
 * U+0000 and other control characters in a path parameter, sent to the route module itself: the
 * Express middleware refuses `%00` in front of Remix, but a route must not depend on it (a param
 * reaches the loader decoded, and PostgreSQL fails a query on a NUL). 400 or 404, never more.
 */
const CONTROL_PARAMS = ['\u0000', 'a\u0000b', '1\u0000', '\u0000../x.png', 'a\u0001b', 'x\u001b[31m', 'a\u007fb', 'a\nb', 'a\u0085b']

describe('every loader and action, control characters in path parameters', () => {
  for (const file of routeFiles.filter((file) => paramNamesOf(file).length > 0)) {
    test(file, async () => {
      const failures: string[] = []
      const names = paramNamesOf(file)
      const module = modules[file]
      let before = await fingerprint()
      for (const name of names) {
        for (const value of CONTROL_PARAMS) {
          const params = Object.fromEntries(names.map((other) => [other, other === name ? value : (paramValues[other] ?? ['x'])[0]]))
          const runs: [string, () => Promise<unknown>][] = []
          if (module.loader) runs.push(['loader', async () => module.loader!(await routeArgs({ path: '/hostile', userId: admin.id, params }))])
          for (const intent of module.action ? intentsOf(file) : []) {
            runs.push([`action ${intent}`, async () => module.action!(await routeArgs({ path: '/hostile', method: 'POST', userId: admin.id, params, form: { intent, reason: 'x', body: 'A body long enough to pass.', title: 'A title long enough', rating: '5' } }))])
          }
          for (const [what, run] of runs) {
            const status = await statusOf(run)
            if (status !== 400 && status !== 404) failures.push(`${what} ${JSON.stringify(params)}: ${status}`)
            const after = await fingerprint()
            const changed = Object.keys(before).filter((table) => before[table] !== after[table])
            if (changed.length) failures.push(`${what} ${JSON.stringify(params)}: answered ${status} but wrote to ${changed.join(', ')}`)
            before = after
          }
        }
      }
      expect(failures).toEqual([])
    }, 120_000)
  }
})

describe('every loader, hostile query strings', () => {
  const queryNames = (file: string) => [...new Set(['q', 'page', 'before', 'after', 'cursor', 'next', 'redirectTo', ...matches(readFileSync(path.join(routesDir, file), 'utf8'), /\.get\('([\w-]+)'\)/g)])]
  for (const file of routeFiles.filter((file) => modules[file].loader)) {
    test(file, async () => {
      const failures: string[] = []
      const params = Object.fromEntries(paramNamesOf(file).map((name) => [name, (paramValues[name] ?? ['x'])[0]]))
      const values = [...Object.values(HOSTILE_TEXT).filter((value) => !value.includes('\u0000')), ...HOSTILE_IDS, 'x'.repeat(100_000)]
      for (const value of values) {
        for (const user of [admin.id, undefined]) {
          const query = new URLSearchParams(queryNames(file).flatMap((name) => [[name, value], [name, value]] as [string, string][]))
          const status = await statusOf(async () => modules[file].loader!(await routeArgs({ path: `/hostile?${query}`, userId: user, params })))
          if (typeof status === 'string' || status >= 500) failures.push(`${user ? 'admin' : 'visitor'} ?…=${JSON.stringify(value.slice(0, 40))}: ${status}`)
        }
      }
      expect(failures).toEqual([])
    })
  }
})

describe('form bodies at the edge', () => {
  const login = modules['login.tsx']

  test('a login identifier with a NUL is a field error, not a 500', async () => {
    const { request, params, context } = await routeArgs({ path: '/login', method: 'POST', form: { identifier: 'a\u0000b', password: TEST_PASSWORD } })
    const res = await responseOf(() => login.action!({ request, params, context }))
    expect(res.status).toBe(400)
    const { result } = await res.json()
    expect(result.error.identifier).toEqual(['This field contains a character that is not allowed.'])
  })

  test('a form over 1 MB is a 413 that says so', async () => {
    const res = await responseOf(async () => login.action!(await routeArgs({ path: '/login', method: 'POST', form: { identifier: 'x'.repeat(MAX_FORM_BYTES), password: 'x' } })))
    expect(res.status).toBe(413)
    expect((await res.json()).message).toMatch(/too large: at most 1 MB/)
  })

  test('a 20 MB body without a Content-Length is cut off at the limit, not read to the end', async () => {
    let sent = 0
    const chunk = new Uint8Array(64 * 1024).fill(0x61)
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20 * 1024 * 1024) return controller.close()
        sent += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    const { context } = await routeArgs({ path: '/login' })
    const request = new Request('http://localhost/login', { method: 'POST', headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' }, body: stream, duplex: 'half' } as RequestInit)
    const res = await responseOf(() => login.action!({ request, params: {}, context }))
    expect(res.status).toBe(413)
    expect(sent).toBeLessThan(2 * MAX_FORM_BYTES)
  })

  test('a malformed multipart body is a 400', async () => {
    const { context } = await routeArgs({ path: '/login' })
    const request = new Request('http://localhost/login', { method: 'POST', headers: { Origin: 'http://localhost', 'Content-Type': 'multipart/form-data; boundary=b' }, body: '--b\r\nContent-Disposition: form-data; name="identifier"\r\n\r\nx' })
    const res = await responseOf(() => login.action!({ request, params: {}, context }))
    expect(res.status).toBe(400)
  })
})

describe('NUL in the address, refused by the Express middleware before any loader', () => {
  /** The real middleware in front of real loaders, dispatched as Remix would for these two pages. */
  async function serve<T>(run: (base: string) => Promise<T>) {
    const app = express()
    app.use(refuseHostileUrls)
    const reply = async (res: express.Response, run: () => Promise<unknown>) => {
      try {
        res.status((await responseOf(run)).status).end()
      } catch {
        res.status(500).end()
      }
    }
    app.get('/u/:username', async (req, res) => reply(res, async () => modules['u.$username.tsx'].loader!(await routeArgs({ path: req.originalUrl, params: { username: req.params.username } }))))
    app.get('/search', async (req, res) => reply(res, async () => modules['search._index.tsx'].loader!(await routeArgs({ path: req.originalUrl }))))
    const server = app.listen(0)
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  }

  test('/u/%00, /search?q=%00 and an undecodable path are 400 pages; %2500 (a literal "%00") is not refused', async () => {
    await serve(async (base) => {
      for (const address of ['/u/%00', '/u/a%00b', '/search?q=%00', '/search?q=a%00&page=1', '/u/%E0%A4%A', '/u/%C0%80']) {
        const res = await fetch(base + address)
        expect({ address, status: res.status }).toEqual({ address, status: 400 })
        expect(await res.text()).toContain('contains a character that is not allowed')
      }
      expect((await fetch(`${base}/search?q=%2500`)).status).toBe(200)
      expect((await fetch(`${base}/u/nobody-here`)).status).toBe(404)
    })
  })
})

describe('the inbound mail API, hostile JSON', () => {
  test('NUL, wrong types, missing fields and bodies that are not JSON: a 4xx and nothing stored', async () => {
    const saved = process.env.INBOUND_EMAIL_SECRET
    process.env.INBOUND_EMAIL_SECRET = 'hostile-input-secret'
    try {
      const valid = { from: 'Someone <someone@example.test>', subject: 'Help', text: 'It broke.', 'message-id': '<hostile@example.test>' }
      const bodies: [string, string][] = [
        ...Object.keys(valid).flatMap((field) =>
          [
            ['NUL', 'a\u0000b'],
            ['a number', 1e20],
            ['an array', ['x']],
            ['an object', { $gt: '' }],
            ['null', null],
            ['missing', undefined],
          ]
            // Subject and text may be left out: a mail with neither is still a mail.
            .filter(([kind]) => !(kind === 'missing' && (field === 'subject' || field === 'text')))
            .map(([kind, value]) => [`${field}: ${kind}`, JSON.stringify({ ...valid, [field]: value })] as [string, string]),
        ),
        ['not JSON', '{"from": '],
        ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1')],
        ['an array', '[]'],
        ['a string', '"mail"'],
      ]
      const failures: string[] = []
      for (const [kind, body] of bodies) {
        const before = await fingerprint()
        const request = new Request('http://localhost/api/inbound-email', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer hostile-input-secret' }, body })
        const status = await statusOf(() => modules['api.inbound-email.ts'].action!({ request, params: {}, context: { user: null, session: null, clientIp: '198.51.100.4' } }))
        if (typeof status === 'string' || status < 400 || status >= 500) failures.push(`${kind}: ${status}`)
        else {
          const after = await fingerprint()
          const changed = Object.keys(before).filter((table) => before[table] !== after[table])
          if (changed.length) failures.push(`${kind}: refused with ${status} but wrote to ${changed.join(', ')}`)
        }
      }
      expect(failures).toEqual([])
    } finally {
      if (saved === undefined) delete process.env.INBOUND_EMAIL_SECRET
      else process.env.INBOUND_EMAIL_SECRET = saved
    }
  })

  /** A JSON mail streamed in 64 KB chunks until `size` bytes, counting what the action pulled. */
  function streamedMail(size: number, counter: { sent: number }) {
    const head = new TextEncoder().encode(JSON.stringify({ from: 'Someone <big@example.test>', subject: 'Logs attached', text: 'See the attachment.', 'message-id': `<big-${size}-${Math.random()}@example.test>` }).slice(0, -1) + ', "attachments": [{"content": "')
    const tail = new TextEncoder().encode('"}]}')
    const chunk = new Uint8Array(64 * 1024).fill(0x41)
    return new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head)
        counter.sent += head.byteLength
      },
      pull(controller) {
        const left = size - tail.byteLength - counter.sent
        if (left <= 0) {
          controller.enqueue(tail)
          counter.sent += tail.byteLength
          return controller.close()
        }
        const piece = left < chunk.byteLength ? chunk.subarray(0, left) : chunk
        counter.sent += piece.byteLength
        controller.enqueue(piece)
      },
    })
  }

  async function sendMail(body: ReadableStream<Uint8Array>, headers: Record<string, string>) {
    const request = new Request('http://localhost/api/inbound-email', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit)
    return responseOf(() => modules['api.inbound-email.ts'].action!({ request, params: {}, context: { user: null, session: null, clientIp: '198.51.100.4' } }))
  }

  test('a mail over 10 MB is a 413 that says so, refused by its Content-Length unread or cut off at the limit; nothing is stored', async () => {
    const saved = process.env.INBOUND_EMAIL_SECRET
    process.env.INBOUND_EMAIL_SECRET = 'hostile-input-secret'
    try {
      const twenty = 20 * 1024 * 1024
      const before = await fingerprint()
      for (const declared of [String(twenty), null]) {
        const counter = { sent: 0 }
        const res = await sendMail(streamedMail(twenty, counter), { Authorization: 'Bearer hostile-input-secret', ...(declared ? { 'Content-Length': declared } : {}) })
        expect(res.status).toBe(413)
        expect((await res.json()).error).toBe('The mail is too large: at most 10 MB of JSON, attachments included.')
        // With a Content-Length nothing past what the stream had queued is pulled; without one, reading stops at the limit.
        expect(counter.sent).toBeLessThan(declared ? 256 * 1024 : MAX_INBOUND_EMAIL_BYTES + 256 * 1024)
      }
      // A sender without the secret is not read at all, whatever it sends.
      const counter = { sent: 0 }
      expect((await sendMail(streamedMail(twenty, counter), { Authorization: 'Bearer wrong' })).status).toBe(401)
      expect(counter.sent).toBeLessThan(256 * 1024)
      expect(await fingerprint()).toEqual(before)
    } finally {
      if (saved === undefined) delete process.env.INBOUND_EMAIL_SECRET
      else process.env.INBOUND_EMAIL_SECRET = saved
    }
  })

  test('a mail of exactly 10 MB, nearly all attachment, opens a ticket: attachments only need to fit, they are not stored', async () => {
    const saved = process.env.INBOUND_EMAIL_SECRET
    process.env.INBOUND_EMAIL_SECRET = 'hostile-input-secret'
    try {
      const res = await sendMail(streamedMail(MAX_INBOUND_EMAIL_BYTES, { sent: 0 }), { Authorization: 'Bearer hostile-input-secret' })
      expect(res.status).toBe(201)
      const { ticket } = await res.json()
      const stored = rowsOf(await db.execute(sql`select t.subject, m.body_source as body from tickets t join ticket_messages m on m.ticket_id = t.id where t.number = ${ticket}`))
      expect(stored).toEqual([{ subject: 'Logs attached', body: 'See the attachment.' }])
    } finally {
      if (saved === undefined) delete process.env.INBOUND_EMAIL_SECRET
      else process.env.INBOUND_EMAIL_SECRET = saved
    }
  })
})
