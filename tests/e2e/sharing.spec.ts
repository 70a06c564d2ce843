import { expect, register, test, uniqueUsername, watch } from './helpers'

test('times show in the browser’s zone with JavaScript, in UTC without it until the member picks a zone in settings', async ({ browser }, testInfo) => {
  const withJs = testInfo.project.name !== 'no-javascript'
  // A browser in Tokyo (UTC+9 all year, no daylight saving time to trip over).
  const context = await browser.newContext({ timezoneId: 'Asia/Tokyo' })
  const page = await context.newPage()
  watch(page)
  await page.goto('/questions')
  const firstTime = page.locator('main time[title]').first()
  if (withJs) {
    // The page comes in UTC (no cookie yet), then shows the browser's zone; the next page comes in it from the server.
    await expect(firstTime).toHaveAttribute('title', /UTC\+9$/)
    await page.reload()
    await expect(firstTime).toHaveAttribute('title', /UTC\+9$/)
    const html = await (await page.request.get('/questions')).text()
    expect(html).toMatch(/title="[^"]+ UTC\+9"/)
  } else {
    await expect(firstTime).toHaveAttribute('title', /\d{2}:\d{2} UTC$/)
  }

  // A member's own choice wins over the browser's zone, with or without JavaScript.
  await register(page, uniqueUsername('zone'))
  await page.goto('/settings')
  await page.getByLabel('Show times in').selectOption('America/Sao_Paulo')
  await page.getByRole('button', { name: 'Save time zone' }).click()
  await expect(page.getByText('Your time zone has been saved.')).toBeVisible()
  await expect(page.getByLabel('Show times in')).toHaveValue('America/Sao_Paulo')
  await page.goto('/questions')
  await expect(firstTime).toHaveAttribute('title', /UTC−3$/)

  // Back to automatic: the browser's zone again (UTC without JavaScript, which cannot tell it).
  await page.goto('/settings')
  await page.getByLabel('Show times in').selectOption({ label: 'My browser’s time zone (automatic)' })
  await page.getByRole('button', { name: 'Save time zone' }).click()
  await expect(page.getByText('Your time zone has been saved.')).toBeVisible()
  await page.goto('/questions')
  await expect(firstTime).toHaveAttribute('title', withJs ? /UTC\+9$/ : /\d{2}:\d{2} UTC$/)
  await context.close()
})

test('a thread has one address, a canonical link and a card; pages link their Atom feeds; feeds and sitemaps are well-formed XML', async ({ page, request, baseURL }, testInfo) => {
  const withJs = testInfo.project.name !== 'no-javascript'
  await page.goto('/tags/api')
  const thread = await page.getByRole('link', { name: 'API returns 429 even though I stay under the documented limit' }).getAttribute('href')
  expect(thread).toMatch(/^\/questions\/\d+\/api-returns-429-even-though-i-stay-under-the-documented-limit$/)
  const id = thread!.split('/')[2]

  // A bare id or an old slug is a permanent redirect to the thread's own address.
  for (const other of [`/questions/${id}`, `/questions/${id}/old-title`]) {
    const moved = await request.get(other, { maxRedirects: 0 })
    expect(moved.status(), other).toBe(301)
    expect(moved.headers()['location']).toBe(thread)
  }

  await page.goto(thread!)
  await expect(page.locator('link[rel=canonical]')).toHaveAttribute('href', `${baseURL}${thread}`)
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', 'API returns 429 even though I stay under the documented limit')
  await expect(page.locator('meta[property="og:type"]')).toHaveAttribute('content', 'article')
  // The excerpt is the question's text, not its HTML or Markdown.
  await expect(page.locator('meta[name=description]')).toHaveAttribute('content', /^I send about 50 requests a minute, well under the 120\/min in the docs/)
  await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute('content', 'summary')

  await page.goto('/u/priya')
  await expect(page.locator('meta[property="og:type"]')).toHaveAttribute('content', 'profile')
  await expect(page.locator('link[rel=canonical]')).toHaveAttribute('href', `${baseURL}/u/priya`)

  await page.goto('/c/technical')
  await expect(page.locator('link[rel=alternate][type="application/atom+xml"]')).toHaveAttribute('href', `${baseURL}/c/technical/feed.atom`)

  const documents = ['/sitemap.xml', '/sitemap/pages.xml', '/sitemap/questions-1.xml', '/feeds/latest.atom', '/c/technical/feed.atom', '/tags/api/feed.atom']
  for (const path of documents) {
    const res = await request.get(path)
    expect(res.status(), path).toBe(200)
    expect(res.headers()['content-type'], path).toMatch(/^application\/(atom\+)?xml; charset=utf-8$/)
    if (withJs) {
      // The browser's own XML parser, which refuses anything not well-formed.
      const problem = await page.evaluate((text) => new DOMParser().parseFromString(text, 'application/xml').querySelector('parsererror')?.textContent ?? null, await res.text())
      expect(problem, path).toBeNull()
    }
  }
  const sitemap = await (await request.get('/sitemap/questions-1.xml')).text()
  expect(sitemap).toContain(`<loc>${baseURL}${thread}</loc>`)
  const robots = await (await request.get('/robots.txt')).text()
  expect(robots).toContain('Disallow: /admin/')
  // A ticket's address is crawlable; what a crawler gets there is the log-in redirect, marked noindex.
  expect(robots).not.toContain('Disallow: /tickets')
  const ticketForCrawler = await request.get('/tickets/1001', { maxRedirects: 0 })
  expect(ticketForCrawler.status()).toBe(302)
  expect(ticketForCrawler.headers()['x-robots-tag']).toBe('noindex')
  expect(robots).toContain(`Sitemap: ${baseURL}/sitemap.xml`)
})
