import { expect, openAccountMenu, PASSWORD, test, uniqueUsername, waitForMail } from './helpers'

// Someone who writes in without an account: the links in our mail open their ticket and claim an
// account, in the browser, with JavaScript and without (the no-javascript project runs this too).

const INBOUND_SECRET = 'e2e-inbound-secret'

test('a mail-only requester opens their ticket from the mail, replies, then claims an account that lists their requests', async ({ page, request }) => {
  const username = uniqueUsername('walkin')
  const email = `${username}@example.test`
  const subject = `Scanner jams ${username}`

  const opened = await request.post('/api/inbound-email', {
    headers: { Authorization: `Bearer ${INBOUND_SECRET}` },
    data: { from: `Walk In <${email}>`, to: 'support@parley.test', subject, text: 'The scanner jams on every page.', 'message-id': `<${username}@client.example.test>` },
  })
  expect(opened.status()).toBe(201)
  const { ticket: number } = await opened.json()

  const mail = await waitForMail((m) => m.to.includes(email) && m.subject === `Received: [#${number}] ${subject}`)
  const ticketLink = new URL(mail.text.match(/https?:\/\/\S+\/tickets\/\d+\/view\?token=[\w-]+/)![0])
  const claimLink = new URL(mail.text.match(/https?:\/\/\S+\/claim-account\/[\w-]+/)![0])

  await test.step('the ticket link shows the request and takes a reply, without logging in', async () => {
    await page.goto(ticketLink.pathname + ticketLink.search)
    await expect(page.getByRole('heading', { level: 1, name: `#${number} ${subject}` })).toBeVisible()
    await expect(page.getByText('The scanner jams on every page.')).toBeVisible()
    await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible()

    await page.getByRole('button', { name: 'Send reply' }).click()
    await expect(page.getByText('Write a message first.')).toBeVisible()
    await page.getByLabel('Your reply').fill('It also jams with thin paper.')
    await page.getByRole('button', { name: 'Send reply' }).click()
    await expect(page.getByRole('status')).toHaveText('Your reply has been added.')
    await expect(page.getByText('It also jams with thin paper.')).toBeVisible()
  })

  await test.step('a made-up link opens nothing', async () => {
    const response = await page.goto(`/tickets/${number}/view?token=not-a-real-token`)
    expect(response!.status()).toBe(404)
  })

  await test.step('the claim link sets a username and password, logs in and lists the request', async () => {
    await page.goto(claimLink.pathname)
    await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible()
    await expect(page.getByText(`For ${email}: your request will be listed under your account`)).toBeVisible()
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Confirm password').fill('not the same password')
    await page.getByRole('button', { name: 'Create account' }).click()
    await expect(page.getByText('The passwords do not match.')).toBeVisible()

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Confirm password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'My support requests' })).toBeVisible()
    await openAccountMenu(page)
    await page.getByRole('link', { name: `#${number} ${subject}` }).click()
    await expect(page.getByText('It also jams with thin paper.')).toBeVisible()
  })

  await test.step('the claim link worked once', async () => {
    await page.goto(claimLink.pathname)
    await expect(page.getByRole('status')).toContainText('This link has expired or was already used.')
  })
})
