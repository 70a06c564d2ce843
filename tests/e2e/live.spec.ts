import { askQuestion, bell, demo, expect, pageAs, register, test, uniqueUsername } from './helpers'

/**
 * The site updates itself (Server-Sent Events, app/routes/events.ts): what one person does shows
 * on another person's open page without a reload. Runs with JavaScript only (playwright.config.ts);
 * without it the same pages work as before, which the other specs check.
 */

test('a new answer offers itself on an open thread, and the asker’s bell counts it, without a reload', async ({ page, browser }) => {
  const asker = uniqueUsername('asker')
  await register(page, asker)
  const title = `Sync stops after the update ${asker}`
  const threadUrl = await askQuestion(page, title, 'After updating, the sync never finishes and shows no error at all.')
  // The asker leaves the thread for the question list; a visitor reads the thread.
  await page.goto('/questions')
  await expect(bell(page, 0)).toBeVisible()
  const visitor = await browser.newContext().then((context) => context.newPage())
  await visitor.goto(threadUrl)
  await expect(visitor.getByRole('heading', { level: 1, name: title })).toBeVisible()

  const member = await pageAs(browser, demo('member').username, demo('member').password)
  await member.goto(threadUrl)
  await member.getByLabel('Answer', { exact: true }).fill('Remove the stale lock file in the sync folder, then start it again.')
  await member.getByRole('button', { name: 'Post your answer' }).click()
  await expect(member.getByRole('article', { name: 'Answer by member' })).toContainText('stale lock file')
  // The author's own page offers nothing: the answer is already there.
  await expect(member.getByText(/new answers? since you opened this page/)).toHaveCount(0)

  // The visitor is told, and the answer appears only when asked for.
  await expect(visitor.getByText('1 new answer since you opened this page.')).toBeVisible()
  await expect(visitor.getByText('stale lock file')).toHaveCount(0)
  await visitor.getByRole('button', { name: 'Show the new answer' }).click()
  await expect(visitor.getByRole('article', { name: 'Answer by member' })).toContainText('stale lock file')
  await expect(visitor.getByText(/new answers? since you opened this page/)).toHaveCount(0)

  // The asker's bell, on another page, counts the notification.
  await expect(bell(page, 1)).toBeVisible()
})

test('the agents’ ticket queue says when it has changed, and refreshes when asked', async ({ page, browser }) => {
  const agent = await pageAs(browser, demo('agent').username, demo('agent').password)
  await agent.goto('/tickets')
  await expect(agent.getByRole('heading', { level: 1, name: 'Ticket queue' })).toBeVisible()
  const username = uniqueUsername('queue')
  await register(page, username)
  await page.goto('/tickets/new')
  const subject = `Exports come out empty ${username}`
  await page.getByLabel('Subject').fill(subject)
  await page.getByLabel('Priority').selectOption('high')
  await page.getByLabel('What happened?').fill('Every export since Monday is an empty file, whatever the date range.')
  await page.getByRole('button', { name: 'Submit request' }).click()
  await page.waitForURL(/\/tickets\/\d+$/)

  await expect(agent.getByText('This queue has changed.')).toBeVisible()
  await expect(agent.getByRole('link', { name: subject })).toHaveCount(0)
  await agent.getByRole('button', { name: 'Refresh the queue' }).click()
  await expect(agent.getByRole('link', { name: subject })).toBeVisible()
  await expect(agent.getByText('This queue has changed.')).toHaveCount(0)
})

test('the moderation queue says when a report arrives', async ({ page, browser }) => {
  const moderator = await pageAs(browser, demo('moderator').username, demo('moderator').password)
  await moderator.goto('/mod/queue')
  await expect(moderator.getByRole('heading', { level: 1, name: 'Moderation queue' })).toBeVisible()

  await register(page, uniqueUsername('reporter'))
  const threadUrl = await askQuestion(page, `A question to report ${uniqueUsername('t')}`)
  const reporter = await pageAs(browser, demo('member').username, demo('member').password)
  await reporter.goto(threadUrl)
  await reporter.getByRole('link', { name: 'Report question' }).click()
  await reporter.getByLabel(/Spam/).check()
  await reporter.getByRole('button', { name: 'Send report' }).click()
  await expect(reporter.getByText('your report was sent to the moderators')).toBeVisible()

  await expect(moderator.getByText('This queue has changed.')).toBeVisible()
  await moderator.getByRole('button', { name: 'Refresh the queue' }).click()
  await expect(moderator.getByText('This queue has changed.')).toHaveCount(0)
})

test('two people on one ticket see each other: viewing, then replying', async ({ page, browser }) => {
  const username = uniqueUsername('both')
  await register(page, username)
  await page.goto('/tickets/new')
  await page.getByLabel('Subject').fill(`Password reset mail never comes ${username}`)
  await page.getByLabel('Priority').selectOption('medium')
  await page.getByLabel('What happened?').fill('I asked for a reset three times; no mail arrived, not even in spam.')
  await page.getByRole('button', { name: 'Submit request' }).click()
  await page.waitForURL(/\/tickets\/\d+$/)
  const ticketPath = new URL(page.url()).pathname

  const agent = await pageAs(browser, demo('agent').username, demo('agent').password)
  await agent.goto(ticketPath)
  const admin = await pageAs(browser, demo('admin').username, demo('admin').password)
  await admin.goto(ticketPath)

  await expect(agent.getByText('admin is also viewing this ticket.')).toBeVisible()
  await expect(admin.getByText('agent is also viewing this ticket.')).toBeVisible()
  // The requester sees the staff on their ticket too; nobody is told about themselves.
  await expect(page.getByText('agent is also viewing this ticket.')).toBeVisible()
  await expect(agent.getByText('agent is also')).toHaveCount(0)

  await admin.getByLabel('Public reply').fill('Checking the mail logs for your address now.')
  await expect(agent.getByText('admin is also replying to this ticket.')).toBeVisible()
})
