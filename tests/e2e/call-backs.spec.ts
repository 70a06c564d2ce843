import { DateTime } from 'luxon'
import { DEFAULT_BUSINESS_CALENDAR } from '../../app/tickets/sla/calendar'
import { demo, expect, logIn, pageAs, test, uniqueUsername } from './helpers'

/** 10:00–11:00 in the support team's zone on the next weekday at least two days ahead, as UTC (this browser's zone). */
function openWindow() {
  const calendar = DEFAULT_BUSINESS_CALENDAR
  let day = DateTime.now().setZone(calendar.timeZone).plus({ days: 2 }).startOf('day')
  while (!calendar.weekdays.includes(day.weekday)) day = day.plus({ days: 1 })
  const start = day.set({ hour: 10 }).setZone('UTC')
  return { date: start.toISODate()!, from: start.toFormat('HH:mm'), to: start.plus({ hours: 1 }).toFormat('HH:mm') }
}

test.use({ timezoneId: 'UTC' })

test('a premium member asks for a call back on a critical request; the agent sees it due in the queue and marks it done', async ({ page, browser }) => {
  await logIn(page, demo('premium').username, demo('premium').password)
  await page.goto('/tickets/new')
  const subject = `Our workspace is down ${uniqueUsername('cb')}`
  await page.getByLabel('Subject').fill(subject)
  // The call-back fields appear once Critical is chosen (CSS only, so the same without JavaScript).
  await expect(page.getByLabel('Phone number')).toBeHidden()
  await page.getByLabel('Priority').selectOption('critical')
  await expect(page.getByLabel('Phone number')).toBeVisible()
  await page.getByLabel('What happened?').fill('Every request to our workspace answers 503 since this morning; the whole team is blocked.')
  const window = openWindow()
  await page.getByLabel('Phone number').fill('555 0100')
  await page.getByLabel('Day').fill(window.date)
  await page.getByLabel('From').fill(window.from)
  await page.getByLabel('To', { exact: true }).fill(window.to)
  await page.getByRole('button', { name: 'Submit request' }).click()
  // A number without its country code is refused beside the field; what was typed stays.
  await expect(page.getByText('Enter the number with its country code, such as +44 20 7946 0958.')).toBeVisible()
  await expect(page.getByLabel('Subject')).toHaveValue(subject)
  await page.getByLabel('Phone number').fill('+44 20 7946 0958')
  await page.getByRole('button', { name: 'Submit request' }).click()
  await page.waitForURL(/\/tickets\/\d+$/)
  const ticketPath = new URL(page.url()).pathname
  const callBack = page.getByRole('region', { name: 'Phone call back' })
  await expect(callBack.getByText(/^Call back by /)).toBeVisible()
  await expect(callBack.getByRole('link', { name: '+442079460958' })).toBeVisible()

  // The agent finds it in the queue with its own due time, and records the call.
  const agent = await pageAs(browser, demo('agent').username, demo('agent').password)
  await agent.goto('/tickets?tier=all')
  const row = agent.getByRole('row').filter({ has: agent.getByRole('link', { name: subject }) })
  await expect(row.getByText(/^Call back by /)).toBeVisible()
  await row.getByRole('link', { name: subject }).click()
  await agent.waitForURL(`**${ticketPath}`)
  const task = agent.getByRole('region', { name: 'Phone call back' })
  await task.getByRole('button', { name: 'Mark call back done' }).click()
  await expect(task.getByText('Say how the call went.')).toBeVisible()
  await task.getByLabel('How did the call go?').fill('Called; the gateway restart fixed it.')
  await task.getByRole('button', { name: 'Mark call back done' }).click()
  await expect(task.getByText('Note: Called; the gateway restart fixed it.')).toBeVisible()
  await expect(task.getByRole('button', { name: 'Mark call back done' })).toHaveCount(0)
  await agent.goto('/tickets?tier=all')
  await expect(agent.getByRole('row').filter({ has: agent.getByRole('link', { name: subject }) }).getByText(/Call back/)).toHaveCount(0)

  // The member sees that we called.
  await page.goto(ticketPath)
  await expect(callBack.getByText('Called', { exact: true })).toBeVisible()
  await agent.context().close()
})

test('a member without premium never sees the call-back fields', async ({ page }) => {
  await logIn(page, demo('member').username, demo('member').password)
  await page.goto('/tickets/new')
  await page.getByLabel('Priority').selectOption('critical')
  await expect(page.getByText('Phone call back')).toHaveCount(0)
  await expect(page.getByLabel('Phone number')).toHaveCount(0)
})
