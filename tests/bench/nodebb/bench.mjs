// Benchmarks NodeBB's topic page HTML (the seeded 20-post topic) on 127.0.0.1:4567.
//   node bench.mjs [--duration 15] [--warmup 45] [--connections 16] [--no-cookieless]
// The warm-up is long because NodeBB warms slowly: on 6 December, runs of 18 s one after another
// from a fresh start gave the member page 29.9, 49.1, 55.1, 57.7, 54.6, 58.4 req/s. A 3 s warm-up
// measured the first of those, a cold NodeBB, and flattered every ratio read against it.
// Rows:
//   visitor            a guest browser: keeps the guest session cookie NodeBB hands out
//   visitor-no-cookie  a first-time guest / crawler: no cookie, so NodeBB makes a new session each time
//   member             bench_member signed in (csrf token from /api/config, then POST /login)
import autocannon from 'autocannon'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { BASE, Session, STATE_FILE } from './lib.mjs'

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const DURATION = arg('duration', 15)
const WARMUP = arg('warmup', 45)
const CONNECTIONS = arg('connections', 16)
const COOKIELESS = !process.argv.includes('--no-cookieless')

const state = JSON.parse(readFileSync(STATE_FILE, 'utf8'))
const PATH = state.topicPath
const browserHeaders = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip',
  'accept-language': 'en-US,en;q=0.9',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) bench.mjs',
}

async function fetchPage(cookie) {
  const headers = { ...browserHeaders }
  if (cookie) headers.cookie = cookie
  const res = await fetch(BASE + PATH, { headers, redirect: 'manual' })
  const html = await res.text() // fetch decodes gzip for us
  return { status: res.status, html }
}

function checkPage(label, page, { signedIn }) {
  const problems = []
  if (page.status !== 200) problems.push(`status ${page.status}`)
  const m = page.html.match(/<li component="post" /g) || []
  if (m.length !== state.posts) problems.push(`found ${m.length} posts, expected ${state.posts}`)
  for (const u of state.posters) if (!page.html.includes(u)) problems.push(`poster ${u} missing`)
  const loggedIn = /"loggedIn":\s*true/.test(page.html)
  const hasMember = page.html.includes(`"username":"${state.member.username}"`)
  if (signedIn && !(loggedIn && hasMember)) problems.push(`not signed in as ${state.member.username} (loggedIn=${loggedIn}, username in config=${hasMember})`)
  if (!signedIn && (loggedIn || hasMember)) problems.push('visitor page looks signed in')
  if (problems.length) throw new Error(`${label}: ${problems.join('; ')}`)
  return { posts: m.length, loggedIn }
}

function run(cookie, duration) {
  const headers = { ...browserHeaders }
  if (cookie) headers.cookie = cookie
  return new Promise((resolve, reject) => {
    autocannon({ url: BASE + PATH, connections: CONNECTIONS, duration, headers }, (err, r) => (err ? reject(err) : resolve(r)))
  })
}

// ---- sessions --------------------------------------------------------------------------
const guest = new Session()
await guest.fetch(PATH, { headers: browserHeaders }) // first visit hands out express.sid
const guestCookie = guest.cookieHeader()
if (!guestCookie) throw new Error('no guest cookie from first visit')

const member = new Session()
await member.login(state.member.username, state.member.password)
const memberCookie = member.cookieHeader()

const scenarios = [['visitor', guestCookie, false]]
if (COOKIELESS) scenarios.push(['visitor-no-cookie', '', false])
scenarios.push(['member', memberCookie, true])

// ---- checks + sizes ------------------------------------------------------------------
const rows = []
for (const [label, cookie, signedIn] of scenarios) {
  const page = await fetchPage(cookie)
  const chk = checkPage(label, page, { signedIn })
  const raw = Buffer.byteLength(page.html)
  rows.push({ label, cookie, signedIn, raw, gz: gzipSync(page.html).length, ...chk })
}
// bytes NodeBB really puts on the wire for each page (gzip only if NodeBB's useCompression is on)
const { get } = await import('node:http')
for (const row of rows) {
  row.wire = await new Promise((resolve, reject) => {
    get(BASE + PATH, { headers: { ...browserHeaders, ...(row.cookie ? { cookie: row.cookie } : {}) } }, (res) => {
      let n = 0
      res.on('data', (c) => (n += c.length))
      res.on('end', () => resolve({ bytes: n, enc: res.headers['content-encoding'] || 'identity' }))
    }).on('error', reject)
  })
}

// ---- load ------------------------------------------------------------------------------
console.log(`NodeBB ${BASE}${PATH}  connections=${CONNECTIONS} warmup=${WARMUP}s duration=${DURATION}s`)
for (const row of rows) {
  await run(row.cookie, WARMUP)
  const r = await run(row.cookie, DURATION)
  const bad = r.non2xx + r.errors + r.timeouts
  Object.assign(row, {
    rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, bad,
  })
}
// re-check the member is still signed in after the run
checkPage('member (after run)', await fetchPage(memberCookie), { signedIn: true })

const pad = (s, n) => String(s).padStart(n)
console.log(`\n${'scenario'.padEnd(18)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('requests', 10)}${pad('non2xx/err', 11)}${pad('html raw', 10)}${pad('html gz', 9)}${pad('on wire', 18)}  checks`)
for (const r of rows) {
  console.log(`${r.label.padEnd(18)}${pad(r.rps.toFixed(1), 9)}${pad(r.p50, 9)}${pad(r.p99, 9)}${pad(r.total, 10)}${pad(r.bad, 11)}${pad(r.raw, 10)}${pad(r.gz, 9)}${pad(`${r.wire.bytes} ${r.wire.enc}`, 18)}  ${r.posts} posts, ${r.signedIn ? `signed in as ${state.member.username}` : 'guest'}`)
}
console.log('\nhtml raw = decoded HTML bytes; html gz = gzip -6 of it; on wire = body bytes NodeBB sent for Accept-Encoding: gzip')
console.log('(NodeBB compresses only with ACP setting useCompression=1; default 0 expects a reverse proxy: tests/bench/nodebb/compression.mjs on|off)')
