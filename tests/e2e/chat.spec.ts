import type { Browser, Page } from '@playwright/test'
import { demo, expect, openSupportMenu, pageAs, register, test, uniqueUsername, waitForMail } from './helpers'

/**
 * Live chat (issue 14): a member and an agent chat in two browsers. The same test runs with
 * JavaScript (messages, typing and queue changes arrive by themselves) and without it (the chat
 * page refreshes itself every 5 s and posts through plain forms). The restart and closed-hours
 * cases run against a server of their own: chat-restart.spec.ts.
 */

/** Support is open around the clock (UTC, every day), so the chat can start whenever this runs. */
async function openAroundTheClock(browser: Browser) {
  const admin = await pageAs(browser, demo('admin').username, demo('admin').password)
  await admin.goto('/admin/sla')
  const week = admin.locator('form[aria-labelledby="week-heading"]')
  await week.getByLabel('Time zone').fill('UTC')
  await week.getByLabel('Opens at').fill('00:00')
  await week.getByLabel('Closes at').fill('23:59')
  for (const box of await week.getByRole('checkbox').all()) await box.check()
  await week.getByRole('button', { name: 'Save business hours' }).click()
  await admin.waitForURL(/saved=1/)
  await admin.context().close()
}

async function agentAvailable(browser: Browser) {
  const agent = await pageAs(browser, demo('agent').username, demo('agent').password)
  await agent.goto('/staff/chats')
  await agent.getByLabel('Chat status').selectOption('available')
  await agent.getByLabel('Capacity (chats at once)').fill('10')
  await agent.getByRole('button', { name: 'Save availability' }).click()
  await expect(agent.getByRole('status').filter({ hasText: 'You are available for chats' })).toBeVisible()
  return agent
}

/** Without JavaScript the page refreshes itself; with it, it updates in place. Either way it shows up. */
const soon = { timeout: 20_000 }

async function startChat(page: Page, message: string) {
  await page.goto('/support/chat')
  await page.getByLabel('Your first message').fill(message)
  await page.getByRole('button', { name: 'Start a chat' }).click()
  await page.waitForURL(/\/support\/chat\/\d+$/)
  await expect(page.getByText('Waiting for an agent')).toBeVisible()
  await expect(page.getByText(/You are number \d+ in the queue; the estimated wait is about/)).toBeVisible()
}

