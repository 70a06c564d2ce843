/**
 * npm run screenshots [-- --port 3390]
 *
 * Starts Parley on a fresh embedded database (seeded with the demo data), then saves
 * docs/screenshots/{home,thread,ticket,tickets,queue}-{desktop,phone}-{light,dark}.png with Playwright and
 * the Chromium the end-to-end tests drive (CHROMIUM_PATH). Run it after a visual change; the README
 * shows some of the files. Times are shown in UTC, so two runs differ only where the data does.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import sharp from 'sharp'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, devices, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { demoAccounts } from './demo-accounts'

const { values } = parseArgs({ options: { port: { type: 'string', default: '3390' } } })
const port = Number(values.port)
const base = `http://localhost:${port}`
const dataDir = path.resolve(`data/screenshots-${port}`)
const outDir = path.resolve('docs/screenshots')

function startServer() {
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(`${dataDir}-uploads`, { recursive: true, force: true })
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/server.ts'], {
    env: { ...process.env, PORT: String(port), PGLITE_DIR: dataDir, UPLOAD_DIR: `${dataDir}-uploads`, DATABASE_URL: '', SMTP_URL: '', LOG_LEVEL: 'warn', JOBS_IN_PROCESS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise<typeof child>((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      // The demo accounts are printed once the server listens.
      if (output.includes('Demo accounts')) resolve(child)
    })
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)))
  })
}

const account = (role: 'agent' | 'moderator') => demoAccounts.find((a) => a.role === role)!

type Session = Awaited<ReturnType<BrowserContext['storageState']>>

/** Logs in once per role (twelve log-ins in a row would meet the log-in rate limit); shots reuse the cookie. */
async function logIn(browser: Browser, role: 'agent' | 'moderator'): Promise<Session> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${base}/login`)
  await page.getByLabel('Username or email').fill(account(role).username)
  await page.getByLabel('Password').fill(account(role).password)
  await page.getByRole('button', { name: 'Log in' }).click()
  // Log out sits in the account menu since the design work: wait for the page after the form instead.
  await page.waitForURL((url) => url.pathname !== '/login')
  const session = await context.storageState()
  await context.close()
  return session
}

const viewports = {
  desktop: { viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 },
  phone: { ...devices['Pixel 7'], deviceScaleFactor: 2 },
} as const

async function shoot(browser: Browser, name: string, form: keyof typeof viewports, scheme: 'light' | 'dark', visit: (page: Page) => Promise<void>, session?: Session) {
  const context = await browser.newContext({ ...viewports[form], colorScheme: scheme, timezoneId: 'UTC', locale: 'en-GB', storageState: session })
  const page = await context.newPage()
  await visit(page)
  await page.waitForLoadState('networkidle')
  const file = path.join(outDir, `${name}-${form}-${scheme}.png`)
  // A palette PNG at full compression: a third of the size, and screenshots have few colours.
  await writeFile(file, await sharp(await page.screenshot()).png({ palette: true, quality: 90, compressionLevel: 9, effort: 10 }).toBuffer())
  console.log(`saved ${path.relative(process.cwd(), file)}`)
  await context.close()
}

mkdirSync(outDir, { recursive: true })
const server = await startServer()
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
try {
  // A thread with an official and an accepted answer, code and votes; the ticket and the queue as staff see them.
  const threadPath = await (async () => {
    const page = await browser.newPage()
    await page.goto(`${base}/tags/webhooks`)
    const href = await page.getByRole('link', { name: 'Webhook signatures do not verify in Node.js' }).getAttribute('href')
    await page.close()
    return href!
  })()
  const agent = await logIn(browser, 'agent')
  const moderator = await logIn(browser, 'moderator')
  for (const form of ['desktop', 'phone'] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await shoot(browser, 'home', form, scheme, async (page) => void (await page.goto(base)))
      await shoot(browser, 'thread', form, scheme, async (page) => void (await page.goto(`${base}${threadPath}`)))
      await shoot(browser, 'ticket', form, scheme, async (page) => {
        await page.goto(`${base}/tickets`)
        // Followed by address, not clicked: on a phone the ticket table scrolls sideways.
        const href = await page.getByRole('link', { name: 'Two-factor codes are rejected' }).getAttribute('href')
        await page.goto(`${base}${href}`)
        await page.getByRole('heading', { level: 1 }).waitFor()
      }, agent)
      // The agents' queue across tiers: SLA badges, and the premium member's call back.
      await shoot(browser, 'tickets', form, scheme, async (page) => void (await page.goto(`${base}/tickets?tier=all`)), agent)
      await shoot(browser, 'queue', form, scheme, async (page) => void (await page.goto(`${base}/mod/queue`)), moderator)
    }
  }
} finally {
  await browser.close()
  server.kill('SIGTERM')
}
