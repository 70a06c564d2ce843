import { askQuestion, demo, expect, pageAs, register, test, uniqueUsername, watch } from './helpers'

// 23 answers: a full page of 20, then 3 on page 2 (all score 0, so oldest first).
const ANSWERS = 23

test('a long thread shows one page of answers; next, previous, load more and #answer links find the rest', async ({ browser, baseURL }, testInfo) => {
  const withJs = testInfo.project.name !== 'no-javascript'
  const asker = await (await browser.newContext()).newPage()
  watch(asker)
  await register(asker, uniqueUsername('pages'))
  const url = await askQuestion(asker, `Paged thread ${uniqueUsername('q')}`)

  // Staff post without the per-member interval: the moderator answers 23 times through the form's endpoint.
  const moderator = await pageAs(browser, demo('moderator').username, demo('moderator').password)
  const ids: number[] = []
  for (let i = 1; i <= ANSWERS; i++) {
    const res = await moderator.request.post(url, { form: { intent: 'answer', body: `Paged answer number ${i}.` }, headers: { origin: baseURL! }, maxRedirects: 0 })
    expect(res.status()).toBe(302)
    ids.push(Number(res.headers()['location'].match(/#answer-(\d+)$/)![1]))
  }

  const page = await (await browser.newContext()).newPage()
  watch(page)
  const answers = page.locator('article.answer')
  await page.goto(url)
  await expect(page.getByRole('heading', { name: /^23 answers/ })).toBeVisible()
  await expect(answers).toHaveCount(20)
  await expect(answers.first()).toContainText('Paged answer number 1.')
  await expect(page.getByText('Paged answer number 21.')).toHaveCount(0)

  // Next: page 2 at its own address, with the rest.
  await page.getByRole('link', { name: 'Next answers' }).click()
  await expect(page).toHaveURL(`${url}/page/2`)
  await expect(answers).toHaveCount(3)
  await expect(answers.first()).toContainText('Paged answer number 21.')
  await expect(page.getByRole('link', { name: 'Next answers' })).toHaveCount(0)

  // Previous: back to page 1.
  await page.getByRole('link', { name: 'Previous answers' }).click()
  await expect(page).toHaveURL(url)
  await expect(answers).toHaveCount(20)

  if (withJs) {
    // Load more appends page 2 in place: same address, 23 answers, nothing twice.
    await page.getByRole('button', { name: 'Load more answers' }).click()
    await expect(answers).toHaveCount(ANSWERS)
    await expect(answers.last()).toContainText('Paged answer number 23.')
    await expect(page).toHaveURL(url)
    await expect(page.getByRole('button', { name: 'Load more answers' })).toHaveCount(0)
  } else {
    await expect(page.getByRole('button', { name: 'Load more answers' })).toHaveCount(0)
  }

  // An answer's own address lands on its page, at the answer.
  await page.goto(`/answers/${ids[21]}`)
  await expect(page).toHaveURL(`${url}/page/2#answer-${ids[21]}`)
  await expect(page.locator(`#answer-${ids[21]}`)).toContainText('Paged answer number 22.')
  await expect(page.locator(`#answer-${ids[21]}`)).toBeInViewport()

  if (withJs) {
    // An old-style link to page 1 with the fragment of an answer on page 2 finds it too.
    await page.goto(`${url}#answer-${ids[22]}`)
    await expect(page).toHaveURL(`${url}/page/2#answer-${ids[22]}`)
    await expect(page.locator(`#answer-${ids[22]}`)).toContainText('Paged answer number 23.')
  }

  // Each answer's body travels once: in the page, not again in the embedded loader data.
  const html = await (await page.request.get(url)).text()
  expect(html).toContain('window.__remixContext')
  for (const n of [1, 7, 20]) expect(html.split(`Paged answer number ${n}.`).length - 1, `answer ${n}`).toBe(1)

  // Page 1 of a page address is the thread's own address; a page past the end is a 404.
  const past = await page.request.get(`${url}/page/3`)
  expect(past.status()).toBe(404)
  const first = await page.request.get(`${url}/page/1`, { maxRedirects: 0 })
  expect(first.status()).toBe(301)
  expect(first.headers()['location']).toBe(new URL(url).pathname)
})
