/**
 * `npm run lighthouse`: Lighthouse's scores (accessibility, best practices, SEO, performance) for
 * the pages people open most — home, a thread, the ask page, a ticket — on a phone profile (Lighthouse's
 * default: a mid-range phone, throttled). It builds the app, starts the server on a fresh seeded
 * database, logs in as the demo member for the pages that need it, and prints a table. It never fails
 * on a score: the numbers are for reading, not a gate.
 *
 * Options: --no-build (use public/build as it is); LIGHTHOUSE_PORT (default 3200); CHROMIUM_PATH
 * (default /usr/bin/chromium).
 */
import { spawn, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { demoAccounts } from './demo-accounts'

const port = Number(process.env.LIGHTHOUSE_PORT ?? 3200)
const base = `http://localhost:${port}`
const dataDir = `data/lighthouse-${port}`
const CATEGORIES = ['accessibility', 'best-practices', 'seo', 'performance'] as const

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npx', ['remix', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

rmSync(dataDir, { recursive: true, force: true })
const server = spawn(process.execPath, ['--import', 'tsx', 'app/server.ts'], {
  env: { ...process.env, PORT: String(port), PGLITE_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
  detached: true,
})
const stopServer = () => {
  try {
    process.kill(-server.pid!, 'SIGTERM')
  } catch {
    // already gone
  }
}
process.on('exit', stopServer)

async function waitForServer() {
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      if ((await fetch(`${base}/`)).ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The server did not answer on ${base} within 3 minutes.`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/** The session cookie of a demo account, logged in through the form as a browser would. */
async function logIn(role: 'member') {
  const account = demoAccounts.find((a) => a.role === role)!
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ identifier: account.username, password: account.password }),
  })
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('parley_session='))
  if (!cookie) throw new Error(`Logging in as ${role} failed (${response.status}).`)
  return cookie.split(';')[0]
}

async function firstLink(path: string, pattern: RegExp, cookie?: string) {
  const html = await (await fetch(`${base}${path}`, { headers: cookie ? { Cookie: cookie } : {} })).text()
  const found = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]).find((href) => pattern.test(href))
  if (!found) throw new Error(`No link matching ${pattern} on ${path}.`)
  return found
}

async function main() {
  await waitForServer()
  const member = await logIn('member')
  const pages = [
    { name: 'Home', path: '/', cookie: undefined },
    { name: 'Thread', path: await firstLink('/tags/password', /^\/questions\/\d+\/[a-z0-9-]+$/), cookie: undefined },
    { name: 'Ask a question', path: '/questions/new', cookie: member },
    { name: 'Ticket', path: await firstLink('/tickets', /^\/tickets\/\d+$/, member), cookie: member },
  ]

  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const rows: { page: string; scores: Record<string, string>; problems: string[] }[] = []
  try {
    for (const { name, path, cookie } of pages) {
      const result = await lighthouse(
        `${base}${path}`,
        { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES], extraHeaders: cookie ? { Cookie: cookie } : undefined },
      )
      const lhr = result!.lhr
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score == null ? '—' : String(Math.round(lhr.categories[c].score! * 100))]))
      // What cost points outside performance: the audits that failed, by title.
      const problems = CATEGORIES.filter((c) => c !== 'performance').flatMap((c) =>
        lhr.categories[c].auditRefs
          .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id].score ?? 1) < 1)
          .map((ref) => {
            // What the audit found, in short: the first few items (a selector, a link text, a URL).
            const items = ((lhr.audits[ref.id].details as { items?: Record<string, unknown>[] } | undefined)?.items ?? []).slice(0, 3)
            const found = items.map((item) => JSON.stringify(item.node ? (item.node as { snippet?: string }).snippet : item).slice(0, 160))
            return `${c}: ${lhr.audits[ref.id].title}${found.length ? `\n      ${found.join('\n      ')}` : ''}`
          }),
      )
      // Where performance went: the metrics Lighthouse weighs.
      problems.push(
        `performance: ${['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
          .map((id) => `${id} ${lhr.audits[id]?.displayValue ?? '—'} (${Math.round((lhr.audits[id]?.score ?? 0) * 100)})`)
          .join(', ')}`,
      )
      rows.push({ page: `${name} (${path})`, scores, problems })
    }
  } finally {
    await chrome.kill()
  }

  const width = Math.max(...rows.map((r) => r.page.length), 4)
  console.log(`\nLighthouse, phone profile (${base})\n`)
  console.log(`${'Page'.padEnd(width)}  ${CATEGORIES.map((c) => c.padStart(16)).join('')}`)
  for (const row of rows) console.log(`${row.page.padEnd(width)}  ${CATEGORIES.map((c) => row.scores[c].padStart(16)).join('')}`)
  const problems = rows.flatMap((r) => r.problems.map((p) => `  ${r.page}: ${p}`))
  if (problems.length) console.log(`\nFailed audits (outside performance) and performance metrics:\n${problems.join('\n')}`)
}

main()
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(() => {
    stopServer()
    // Lighthouse leaves timers behind; the table is printed, so leave.
    setTimeout(() => process.exit(), 500).unref()
  })
