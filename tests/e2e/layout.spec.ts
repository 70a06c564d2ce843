import AxeBuilder from '@axe-core/playwright'
import type { Browser, Page } from '@playwright/test'
import { demo, expect, logIn, test } from './helpers'
import { ROLES, sitePages, watchBrowser, type Role } from './site-pages'

// Every page of the crawl, as every role, at a phone's width (320px) and a desktop's (1280px), in
// the light and the dark theme: the page never scrolls sideways, the browser reports nothing wrong,
// and axe finds nothing serious or critical; at 1280px every role's header is one row. One browser
// context per role (one test each, so the roles run in parallel); each page is loaded once and
// re-checked after resizing and re-theming, and each page is axe-checked by one role, which is what
// keeps this within a few minutes.
//
// The dark theme comes two ways, as it does for people: from the device (prefers-color-scheme,
// with the theme left on "system"), and from the theme toggle (<html data-theme="dark">, here set
// the way the toggle's answer sets it, on a light device). Roles alternate between the two.

const DARK_BY_TOGGLE: Role[] = ['visitor', 'agent', 'admin']

async function horizontalOverflow(page: Page) {
  return page.evaluate(() => {
    const width = document.scrollingElement!.scrollWidth
    if (width <= window.innerWidth) return null
    // Name the culprits: the deepest elements that reach past the right edge.
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.querySelector('*') && !el.closest('details:not([open])'))
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}">`)
    return `${width}px wide in a ${window.innerWidth}px window: ${culprits.join(', ')}`
  })
}

/** How many rows the site header's parts (brand, main links or Menu, tools) are laid out in. */
async function headerRows(page: Page) {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll('.site-header > *')].map((el) => el.getBoundingClientRect()).sort((a, b) => a.top - b.top)
    let rows = 0
    let bottom = -Infinity
    for (const box of boxes) {
      if (box.top >= bottom) rows++
      bottom = Math.max(bottom, box.bottom)
    }
    return rows
  })
}

async function seriousAxeFindings(page: Page) {
  // axe's default rule set: WCAG 2.x A and AA, and its best practices.
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
}

async function checkRole(browser: Browser, role: Role) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' })
  const page = await context.newPage()
  const problems = watchBrowser(page)
  if (role !== 'visitor') await logIn(page, demo(role).username, demo(role).password)
  const pages = await sitePages(page, role)
  const failures: string[] = []

  for (const [index, { path, openFor }] of pages.entries()) {
    // axe is the slow part (seconds a page on a busy machine), so each page is axe-checked, light
    // at 1280px and dark at 320px, by one of the roles that may open it, taken in turn down the
    // list (every role checks its own home page, for its own header). The cheap checks (width,
    // browser errors) run for every role on every page.
    const eligible = openFor.length ? openFor : ROLES
    const runsAxe = path === '/' || eligible[index % eligible.length] === role
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.emulateMedia({ colorScheme: 'light' })
    await page.goto(path)
    await page.waitForFunction(() => '__remixRouter' in window)
    expect(await page.locator('html').getAttribute('data-theme'), `${role} on ${path}: the theme`).toBe('system')

    for (const [width, theme] of [
      [1280, 'light'],
      [320, 'light'],
      [320, 'dark'],
      [1280, 'dark'],
    ] as const) {
      const where = `${role} on ${path} at ${width}px, ${theme}`
      await page.setViewportSize({ width, height: 900 })
      if (theme === 'dark') {
        if (DARK_BY_TOGGLE.includes(role)) await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'))
        else await page.emulateMedia({ colorScheme: 'dark' })
      }
      const overflow = await horizontalOverflow(page)
      if (overflow) failures.push(`${where}: scrolls sideways, ${overflow}`)
      if (width === 1280 && index === 0) {
        const rows = await headerRows(page)
        if (rows > 1) failures.push(`${where}: the header takes ${rows} rows, not one`)
      }
      if (runsAxe && ((width === 1280 && theme === 'light') || (width === 320 && theme === 'dark')))
        for (const finding of await seriousAxeFindings(page)) failures.push(`${where}: ${finding}`)
    }
  }
  expect(failures, `layout and accessibility problems as ${role}`).toEqual([])
  expect(problems, `what the browser reported as ${role}`).toEqual([])
  await context.close()
}

// playwright.config.ts runs this file in the chromium project only: without JavaScript the pages are
// the same HTML and CSS (the bell, a link then, is checked in theme-and-menus.spec.ts).
for (const role of ROLES) {
  test(`as ${role}, every page fits 320px and 1280px in both themes with no serious accessibility finding`, async ({ browser }) => {
    test.setTimeout(300_000)
    await checkRole(browser, role)
  })
}
