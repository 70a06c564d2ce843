// Seeds a fresh NodeBB (running on 4567) through its own HTTP APIs:
//   admin logs in like a browser -> creates a master API token (POST /api/v3/admin/tokens)
//   -> write API v3 with that bearer token: 1 category, users, 1 topic + 19 replies by
//   20 different users. New users' posts go to NodeBB's post queue (default settings:
//   postQueue=1), so the admin accepts each queued post (POST /api/v3/posts/queue/:id),
//   exactly what a moderator does. Writes parley-bench-state.json (in the NodeBB directory) for bench.mjs.
// Usage: node seed.mjs [--users N]   (N = total ordinary users incl. bench_member, default 100)
import { writeFileSync } from 'node:fs'
import { BASE, Session, STATE_FILE } from './lib.mjs'

const ADMIN = { username: 'admin', password: process.env.NODEBB_ADMIN_PASSWORD || 'BenchAdmin!2345' }
const MEMBER = { username: 'bench_member', password: 'BenchMember!2345' }
const USER_PASSWORD = 'BenchUser!2345'
const argi = process.argv.indexOf('--users')
const TOTAL_USERS = argi > 0 ? parseInt(process.argv[argi + 1], 10) : 100
const POSTS = 20
if (TOTAL_USERS - 1 < POSTS) throw new Error(`need at least ${POSTS + 1} users`)

// ---- deterministic ~850-char Markdown prose -------------------------------------------
let seed = 42
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
const pick = a => a[Math.floor(rnd() * a.length)]
const subjects = ['The new release', 'Our staging server', 'The migration script', 'This configuration',
  'The cache layer', 'My local setup', 'The nightly backup', 'The reverse proxy', 'The upgrade guide',
  'The plugin system', 'The search index', 'The notification queue']
const verbs = ['seems to handle', 'struggles with', 'quietly ignores', 'works well with', 'needs a restart after',
  'logs a warning about', 'takes a long time on', 'behaves differently with', 'recovers from', 'depends on']
const objects = ['large attachments', 'long threads', 'concurrent sign-ins', 'timezone changes',
  'expired sessions', 'slow disks', 'unicode usernames', 'a cold cache', 'the default settings',
  'nested quotes', 'scheduled jobs', 'many open tabs']
const tails = ['in my experience', 'after the last update', 'on a small instance', 'when traffic spikes',
  'according to the logs', 'for most of our members', 'unless you tune it', 'on the second try',
  'without any extra plugins', 'once the queue drains']
function sentence() {
  let s = `${pick(subjects)} ${pick(verbs)} ${pick(objects)} ${pick(tails)}`
  if (rnd() < 0.25) s = s.replace(/ (\w+)$/, ' *$1*')
  return `${s}.`
}
function prose(target = 850) {
  const paras = [[], [], []]
  let len = 0
  let p = 0
  while (len < target - 60) {
    const s = sentence()
    paras[p].push(s)
    len += s.length + 1
    if (len > (p + 1) * target / 3) p = Math.min(p + 1, 2)
  }
  return paras.filter(x => x.length).map(x => x.join(' ')).join('\n\n')
}

