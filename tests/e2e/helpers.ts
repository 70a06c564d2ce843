import { test as base, expect, type Browser, type Page } from '@playwright/test'
import { demoAccounts } from '../../scripts/demo-accounts'

export const PASSWORD = 'plum-harbour-lantern-42'

// Errors the browser reports while the current test runs, from every page it opens (one test at a
// time per worker). Failed loads are left out: the 400/403/404 tests cause them on purpose.
let browserErrors: string[] = []
export function watch(page: Page) {
  page.on('pageerror', (error) => browserErrors.push(`${page.url()}: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) browserErrors.push(`${page.url()}: ${message.text()}`)
  })
}

/** Playwright's test, failing any test during which a page logged an error (a hydration mismatch, say). */
export const test = base.extend<{ page: Page; noBrowserErrors: void }>({
  noBrowserErrors: [
    async ({}, use) => {
      browserErrors = []
      await use()
      expect(browserErrors, 'errors in the browser console').toEqual([])
    },
    { auto: true },
  ],
  page: async ({ page }, use) => {
    watch(page)
    await use(page)
  },
})
export { expect }

export function demo(role: 'admin' | 'moderator' | 'agent' | 'member' | 'premium') {
  // Each demo account is named after its role ('premium' is the premium member).
  return demoAccounts.find((a) => a.username === role)!
}

let counter = 0
export function uniqueUsername(prefix: string) {
  counter += 1
  return `${prefix}${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1000)}`.slice(0, 20)
}

/** Logs in through the form, as a person would. */
export async function logIn(page: Page, identifier: string, password: string) {
  await page.goto('/login')
  await page.getByLabel('Username or email').fill(identifier)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(bell(page)).toBeVisible()
}

/** The header's bell, by its accessible name ("Notifications, 3 unread"): a link without JavaScript, a menu with it. */
export function bell(page: Page, unread?: number) {
  return page.getByRole('banner').getByLabel(unread === undefined ? /^Notifications, \d+ unread$/ : `Notifications, ${unread} unread`)
}

/** Opens the header's account menu (a <details>: it opens with or without JavaScript). */
export async function openAccountMenu(page: Page) {
  const menu = page.getByRole('banner').locator('details.user-menu')
  if (!(await menu.evaluate((details: HTMLDetailsElement) => details.open))) await menu.locator('summary').click()
  await expect(menu.getByRole('button', { name: 'Log out' })).toBeVisible()
}

/** Opens the header's Support menu (a member's requests, contact form and live chat). */
export async function openSupportMenu(page: Page) {
  await page.getByRole('banner').locator('summary', { hasText: 'Support' }).click()
}

/** Logs out from the account menu, as a person would. */
export async function logOut(page: Page) {
  await openAccountMenu(page)
  await page.getByRole('banner').getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible()
}

/** A fresh browser session (its own cookies) logged in as the given account. */
/**
 * Waits until React has hydrated a signed-in page (the bell turns from a link into a menu). On a
 * loaded machine Playwright can pick a <select> option before that, and hydration puts the select
 * back to its server value. Only for pages with JavaScript on, such as those from pageAs.
 */
export async function untilHydrated(page: Page) {
  if (!(await page.evaluate(() => typeof window.__remixContext === 'object').catch(() => false))) return
  await expect(page.locator('a.bell')).toHaveCount(0)
}

export async function pageAs(browser: Browser, identifier: string, password: string) {
  const context = await browser.newContext()
  const page = await context.newPage()
  watch(page)
  await logIn(page, identifier, password)
  return page
}

export async function register(page: Page, username: string) {
  await page.goto('/register')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Email').fill(`${username}@example.test`)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByLabel('Confirm password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('banner').getByText(username, { exact: true })).toBeVisible()
}

/** Asks a question through the form and returns the thread's URL. */
export async function askQuestion(page: Page, title: string, body = 'The details of what happened, and what I tried already.') {
  await page.goto('/questions/new')
  await page.getByLabel('Title').fill(title)
  await page.getByLabel('Body').fill(body)
  await page.getByLabel('Category').selectOption({ label: 'Technical' })
  await page.getByRole('button', { name: 'Post your question' }).click()
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
  return page.url()
}

export type ReceivedMail = { to: string[]; subject: string; text: string; messageId: string }

/** Waits for a mail the end-to-end SMTP receiver got (see mail-receiver.ts) that matches. */
export async function waitForMail(predicate: (mail: ReceivedMail) => boolean, timeoutMs = 30_000): Promise<ReceivedMail> {
  const { readdirSync, readFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { E2E_MAIL_DIR } = await import('./mail-receiver')
  const deadline = Date.now() + timeoutMs
  for (;;) {
    for (const file of readdirSync(E2E_MAIL_DIR).sort()) {
      const mail = JSON.parse(readFileSync(join(E2E_MAIL_DIR, file), 'utf8')) as ReceivedMail
      if (predicate(mail)) return mail
    }
    if (Date.now() > deadline) throw new Error('No matching mail arrived in time.')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
