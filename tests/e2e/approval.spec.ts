import type { Page } from '@playwright/test'
import { askQuestion, demo, expect, PASSWORD, pageAs, register, test, uniqueUsername } from './helpers'

/**
 * The approval queue, spam rules and watched words (decision 031). Members signing up in the other
 * specs use example.test, which this server exempts from the new-member rule; here a newcomer signs
 * up at another domain, so their first post waits.
 */
async function registerNewcomer(page: Page, username: string) {
  await page.goto('/register')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Email').fill(`${username}@newcomer.test`)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByLabel('Confirm password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('banner').getByText(username, { exact: true })).toBeVisible()
}

test('a new member’s first question waits for approval and appears only after it', async ({ page, browser }) => {
  const name = uniqueUsername('newbie')
  await registerNewcomer(page, name)
  const title = `My printer drops off the network ${uniqueUsername('q')}`
  const threadUrl = await askQuestion(page, title, 'Every morning the printer is gone from the list and I have to restart it to get it back.')
  await expect(page.getByText('Awaiting approval.')).toBeVisible()
  await expect(page.getByText('Only you and the moderators can see this question')).toBeVisible()

  // Nobody else sees it: a visitor gets the page every missing question gets.
  const visitor = await browser.newContext().then((c) => c.newPage())
  expect((await visitor.goto(threadUrl))?.status()).toBe(404)
  await visitor.goto('/questions')
  await expect(visitor.getByRole('link', { name: title })).toHaveCount(0)

  const moderator = await pageAs(browser, demo('moderator').username, demo('moderator').password)
  await moderator.goto('/mod/queue?kind=queued-post')
  await moderator.getByRole('link', { name: new RegExp(`Question by ${name}`) }).click()
  await expect(moderator.getByRole('heading', { name: /Post awaiting approval/ })).toBeVisible()
  await expect(moderator.getByText(/A new member’s post/)).toBeVisible()
  await moderator.getByLabel('Decision').selectOption('approve')
  await moderator.getByRole('button', { name: 'Apply decision' }).click()
  await expect(moderator.getByText('Resolved: approve')).toBeVisible()

  expect((await visitor.goto(threadUrl))?.status()).toBe(200)
  await expect(visitor.getByRole('heading', { level: 1, name: title })).toBeVisible()
  await expect(visitor.getByText('Awaiting approval.')).toHaveCount(0)
  await page.reload()
  await expect(page.getByText('Awaiting approval.')).toHaveCount(0)
})

test('a rejected question never appears, and its author reads why', async ({ page, browser }) => {
  const name = uniqueUsername('newbie')
  await registerNewcomer(page, name)
  const title = `Cheap licence keys for sale ${uniqueUsername('q')}`
  const threadUrl = await askQuestion(page, title, 'Message me for cheap licence keys, every product, instant delivery.')
  const moderator = await pageAs(browser, demo('moderator').username, demo('moderator').password)
  await moderator.goto('/mod/queue?kind=queued-post')
  await moderator.getByRole('link', { name: new RegExp(`Question by ${name}`) }).click()
  await moderator.getByLabel('Decision').selectOption('reject')
  await moderator.getByRole('button', { name: 'Apply decision' }).click()
  // A rejection needs a reason: said beside the field, nothing changed.
  await expect(moderator.getByText('Give a reason of at least 5 characters; the author will see it.')).toBeVisible()
  await moderator.getByLabel('Reason (needed to reject; the author sees it)').fill('Selling licence keys is not allowed here.')
  await moderator.getByRole('button', { name: 'Apply decision' }).click()
  await expect(moderator.getByText('Resolved: reject')).toBeVisible()

  expect((await page.goto(threadUrl))?.status()).toBe(404)
  await page.goto('/me/moderation')
  await expect(page.getByText('Selling licence keys is not allowed here.').first()).toBeVisible()
})

test('watched words block, hold, flag and censor as configured', async ({ page, browser }) => {
  const stem = `zw${Date.now().toString(36)}`
  const admin = await pageAs(browser, demo('admin').username, demo('admin').password)
  const watch = async (word: string, action: string) => {
    await admin.goto('/admin/watched-words')
    await admin.getByLabel('Word or phrase').fill(word)
    await admin.getByLabel('What it does').selectOption(action)
    await admin.getByRole('button', { name: 'Watch word' }).click()
    await expect(admin.getByText(`“${word}” is watched.`)).toBeVisible()
  }
  await watch(`${stem}block`, 'block')
  await watch(`${stem}hold`, 'require-approval')
  await watch(`${stem}flag`, 'flag')
  await watch(`${stem}censor`, 'censor')

  try {
    // Block: the form stays, with the word named beside the field.
    await register(page, uniqueUsername('worder'))
    await page.goto('/questions/new')
    await page.getByLabel('Title').fill(`How do I configure ${stem.toUpperCase()}BLOCK properly?`)
    await page.getByLabel('Body').fill('The details of what happened, and what I tried already.')
    await page.getByLabel('Category').selectOption({ label: 'Technical' })
    await page.getByRole('button', { name: 'Post your question' }).click()
    await expect(page.getByText(`“${stem}block” is not allowed here. Take it out to post.`)).toBeVisible()
    await expect(page.getByLabel('Title')).toHaveValue(`How do I configure ${stem.toUpperCase()}BLOCK properly?`)

    // Require approval: posted, waiting.
    await askQuestion(page, `A question that mentions ${stem}hold once`)
    await expect(page.getByText('Awaiting approval.')).toBeVisible()

    // Flag: published, and a report item waits for the moderators.
    const flagger = await browser.newContext().then((c) => c.newPage())
    const flaggerName = uniqueUsername('flagger')
    await register(flagger, flaggerName)
    const flaggedTitle = `A question that mentions ${stem}flag once`
    await askQuestion(flagger, flaggedTitle)
    await expect(flagger.getByText('Awaiting approval.')).toHaveCount(0)
    const moderator = await pageAs(browser, demo('moderator').username, demo('moderator').password)
    await moderator.goto('/mod/queue?kind=report')
    await moderator.getByRole('link', { name: new RegExp(`Question by ${flaggerName}`) }).click()
    await expect(moderator.getByText(`Watched word “${stem}flag” flagged this post.`)).toBeVisible()

    // Censor: shown masked, the typed text kept for editing.
    const censorer = await browser.newContext().then((c) => c.newPage())
    await register(censorer, uniqueUsername('censorer'))
    await askQuestion(censorer, `Question about masking ${uniqueUsername('c')}`, `The details: ${stem}censor appears here, and what I tried already.`)
    await expect(censorer.getByText(`The details: ${'■'.repeat(stem.length + 6)} appears here`)).toBeVisible()
    await expect(censorer.getByText(`${stem}censor`)).toHaveCount(0)
  } finally {
    await admin.goto('/admin/watched-words')
    for (const suffix of ['block', 'hold', 'flag', 'censor']) {
      await admin.getByRole('button', { name: `Stop watching “${stem}${suffix}”` }).click()
      await expect(admin.getByText(`“${stem}${suffix}” is no longer watched.`)).toBeVisible()
    }
  }
})