// ---- API helpers ----------------------------------------------------------------------
let TOKEN
async function api(method, path, body, uid = 1) {
  const url = new URL(`/api/v3${path}`, BASE)
  const init = { method, headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/json' } }
  if (method === 'GET') url.searchParams.set('_uid', uid)
  else {
    init.headers['content-type'] = 'application/json'
    init.body = JSON.stringify({ ...body, _uid: uid })
  }
  const res = await fetch(url, init)
  const json = await res.json().catch(() => ({}))
  if (!res.ok) {
    const err = new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(json.status || json)}`)
    err.status = json.status
    throw err
  }
  return json.response
}
const sleep = ms => new Promise(r => setTimeout(r, ms))

async function postOrAccept(fn) {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await fn()
      if (r && r.queued) {
        const acc = await api('POST', `/posts/queue/${encodeURIComponent(r.id)}`, {})
        return { tid: acc.post.tid, pid: acc.post.pid, queued: true }
      }
      return { tid: r.tid, pid: r.pid, queued: false }
    } catch (e) {
      // initialPostDelay (10 s after joining by default) -> wait and retry
      if (attempt < 10 && /user-too-new|too-many-posts/.test(String(e.status?.message || e.message))) {
        await sleep(2000)
        continue
      }
      throw e
    }
  }
}

// ---- main -----------------------------------------------------------------------------
const t0 = Date.now()
const admin = new Session()
await admin.login(ADMIN.username, ADMIN.password)
const csrf = await admin.csrf()
const tokRes = await admin.fetch('/api/v3/admin/tokens', {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, accept: 'application/json' },
  body: JSON.stringify({ uid: 0, description: 'bench seed (temporary master token)' }),
})
if (!tokRes.ok) throw new Error(`token create -> ${tokRes.status} ${await tokRes.text()}`)
TOKEN = (await tokRes.json()).response.token

try {
  // Resumable: reuses the category/users if a previous run got that far.
  const { categories } = await api('GET', '/categories')
  let cat = categories.find(c => c.name === 'Bench Category')
  if (!cat) cat = await api('POST', '/categories', { name: 'Bench Category', description: 'Category holding the benchmark topic' })
  console.log(`category cid=${cat.cid} slug=${cat.slug}`)

  async function ensureUser(username, password, extra = {}) {
    const r = await fetch(`${BASE}/api/user/${encodeURIComponent(username)}`, { headers: { accept: 'application/json' } })
    if (r.status === 200) return { uid: (await r.json()).uid, existed: true }
    if (r.status !== 404) throw new Error(`GET /api/user/${username} -> ${r.status}`)
    return await api('POST', '/users', { username, password, ...extra })
  }
  const uids = []
  const names = []
  let created = 0
  for (let i = 1; i <= TOTAL_USERS - 1; i++) {
    const username = `bench_user_${String(i).padStart(3, '0')}`
    const u = await ensureUser(username, USER_PASSWORD)
    created += u.existed ? 0 : 1
    uids.push(u.uid)
    names.push(username)
    if (i % 20 === 0) console.log(`users: ${i}`)
  }
  const member = await ensureUser(MEMBER.username, MEMBER.password, { gdpr_consent: true })
  console.log(`users: ${uids.length} + bench_member (uid ${member.uid}); ${created} newly created`)

  const title = 'Benchmark topic: tuning a small forum for lots of readers'
  // a half-made topic from an interrupted run is purged and made again
  const catPage = await (await fetch(`${BASE}/api/category/${cat.cid}`, { headers: { accept: 'application/json' } })).json()
  for (const t of catPage.topics || []) {
    if (t.title !== title) continue
    await api('DELETE', `/topics/${t.tid}`, {})
    console.log(`purged old topic ${t.tid}`)
  }
  const first = await postOrAccept(() => api('POST', '/topics', { cid: cat.cid, title, content: prose() }, uids[0]))
  const tid = first.tid
  let queued = first.queued ? 1 : 0
  for (let i = 1; i < POSTS; i++) {
    const r = await postOrAccept(() => api('POST', `/topics/${tid}`, { content: prose() }, uids[i]))
    queued += r.queued ? 1 : 0
  }
  const topic = await api('GET', `/topics/${tid}`)
  console.log(`topic tid=${tid} slug=${topic.slug} postcount=${topic.postcount} (${queued} posts went through the post queue and were accepted)`)

  const state = {
    base: BASE, cid: cat.cid, tid, slug: topic.slug, topicPath: `/topic/${topic.slug}`,
    posts: POSTS, posters: names.slice(0, POSTS), users: TOTAL_USERS,
    member: MEMBER, admin: ADMIN, seededAt: new Date().toISOString(),
  }
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`)
  console.log(`wrote ${STATE_FILE} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
} finally {
  // don't leave a master token around
  await admin.fetch(`/api/v3/admin/tokens/${TOKEN}`, {
    method: 'DELETE', headers: { 'x-csrf-token': await admin.csrf(), accept: 'application/json' },
  }).catch(() => {})
}
