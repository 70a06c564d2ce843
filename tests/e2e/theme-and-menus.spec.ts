import { bell, demo, expect, logIn, logOut, openAccountMenu, register, test, uniqueUsername } from './helpers'

// The header's controls, with and without JavaScript (this file runs in both projects): the theme
// toggle, the menus (all <details>, so they open without scripts), and the bell.

const html = (page: import('@playwright/test').Page) => page.locator('html')

async function chooseTheme(page: import('@playwright/test').Page, label: 'System' | 'Light' | 'Dark') {
  const menu = page.getByRole('banner').locator('details.theme-menu')
  await menu.locator('summary').click()
  await menu.getByRole('button', { name: label }).click()
}

test('a visitor picks the dark theme in the header; it stays on the next pages, and System goes back to the device', async ({ page }) => {
  await page.goto('/questions')
  await expect(html(page)).toHaveAttribute('data-theme', 'system')
  await chooseTheme(page, 'Dark')
  await expect(html(page)).toHaveAttribute('data-theme', 'dark')
  await expect(page).toHaveURL(/\/questions$/)
  // The page really is dark: the background comes from the dark tokens.
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(15, 19, 26)')
  await page.goto('/help')
  await expect(html(page)).toHaveAttribute('data-theme', 'dark')
  await expect(page.getByRole('banner').locator('details.theme-menu').getByRole('button', { name: 'Dark', includeHidden: true })).toHaveAttribute('aria-pressed', 'true')
  await chooseTheme(page, 'System')
  await expect(html(page)).toHaveAttribute('data-theme', 'system')
  await page.reload()
  await expect(html(page)).toHaveAttribute('data-theme', 'system')
})

test('"System" follows the device: a dark device gets the dark colours until Light is chosen', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' })
  const page = await context.newPage()
  await page.goto('/')
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(15, 19, 26)')
  await chooseTheme(page, 'Light')
  await expect(html(page)).toHaveAttribute('data-theme', 'light')
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(246, 247, 249)')
  await context.close()
})

test('a member’s theme is kept with their account, on a new device too', async ({ page, browser }) => {
  const username = uniqueUsername('theme')
  await register(page, username)
  await page.goto('/theme')
  await page.getByRole('radio', { name: 'Dark' }).check()
  await page.getByRole('button', { name: 'Save theme' }).click()
  await expect(html(page)).toHaveAttribute('data-theme', 'dark')
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked()

  // Logged out, the browser is a visitor's again (no cookie was set for the member's choice).
  await logOut(page)
  await expect(html(page)).toHaveAttribute('data-theme', 'system')

  const elsewhere = await browser.newContext().then((c) => c.newPage())
  await logIn(elsewhere, username, 'plum-harbour-lantern-42')
  await expect(html(elsewhere)).toHaveAttribute('data-theme', 'dark')
  await elsewhere.context().close()
})

test('an unknown theme is a 400 with the message beside the choice, and changes nothing', async ({ page, baseURL }) => {
  const response = await page.request.post('/theme', { headers: { Origin: baseURL! }, form: { theme: 'purple', redirectTo: '/' } })
  expect(response.status()).toBe(400)
  expect(await response.text()).toContain('Choose System, Light or Dark.')
  await page.goto('/')
  await expect(html(page)).toHaveAttribute('data-theme', 'system')
})

test('one header link is current at a time, and the staff pages are in one Staff menu', async ({ page }) => {
  await logIn(page, demo('admin').username, demo('admin').password)
  await page.goto('/questions/new')
  const header = page.getByRole('banner')
  await expect(header.locator('[aria-current="page"]')).toHaveCount(1)
  await expect(header.getByRole('link', { name: 'Ask a question' })).toHaveAttribute('aria-current', 'page')

  const staff = header.locator('details.staff-menu')
  await expect(staff.getByRole('link', { name: 'Rate limits' })).toBeHidden()
  await staff.locator('summary').click()
  await staff.getByRole('link', { name: 'SLA report' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  await expect(page).toHaveURL(/\/staff\/sla$/)
  await expect(header.locator('[aria-current="page"]')).toHaveCount(1)
  await expect(header.getByRole('link', { name: 'SLA report', includeHidden: true })).toHaveAttribute('aria-current', 'page')

  await openAccountMenu(page)
  await header.getByRole('link', { name: 'Settings' }).click()
  await expect(page).toHaveURL(/\/settings$/)
})

test('on a phone the main links fold into a Menu that opens and leads on', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 700 } })
  const page = await context.newPage()
  await page.goto('/')
  const main = page.getByRole('navigation', { name: 'Main' })
  await expect(main.getByRole('link', { name: 'Help center' })).toBeHidden()
  await page.getByRole('banner').locator('summary', { hasText: 'Menu' }).click()
  await main.getByRole('link', { name: 'Help center' }).click()
  await expect(page).toHaveURL(/\/help$/)
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(320)
  await context.close()
})

test('the bell: a menu of recent notifications with JavaScript, a link to the notifications page without', async ({ page, javaScriptEnabled }) => {
  // The demo member's seeded questions were answered and their requests received: notifications.
  await logIn(page, demo('member').username, demo('member').password)
  await page.goto('/questions')
  const theBell = bell(page)
  await expect(theBell).toHaveAccessibleName(/^Notifications, \d+ unread$/)
  if (javaScriptEnabled) {
    await theBell.click()
    const menu = page.getByRole('banner').locator('details.bell-menu')
    await expect(menu.getByRole('link', { name: /answered your question/ }).first()).toBeVisible()
    await expect(page).toHaveURL(/\/questions$/)
    await menu.getByRole('link', { name: 'All notifications' }).click()
  } else {
    await expect(page.getByRole('banner').getByRole('link', { name: /^Notifications, \d+ unread$/ })).toBeVisible()
    await theBell.click()
  }
  await expect(page).toHaveURL(/\/notifications$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible()
})
