import { askQuestion, expect, PASSWORD, register, test, uniqueUsername, watch } from './helpers'

// The thread page as issue 13 asks for it, with and without JavaScript (both projects run this).

const CODE_QUESTION = 'My script stops early, here is the code:\n\n```js\nconst total = items.reduce((sum, item) => sum + item.price, 0) // adds up\n```\n\n> Quoted from the docs: it should not stop.'

test('a member votes on the question with the icon buttons, reads highlighted code, and finds the link, share and user card', async ({ browser, javaScriptEnabled }) => {
  const askerPage = await (await browser.newContext()).newPage()
  watch(askerPage)
  const askerName = uniqueUsername('polask')
  await register(askerPage, askerName)
  const url = await askQuestion(askerPage, `Why does my script stop ${uniqueUsername('q')}`, CODE_QUESTION)
  // The asker sees the score, but no buttons to vote on their own question.
  const ownQuestion = askerPage.getByRole('region', { name: 'Question' })
  await expect(ownQuestion.getByLabel('Score 0')).toBeVisible()
  await expect(ownQuestion.getByRole('button', { name: 'Upvote this question' })).toHaveCount(0)

  const context = await browser.newContext(javaScriptEnabled ? { permissions: ['clipboard-read', 'clipboard-write'] } : {})
  const page = await context.newPage()
  watch(page)
  await register(page, uniqueUsername('polvote'))
  await page.goto(url)
  const question = page.getByRole('region', { name: 'Question' })

  // Vote up, then change to down, then take it back: the buttons keep their names, aria-pressed says which is on.
  const up = question.getByRole('button', { name: 'Upvote this question' })
  const down = question.getByRole('button', { name: 'Downvote this question' })
  await expect(up).toHaveAttribute('aria-pressed', 'false')
  await up.click()
  await expect(question.getByLabel('Score 1')).toBeVisible()
  await expect(up).toHaveAttribute('aria-pressed', 'true')
  await down.click()
  await expect(question.getByLabel('Score -1')).toBeVisible()
  await expect(down).toHaveAttribute('aria-pressed', 'true')
  await expect(up).toHaveAttribute('aria-pressed', 'false')
  await down.click()
  await expect(question.getByLabel('Score 0')).toBeVisible()
  await expect(down).toHaveAttribute('aria-pressed', 'false')

  // The code block came highlighted from the server: keywords have their own colour, no script did it.
  const code = question.locator('pre code')
  await expect(code).toContainText('const total = items.reduce')
  const keyword = code.locator('.hljs-keyword').first()
  await expect(keyword).toHaveText('const')
  const colours = await keyword.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el.closest('code')!).color])
  expect(colours[0]).not.toBe(colours[1])
  await expect(question.locator('blockquote')).toContainText('Quoted from the docs')

  // The user card: focus the asker's name and the card about them shows (CSS only).
  const card = question.getByRole('group', { name: `About ${askerName}` })
  await expect(card).toBeHidden()
  await question.getByRole('link', { name: askerName, exact: true }).focus()
  await expect(card).toBeVisible()
  await expect(card).toContainText(`Member since ${new Date().getUTCFullYear()}`)
  await expect(card.getByRole('link', { name: 'View profile' })).toHaveAttribute('href', `/u/${askerName}`)

  // Link is the question's own address; Share copies it with JavaScript and is that link without.
  const path = new URL(url).pathname
  await expect(question.getByRole('link', { name: 'Link', exact: true })).toHaveAttribute('href', path)
  const share = question.getByRole('link', { name: 'Share', exact: true })
  await expect(share).toHaveAttribute('href', path)
  if (javaScriptEnabled) {
    await share.click()
    await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url)
  } else {
    // From another address of the same page, Share leads to the post's own.
    await page.goto(`${url}?from=elsewhere`)
    await share.click()
    await expect(page).toHaveURL(url)
  }
  for (const c of [askerPage.context(), context]) await c.close()
})

test('a visitor sees the scores and "Log in to vote", which logs in and comes back to the thread', async ({ browser }) => {
  const askerPage = await (await browser.newContext()).newPage()
  watch(askerPage)
  const askerName = uniqueUsername('polvis')
  await register(askerPage, askerName)
  const url = await askQuestion(askerPage, `Visitors and votes ${uniqueUsername('q')}`)

  const visitor = await (await browser.newContext()).newPage()
  watch(visitor)
  await visitor.goto(url)
  const question = visitor.getByRole('region', { name: 'Question' })
  await expect(question.getByLabel('Score 0')).toBeVisible()
  await expect(question.getByRole('button', { name: /vote this question/ })).toHaveCount(0)
  const logIn = question.getByRole('link', { name: 'Log in to vote' })
  await expect(logIn).toHaveAttribute('href', `/login?redirectTo=${encodeURIComponent(new URL(url).pathname)}`)
  await logIn.click()
  await expect(visitor).toHaveURL(/\/login\?redirectTo=/)
  await visitor.getByLabel('Username or email').fill(askerName)
  await visitor.getByLabel('Password').fill(PASSWORD)
  await visitor.getByRole('button', { name: 'Log in' }).click()
  await expect(visitor).toHaveURL(url)
  await expect(visitor.getByRole('region', { name: 'Question' }).getByLabel('Score 0')).toBeVisible()
  for (const c of [askerPage.context(), visitor.context()]) await c.close()
})
