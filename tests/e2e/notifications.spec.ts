import { askQuestion, bell, expect, register, test, uniqueUsername, watch } from './helpers'

test('a member is notified of an answer to their question, follows the notification to it, and the bell clears', async ({ page, browser }) => {
  const askerName = uniqueUsername('asker')
  await register(page, askerName)
  const title = `Why does my export stop halfway ${uniqueUsername('q')}?`
  await askQuestion(page, title)
  await expect(bell(page, 0)).toBeVisible()

  // Another member answers, in their own browser.
  const answerer = await browser.newContext().then((c) => c.newPage())
  watch(answerer)
  const answererName = uniqueUsername('helper')
  await register(answerer, answererName)
  await answerer.goto('/questions')
  await answerer.getByRole('link', { name: title }).click()
  const answerText = 'Exports stop when the session times out; raise the limit under Settings → Exports.'
  await answerer.getByRole('textbox', { name: 'Answer' }).fill(answerText)
  await answerer.getByRole('button', { name: 'Post your answer' }).click()
  await expect(answerer.getByText(answerText)).toBeVisible()

  // The asker sees the bell's count on the next page they open, and follows the notification.
  await page.goto('/questions')
  await expect(bell(page, 1)).toBeVisible()
  await page.goto('/notifications')
  await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible()
  // Grouped under the thread it is about.
  const thread = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: title }) })
  await thread.getByRole('link', { name: `${answererName} answered your question “${title}”` }).click()
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
  await expect(page).toHaveURL(/#answer-\d+$/)
  await expect(page.getByText(answerText)).toBeVisible()
  await expect(bell(page, 0)).toBeVisible()

  await answerer.context().close()
})
