import { askQuestion, demo, expect, pageAs, register, test, uniqueUsername, watch } from './helpers'

test('visitors get cached thread pages, yet see a new answer and a new vote at once', async ({ browser, request }) => {
  // A member of its own: the demo member posts in other specs running at the same time, and one
  // account may post only once every few seconds.
  const asker = await (await browser.newContext()).newPage()
  watch(asker)
  await register(asker, uniqueUsername('cacheask'))
  const url = await askQuestion(asker, `Cached thread ${uniqueUsername('q')}`)

  const first = await request.get(url)
  expect(first.status()).toBe(200)
  expect(first.headers()['x-page-cache']).toBe('miss')
  const second = await request.get(url)
  expect(second.headers()['x-page-cache']).toBe('hit')
  expect(await second.text()).toBe(await first.text())
  // Any other slug, or none, is sent to the thread's own address (one cache entry, one address for search engines).
  for (const other of [url.replace(/\/[^/]+$/, '/some-other-words'), url.replace(/\/[^/]+$/, '')]) {
    const moved = await request.get(other, { maxRedirects: 0 })
    expect(moved.status()).toBe(301)
    expect(moved.headers()['location']).toBe(new URL(url).pathname)
  }

  const answerer = await pageAs(browser, demo('moderator').username, demo('moderator').password)
  await answerer.goto(url)
  await answerer.getByLabel('Answer', { exact: true }).fill('Fresh answer that visitors must see straight away.')
  await answerer.getByRole('button', { name: 'Post your answer' }).click()
  await expect(answerer.getByRole('article', { name: 'Answer by moderator' })).toBeVisible()

  const visitor = await browser.newContext()
  const page = await visitor.newPage()
  watch(page)
  await page.goto(url)
  await expect(page.getByRole('article', { name: 'Answer by moderator' })).toContainText('Fresh answer that visitors must see straight away.')
  await expect(page.getByRole('article', { name: 'Answer by moderator' }).getByLabel('Score 0')).toBeVisible()

  await asker.goto(url)
  await asker.getByRole('article', { name: 'Answer by moderator' }).getByRole('button', { name: 'Upvote' }).click()
  await expect(asker.getByRole('article', { name: 'Answer by moderator' }).getByLabel('Score 1')).toBeVisible()
  await page.reload()
  await expect(page.getByRole('article', { name: 'Answer by moderator' }).getByLabel('Score 1')).toBeVisible()

  // Signed-in members always get a fresh render, never a visitor's cached page.
  const signedIn = await asker.request.get(url)
  expect(signedIn.headers()['x-page-cache']).toBeUndefined()
  for (const context of [asker.context(), answerer.context(), visitor]) await context.close()
})
