import { expect, register, test, uniqueUsername } from './helpers'

test('before asking, a member finds the similar question that already has the answer; search highlights it', async ({ page }) => {
  await register(page, uniqueUsername('seeker'))
  await page.goto('/questions/new')
  // The demo data has "How do I reset my password if I no longer have access to my email?" with an official answer.
  await page.getByLabel('Title').fill('Reset password without access to my email')
  const similar = page.getByRole('region', { name: /Similar questions/ })
  const answered = similar.getByRole('link', { name: 'How do I reset my password if I no longer have access to my email?' })
  // With JavaScript the list appears while typing; without it, the button asks the server.
  if (test.info().project.use.javaScriptEnabled !== false) await expect(answered).toBeVisible()
  await page.getByRole('button', { name: 'Check for similar questions' }).click()
  await expect(answered).toBeVisible()
  // What was typed survives the round trip.
  await expect(page.getByLabel('Title')).toHaveValue('Reset password without access to my email')

  await page.goto('/search')
  await page.getByLabel('Search questions and answers').fill('pasword email')
  await page.getByRole('button', { name: 'Search', exact: true }).click()
  await expect(page.getByText('Showing results for')).toBeVisible()
  const result = page.getByRole('link', { name: 'How do I reset my password if I no longer have access to my email?' })
  await expect(result).toBeVisible()
  await expect(page.locator('.snippet mark').first()).toBeVisible()

  await page.goto('/help')
  await expect(page.getByRole('link', { name: 'How do I reset my password if I no longer have access to my email?' })).toBeVisible()
})
