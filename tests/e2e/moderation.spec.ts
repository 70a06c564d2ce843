import { askQuestion, demo, expect, pageAs, PASSWORD, register, test, uniqueUsername, untilHydrated } from './helpers'

test('report → hide with a reason → the author appeals → a second moderator overturns → visible again, all in the audit log', async ({ page, browser }) => {
  // An asker, an answerer (the author) and a reporter, each in their own browser session.
  await register(page, uniqueUsername('asker'))
  const threadUrl = await askQuestion(page, `Which cable do I need for the dock ${uniqueUsername('q')}?`)

  const author = await browser.newContext().then((c) => c.newPage())
  const authorName = uniqueUsername('author')
  await register(author, authorName)
  await author.goto(threadUrl)
  const answerText = `Any USB-C cable rated for 100 W works, ${authorName}.`
  await author.getByRole('textbox', { name: 'Answer' }).fill(answerText)
  await author.getByRole('button', { name: 'Post your answer' }).click()
  await expect(author.getByText(answerText)).toBeVisible()

  const reporter = await browser.newContext().then((c) => c.newPage())
  await register(reporter, uniqueUsername('reporter'))
  await reporter.goto(threadUrl)
  await reporter.getByRole('link', { name: 'Report answer' }).click()
  await reporter.getByLabel(/Harassment or abuse/).check()
  await reporter.getByLabel('Note for the moderators').fill('This answer mocks the asker in its last line.')
  await reporter.getByRole('button', { name: 'Send report' }).click()
  await expect(reporter.getByText('your report was sent to the moderators')).toBeVisible()

  // The first moderator hides it, with a reason the author will read.
  const moderator = await pageAs(browser, demo('moderator').username, demo('moderator').password)
  await moderator.goto('/mod/queue')
  await moderator.getByRole('link', { name: new RegExp(`Answer by ${authorName}`) }).click()
  await expect(moderator.getByText('This answer mocks the asker')).toBeVisible()
  await untilHydrated(moderator)
  await moderator.getByLabel('Action').selectOption('hide')
  await moderator.getByLabel('Reason (shown to the member it affects)').fill('Personal remarks about another member are not allowed here.')
  await moderator.getByRole('button', { name: 'Apply decision' }).click()
  await expect(moderator.getByText('Resolved: hide')).toBeVisible()

  // Visitors no longer see the answer; the author sees it with the reason, and appeals.
  const visitor = await browser.newContext().then((c) => c.newPage())
  await visitor.goto(threadUrl)
  await expect(visitor.getByText(answerText)).toHaveCount(0)
  await author.goto(threadUrl)
  await expect(author.getByText('This answer is hidden from other members: Personal remarks about another member are not allowed here.')).toBeVisible()
  await author.goto('/me/moderation')
  await expect(author.getByText('Reason: Personal remarks about another member are not allowed here.')).toBeVisible()
  await author.getByLabel('Why should this decision change?').fill('The last line quotes the asker’s own words back; it was not meant as mockery.')
  await author.getByRole('button', { name: 'Appeal' }).click()
  await expect(author.getByText('Your appeal: waiting for a moderator')).toBeVisible()

  // The moderator who hid it cannot decide the appeal.
  await moderator.goto('/mod/queue?kind=appeal')
  await moderator.getByRole('link', { name: new RegExp(`${authorName} appeals`) }).click()
  await expect(moderator.getByText('You took this action, so another moderator must decide the appeal.')).toBeVisible()
  await expect(moderator.getByRole('button', { name: 'Decide appeal' })).toHaveCount(0)

  // An admin makes a second moderator, who overturns the decision.
  const secondName = uniqueUsername('mod')
  const second = await browser.newContext().then((c) => c.newPage())
  await register(second, secondName)
  const admin = await pageAs(browser, demo('admin').username, demo('admin').password)
  await admin.goto(`/admin/users?q=${secondName}`)
  const access = admin.getByRole('form', { name: `Access for ${secondName}` })
  await untilHydrated(admin)
  await access.getByLabel('Role').selectOption('moderator')
  await access.getByRole('button', { name: `Save ${secondName}` }).click()
  // Wait for the save to land (the select shows the new value before it does).
  await expect(admin.getByRole('status')).toHaveText(`Saved access for ${secondName}.`)
  await expect(admin.getByRole('form', { name: `Access for ${secondName}` }).getByLabel('Role')).toHaveValue('moderator')

  await second.goto('/mod/queue?kind=appeal')
  await second.getByRole('link', { name: new RegExp(`${authorName} appeals`) }).click()
  await untilHydrated(second)
  await second.getByLabel('Outcome').selectOption('overturned')
  await second.getByLabel('Explanation (shown to the member)').fill('Read in context, the quote is fair; restoring the answer.')
  await second.getByRole('button', { name: 'Decide appeal' }).click()
  await expect(second.getByText('Resolved: overturned')).toBeVisible()

  // The answer is back for everyone, and the author is told.
  await visitor.goto(threadUrl)
  await expect(visitor.getByText(answerText)).toBeVisible()
  await author.goto('/me/moderation')
  await expect(author.getByText('Your appeal: successful, the decision was reversed')).toBeVisible()

  // The audit log shows the three steps.
  await moderator.goto(`/mod/audit?member=${authorName}`)
  const log = moderator.getByRole('table')
  await expect(log.getByRole('row', { name: /appeal-overturned/ })).toBeVisible()
  await expect(log.getByRole('row', { name: /unhide \(reverses #\d+\)/ })).toBeVisible()
  await expect(log.getByRole('row', { name: /\bhide\b.*Personal remarks/ })).toBeVisible()

  for (const p of [author, reporter, moderator, visitor, second, admin]) await p.context().close()
})

test('two moderators decide the same report: the second is told who was quicker and that nothing of theirs was applied', async ({ page, browser }) => {
  await register(page, uniqueUsername('asker'))
  const title = `Why does my router reboot at night ${uniqueUsername('q')}?`
  const threadUrl = await askQuestion(page, title)
  const reporter = await browser.newContext().then((c) => c.newPage())
  await register(reporter, uniqueUsername('reporter'))
  await reporter.goto(threadUrl)
  await reporter.getByRole('link', { name: 'Report question' }).click()
  await reporter.getByLabel(/Spam/).check()
  await reporter.getByRole('button', { name: 'Send report' }).click()
  await expect(reporter.getByText('your report was sent to the moderators')).toBeVisible()

  // Both open the item while it is pending.
  const [first, second] = [await pageAs(browser, demo('moderator').username, demo('moderator').password), await pageAs(browser, demo('admin').username, demo('admin').password)]
  for (const p of [first, second]) {
    await p.goto('/mod/queue')
    await p.getByRole('link', { name: new RegExp(title.replace(/[?]/g, '\\?')) }).click()
    await expect(p.getByRole('button', { name: 'Apply decision' })).toBeVisible()
  }
  await untilHydrated(first)
  await first.getByLabel('Action').selectOption('hide')
  await first.getByLabel('Reason (shown to the member it affects)').fill('Advertising for a router shop, not a question.')
  await first.getByRole('button', { name: 'Apply decision' }).click()
  await expect(first.getByText('Resolved: hide')).toBeVisible()

  await untilHydrated(second)
  await second.getByLabel('Action').selectOption('dismiss')
  await second.getByLabel('Reason (shown to the member it affects)').fill('A fair question about a router.')
  await second.getByRole('button', { name: 'Apply decision' }).click()
  // Once the page shows the decided item (with JavaScript, the refusal used to flash and vanish
  // when the page's data was fetched again), the refusal is still there.
  await expect(second.getByText('Resolved: hide')).toBeVisible()
  await expect(second.getByRole('alert')).toHaveText(`Someone was quicker: ${demo('moderator').username} already decided this item (hide). Nothing you sent was applied.`)

  for (const p of [reporter, first, second]) await p.context().close()
})

test('a member banned while typing is locked out: the post is refused and every page leads to their record, where they can appeal', async ({ page, browser }) => {
  const name = uniqueUsername('spammer')
  await register(page, name)
  const threadUrl = await askQuestion(page, `Where do I find the dock firmware ${name}?`)
  await page.goto('/questions/new')
  await page.getByLabel('Title').fill('Cheap watches, best prices, visit my shop')
  await page.getByLabel('Body').fill('Thousands of watches at half price, only this week in my shop.')
  await page.getByLabel('Category').selectOption({ label: 'Technical' })

  // Meanwhile a member reports the profile and a moderator bans it.
  const reporter = await browser.newContext().then((c) => c.newPage())
  await register(reporter, uniqueUsername('reporter'))
  await reporter.goto(`/u/${name}`)
  await reporter.getByRole('link', { name: 'Report profile' }).click()
  await reporter.getByLabel(/^Spam/).check()
  await reporter.getByRole('button', { name: 'Send report' }).click()
  await expect(reporter.getByText('your report was sent to the moderators')).toBeVisible()
  await reporter.context().close()
  const moderator = await pageAs(browser, demo('moderator').username, demo('moderator').password)
  await moderator.goto('/mod/queue')
  await moderator.getByRole('link', { name: new RegExp(`Profile of ${name}`) }).click()
  await untilHydrated(moderator)
  await moderator.getByLabel('Reason (shown to the member it affects)').fill('Spam accounts are not welcome.')
  await moderator.getByLabel('Action').selectOption('ban')
  await expect(moderator.getByLabel('Action')).toHaveValue('ban')
  // The ban offers to screen the member's address, so they cannot come back under a new name with it.
  await moderator.getByRole('group', { name: 'With a ban, also screen' }).getByRole('checkbox', { name: /^Their email address/ }).check()
  await moderator.getByRole('button', { name: 'Apply decision' }).click()
  await expect(moderator.getByText('Resolved: ban')).toBeVisible()
  await moderator.context().close()
  const again = await browser.newContext().then((c) => c.newPage())
  await again.goto('/register')
  await again.getByLabel('Username').fill(uniqueUsername('again'))
  await again.getByLabel('Email').fill(`${name}@example.test`)
  await again.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await again.getByLabel('Confirm password').fill(PASSWORD)
  await again.getByRole('button', { name: 'Create account' }).click()
  await expect(again.getByText('We cannot accept a sign-up with this address. If you think this is a mistake, contact support.')).toBeVisible()
  await again.context().close()

  // A ban locks the member out (decision 032): the post they were writing is refused, and every page
  // sends them to their moderation record, where the reason stands and they can appeal.
  await page.getByRole('button', { name: 'Post your question' }).click()
  await expect(page).toHaveURL(/\/me\/moderation$/)
  await expect(page.getByText(/^Your account is banned: /)).toHaveText('Your account is banned: Spam accounts are not welcome. You can still read your record and appeal below, and export or delete your data from your settings.')
  for (const address of ['/questions/new', threadUrl]) {
    await page.goto(address)
    await expect(page).toHaveURL(/\/me\/moderation$/)
  }
  await expect(page.getByRole('button', { name: 'Post your question' })).toHaveCount(0)
})
