import { askQuestion, demo, expect, pageAs, register, test, uniqueUsername, waitForMail, watch } from './helpers'

test('a thread becomes a ticket: agent reply by mail, requester reopens, solve, rating', async ({ page, browser }) => {
  // The member asks on the forum.
  const username = uniqueUsername('cust')
  const email = `${username}@example.test`
  await register(page, username)
  const title = `Invoices vanished from billing ${username}`
  const threadUrl = await askQuestion(page, title, 'Since this morning the billing page lists no invoices at all, even old ones.')

  // An agent takes it to a private ticket.
  const agent = await pageAs(browser, demo('agent').username, demo('agent').password)
  await agent.goto(threadUrl)
  await agent.getByLabel('Ticket priority').selectOption('high')
  await agent.getByRole('button', { name: 'Convert to ticket' }).click()
  await agent.waitForURL(/\/tickets\/\d+$/)
  await expect(agent.getByRole('heading', { level: 1, name: title })).toBeVisible()
  const ticketPath = new URL(agent.url()).pathname
  const number = ticketPath.split('/').pop()!
  await expect(agent.getByText('converted the forum thread into this ticket')).toBeVisible()
  const opened = await waitForMail((m) => m.to.includes(email) && m.subject.includes(`[#${number}]`))
  expect(opened.text).toContain(`ticket #${number}`)

  // The asker sees the notice on the thread, and the ticket.
  await page.goto(threadUrl)
  await page.getByRole('link', { name: `#${number}` }).click()
  await page.waitForURL(`**${'/tickets/'}${number}`)
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()

  // The agent replies (waiting on the customer) and writes an internal note.
  await agent.getByLabel('Public reply').fill('Could you tell us which browser you use? We are checking the invoice service.')
  await agent.getByLabel('Status after replying').selectOption('pending')
  await agent.getByRole('button', { name: 'Send reply' }).click()
  await expect(agent.getByText('changed the status from Open to Pending')).toBeVisible()
  await agent.getByLabel('Note for the team').fill('Invoice service logs show a timeout for this account.')
  await agent.getByRole('button', { name: 'Add internal note' }).click()
  await expect(agent.getByText('Invoice service logs show a timeout')).toBeVisible()

  const replyMail = await waitForMail((m) => m.to.includes(email) && m.text.includes('which browser you use'))
  expect(replyMail.subject).toContain(`[#${number}]`)
  expect(replyMail.text).not.toContain('timeout for this account')

  // The requester answers on the ticket page, which reopens it; the internal note is not there.
  await page.goto(ticketPath)
  await expect(page.getByText('which browser you use')).toBeVisible()
  await expect(page.getByText('timeout for this account')).toHaveCount(0)
  await page.getByLabel('Your reply').fill('Chromium on Debian, and the invoices are still missing.')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(page.getByText('changed the status from Pending to Open')).toBeVisible()

  // The agent solves it; the requester gets the survey and rates from the ticket page.
  await agent.reload()
  await agent.getByLabel('Status', { exact: true }).selectOption('solved')
  await agent.getByRole('button', { name: 'Change status' }).click()
  await expect(agent.getByText('changed the status from Open to Solved')).toBeVisible()
  const solvedMail = await waitForMail((m) => m.to.includes(email) && m.subject.startsWith('Solved:'))
  expect(solvedMail.text).toContain(`/tickets/${number}/rate?token=`)

  await page.goto(ticketPath)
  await page.getByLabel('Rating').selectOption('5')
  await page.getByLabel('Comment (optional)').fill('Fast and friendly.')
  await page.getByRole('button', { name: 'Send rating' }).click()
  await expect(page.getByText('Rated 5 out of 5: “Fast and friendly.”')).toBeVisible()
  await agent.context().close()
})

test("a member is denied another member's ticket", async ({ page, browser }) => {
  await register(page, uniqueUsername('owner'))
  await page.goto('/tickets/new')
  await page.getByLabel('Subject').fill('My account is locked')
  await page.getByLabel('Priority').selectOption('high')
  await page.getByLabel('What happened?').fill('I cannot sign in since yesterday; the page says my account is locked.')
  await page.getByRole('button', { name: 'Submit request' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'My account is locked' })).toBeVisible()
  const ticketPath = new URL(page.url()).pathname

  const other = await pageAs(browser, demo('member').username, demo('member').password)
  const response = await other.goto(ticketPath)
  expect(response?.status()).toBe(404)
  await expect(other.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await expect(other.getByText('My account is locked')).toHaveCount(0)
  await other.context().close()
})

test('a requester rates from the link in the "Solved" mail, in a browser that never signed in', async ({ page, browser }) => {
  const username = uniqueUsername('rater')
  const email = `${username}@example.test`
  await register(page, username)
  await page.goto('/tickets/new')
  await page.getByLabel('Subject').fill(`Receipts arrive twice ${username}`)
  await page.getByLabel('Priority').selectOption('low')
  await page.getByLabel('What happened?').fill('Every receipt mail reaches me twice, a minute apart, since last week.')
  await page.getByRole('button', { name: 'Submit request' }).click()
  await page.waitForURL(/\/tickets\/\d+$/)
  const ticketPath = new URL(page.url()).pathname
  const number = ticketPath.split('/').pop()!

  const agent = await pageAs(browser, demo('agent').username, demo('agent').password)
  await agent.goto(ticketPath)
  await agent.getByLabel('Status', { exact: true }).selectOption('solved')
  await agent.getByRole('button', { name: 'Change status' }).click()
  await expect(agent.getByText('changed the status from Open to Solved')).toBeVisible()
  await agent.context().close()

  const solvedMail = await waitForMail((m) => m.to.includes(email) && m.subject.startsWith('Solved:') && m.text.includes(`/tickets/${number}/rate?token=`))
  const link = solvedMail.text.match(/https?:\/\/\S+\/tickets\/\d+\/rate\?token=[\w-]+/)![0]

  // As from a mail client on another device: no cookies at all.
  const inbox = await browser.newContext()
  expect(await inbox.cookies()).toEqual([])
  const visitor = await inbox.newPage()
  watch(visitor)
  await visitor.goto(link)
  expect(new URL(visitor.url()).pathname).toBe(`/tickets/${number}/rate`)
  await expect(visitor.getByRole('heading', { level: 1, name: 'Rate our help' })).toBeVisible()
  await visitor.getByLabel('Rating').selectOption('4')
  await visitor.getByLabel('Comment (optional)').fill('Sorted in a day.')
  await visitor.getByRole('button', { name: 'Send rating' }).click()
  await expect(visitor.getByRole('status')).toHaveText(`Your rating of request #${number} has been recorded.`)
  await inbox.close()

  await page.goto(ticketPath)
  await expect(page.getByText('Rated 4 out of 5: “Sorted in a day.”')).toBeVisible()
})