test('a member and an agent chat, the member ends it, gets the transcript and rates it', async ({ page, browser, javaScriptEnabled }) => {
  await openAroundTheClock(browser)
  const agent = await agentAvailable(browser)
  const member = uniqueUsername('chat')
  await register(page, member)
  // The chat is in the header's Support menu on every page.
  await openSupportMenu(page)
  await page.getByRole('banner').getByRole('link', { name: 'Live chat' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Live chat with support' })).toBeVisible()
  await startChat(page, `My exports are empty since Monday (${member}).`)
  const chatUrl = page.url()

  // The agent finds the member in the waiting list and accepts.
  await agent.goto('/staff/chats')
  await agent.getByRole('button', { name: `Accept chat with ${member}` }).click()
  await agent.waitForURL(chatUrl)
  await expect(agent.getByRole('heading', { level: 1, name: `Chat with ${member}` })).toBeVisible()
  await expect(agent.getByText(`My exports are empty since Monday (${member}).`)).toBeVisible()

  await expect(page.getByText(`You are chatting with ${demo('agent').username} from our support team.`)).toBeVisible(soon)
  if (javaScriptEnabled) {
    await agent.getByLabel('Message', { exact: true }).pressSequentially('Let me')
    await expect(page.getByText('The agent is typing…')).toBeVisible()
  }
  await agent.getByLabel('Message', { exact: true }).fill('Let me look at your export settings.')
  await agent.getByRole('button', { name: 'Send message' }).click()
  await expect(agent.getByLabel('Message', { exact: true })).toHaveValue('')
  await expect(agent.getByText('Let me look at your export settings.')).toHaveCount(1)
  await expect(page.getByText('Let me look at your export settings.')).toHaveCount(1, soon)

  await page.getByLabel('Message', { exact: true }).fill('Thanks, the range is the last 30 days.')
  await page.getByRole('button', { name: 'Send message' }).click()
  await expect(page.getByLabel('Message', { exact: true })).toHaveValue('')
  await expect(page.getByText('Thanks, the range is the last 30 days.')).toHaveCount(1)
  await expect(agent.getByText('Thanks, the range is the last 30 days.')).toHaveCount(1, soon)
  // An empty message is refused beside the field.
  await page.getByRole('button', { name: 'Send message' }).click()
  await expect(page.getByText('Write a message first.')).toBeVisible()

  await page.getByRole('button', { name: 'End chat' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Ended' })).toBeVisible()
  await expect(agent.getByRole('status').filter({ hasText: 'Ended' })).toBeVisible(soon)

  const mail = await waitForMail((m) => m.to.includes(`${member}@example.test`) && m.subject.startsWith('Your chat with Parley support'))
  expect(mail.text).toContain('Let me look at your export settings.')
  const rateLink = mail.text.match(/https?:\/\/\S+\/support\/chat\/\d+\/rate/)![0]
  await page.goto(new URL(rateLink).pathname)
  await page.getByLabel('Rating').selectOption('5')
  await page.getByLabel('Comment (optional)').fill('Quick and kind.')
  await page.getByRole('button', { name: 'Send rating' }).click()
  await expect(page.getByText('Your rating of this chat has been recorded.')).toBeVisible()

  // "My requests" lists the chat.
  await page.goto('/tickets')
  await expect(page.getByRole('heading', { name: 'Chats' })).toBeVisible()
  await expect(page.getByRole('link', { name: `My exports are empty since Monday (${member}).` })).toBeVisible()
  await agent.context().close()
})

test('an agent converts a chat to a ticket that keeps the chat’s clock and its transcript', async ({ page, browser }) => {
  await openAroundTheClock(browser)
  const agent = await agentAvailable(browser)
  const member = uniqueUsername('conv')
  await register(page, member)
  await startChat(page, `Billing shows the wrong plan for ${member}.`)
  const chatUrl = page.url()
  const chatStarted = await page.locator('.chat-page p.muted time').getAttribute('datetime')
  await agent.goto('/staff/chats')
  await agent.getByRole('button', { name: `Accept chat with ${member}` }).click()
  await agent.waitForURL(chatUrl)
  await page.getByLabel('Message', { exact: true }).fill('It says Free but I pay for Team.')
  await page.getByRole('button', { name: 'Send message' }).click()
  await expect(page.getByLabel('Message', { exact: true })).toHaveValue('')
  await expect(agent.getByText('It says Free but I pay for Team.')).toHaveCount(1, soon)
  await agent.getByLabel('Ticket priority').selectOption('critical')
  await agent.getByRole('button', { name: 'Convert to ticket' }).click()
  await agent.waitForURL(/\/tickets\/\d+$/)
  const ticketPath = new URL(agent.url()).pathname
  await expect(agent.getByText(`Billing shows the wrong plan for ${member}.`, { exact: true })).toBeVisible()
  await expect(agent.getByText('It says Free but I pay for Team.')).toBeVisible()
  // The clock started with the chat: waiting since the chat's start, critical's 15 minutes from then.
  await expect(agent.locator('dt:has-text("Waiting since") + dd time')).toHaveAttribute('datetime', chatStarted!)
  const due = new Date(new Date(chatStarted!).getTime() + 15 * 60_000).toISOString()
  await expect(agent.locator('dt:has-text("First response due") + dd time')).toHaveAttribute('datetime', due)
  await expect(agent.getByText('converted a live chat into this ticket')).toBeVisible()
  await agent.getByRole('link', { name: 'see the chat' }).click()
  await agent.waitForURL(chatUrl)

  // The member's chat points at the ticket.
  await page.goto(chatUrl)
  await expect(page.getByRole('link', { name: /ticket #\d+/ })).toHaveAttribute('href', ticketPath)
  await agent.context().close()
})
