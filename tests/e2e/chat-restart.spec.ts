import { rmSync } from 'node:fs'
import type { Browser, Page } from '@playwright/test'
import { startProcess } from '../ops/server-process'
import { demo, expect, openSupportMenu, test } from './helpers'

/**
 * Live chat against a Parley process of this spec's own (its own port and embedded database), so
 * it can close the business calendar and restart the server without touching the shared one:
 * outside business hours the chat page offers a ticket, and a chat goes on across a real restart
 * with no message lost or shown twice (EventSource reconnects with Last-Event-ID, and the page
 * fetches what came after its newest message). JavaScript only (playwright.config.ts): without it
 * the page simply reloads.
 */

const PORT = Number(process.env.E2E_CHAT_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1)
const DIR = `data/e2e-chat-restart-${PORT}`
const origin = `http://localhost:${PORT}`
const running = (line: { msg?: string }) => String(line.msg).startsWith('Parley is running')

function start() {
  return startProcess('app/server.ts', {
    PORT: String(PORT),
    PGLITE_DIR: DIR,
    UPLOAD_DIR: `${DIR}-uploads`,
    DATABASE_URL: '',
    SMTP_URL: '',
    SEED_DEMO: '1',
    // Plain http on localhost: no Secure cookies, no HSTS.
    COOKIE_SECURE: '0',
    HSTS: '0',
    WEB_CONCURRENCY: '1',
    LOG_LEVEL: 'info',
    RATE_LIMITS: 'login-ip-minute=10000/60,login-ip-hour=100000/3600',
  })
}

async function logInAt(browser: Browser, role: 'admin' | 'agent' | 'member') {
  const page = await (await browser.newContext({ baseURL: origin })).newPage()
  await page.goto('/login')
  await page.getByLabel('Username or email').fill(demo(role).username)
  await page.getByLabel('Password').fill(demo(role).password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('banner').getByText(demo(role).username, { exact: true })).toBeVisible()
  return page
}

async function businessHours(admin: Page, opensAt: string, closesAt: string) {
  await admin.goto('/admin/sla')
  const week = admin.locator('form[aria-labelledby="week-heading"]')
  await week.getByLabel('Time zone').fill('UTC')
  await week.getByLabel('Opens at').fill(opensAt)
  await week.getByLabel('Closes at').fill(closesAt)
  for (const box of await week.getByRole('checkbox').all()) await box.check()
  await week.getByRole('button', { name: 'Save business hours' }).click()
  await admin.waitForURL(/saved=1/)
}

test.describe.configure({ mode: 'serial' })

let server: ReturnType<typeof start> | null = null

test.beforeAll(async () => {
  test.setTimeout(200_000)
  rmSync(DIR, { recursive: true, force: true })
  rmSync(`${DIR}-uploads`, { recursive: true, force: true })
  server = start()
  await server.waitForLine(running, { timeoutMs: 170_000 })
})

test.afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM')
    await server.exited
  }
})

test('outside business hours the chat page says when chat opens and offers a ticket', async ({ browser }) => {
  const admin = await logInAt(browser, 'admin')
  // Open one minute a day, at midnight UTC: closed now (unless this runs in that minute).
  await businessHours(admin, '00:00', '00:01')
  const member = await logInAt(browser, 'member')
  await member.goto('/support/chat')
  await expect(member.getByText(/Live chat is closed now\. It opens/)).toBeVisible()
  // The link in the header's Support menu, on every page, says when, too.
  await openSupportMenu(member)
  await expect(member.getByRole('banner').getByRole('link', { name: /^Live chat opens \w{3} 00:00$/ })).toBeVisible()
  await expect(member.getByRole('button', { name: 'Start a chat' })).toHaveCount(0)
  await member.getByRole('link', { name: 'Open a ticket instead' }).click()
  await member.waitForURL(/\/tickets\/new$/)
  await businessHours(admin, '00:00', '23:59')
  await member.goto('/support/chat')
  // Open again, but nobody is available yet.
  await expect(member.getByText('No agent is available for live chat right now.')).toBeVisible()
  await openSupportMenu(member)
  await expect(member.getByRole('banner').getByRole('link', { name: 'Live chat agents away' })).toBeVisible()
  await admin.context().close()
  await member.context().close()
})

test('a chat goes on across a server restart: nothing lost, nothing twice', async ({ browser }) => {
  test.setTimeout(300_000)
  const agent = await logInAt(browser, 'agent')
  await agent.goto('/staff/chats')
  await agent.getByLabel('Chat status').selectOption('available')
  await agent.getByRole('button', { name: 'Save availability' }).click()
  await expect(agent.getByRole('status').filter({ hasText: 'You are available for chats' })).toBeVisible()

  const member = await logInAt(browser, 'member')
  await member.goto('/support/chat')
  await member.getByLabel('Your first message').fill('My reports stopped arriving by mail.')
  await member.getByRole('button', { name: 'Start a chat' }).click()
  await member.waitForURL(/\/support\/chat\/\d+$/)
  const chatPath = new URL(member.url()).pathname

  await agent.goto('/staff/chats')
  await agent.getByRole('button', { name: `Accept chat with ${demo('member').username}` }).click()
  await agent.waitForURL(`${origin}${chatPath}`)
  await expect(member.getByText(/You are chatting with/)).toBeVisible()
  const say = async (page: Page, text: string) => {
    await page.getByLabel('Message', { exact: true }).fill(text)
    await page.getByRole('button', { name: 'Send message' }).click()
    await expect(page.getByLabel('Message', { exact: true })).toHaveValue('')
  }
  await say(agent, 'Before the restart: checking your mail settings.')
  await expect(member.getByText('Before the restart: checking your mail settings.')).toHaveCount(1)

  // A real restart: the process stops (its streams end), a new one starts on the same database.
  server!.child.kill('SIGTERM')
  await server!.exited
  server = start()
  await server.waitForLine(running, { timeoutMs: 170_000 })

  // The agent writes at once, before the member's browser has necessarily reconnected.
  await say(agent, 'After the restart: found it, your address bounced.')
  await expect(member.getByText('After the restart: found it, your address bounced.')).toHaveCount(1, { timeout: 20_000 })
  await say(member, 'Thanks, I will fix the address.')
  await expect(agent.getByText('Thanks, I will fix the address.')).toHaveCount(1, { timeout: 20_000 })
  // Every message exactly once, in order, on both sides.
  for (const page of [member, agent]) {
    await expect(page.locator('.chat-message-body')).toHaveText(['My reports stopped arriving by mail.', 'Before the restart: checking your mail settings.', 'After the restart: found it, your address bounced.', 'Thanks, I will fix the address.'])
  }
  await agent.context().close()
  await member.context().close()
})
