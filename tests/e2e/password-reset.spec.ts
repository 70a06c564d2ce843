import { bell, expect, logIn, logOut, PASSWORD, pageAs, register, test, uniqueUsername, waitForMail } from './helpers'

test('forgot password → mail → new password → logged in here, logged out everywhere else', async ({ page, browser }) => {
  const username = uniqueUsername('forgot')
  const email = `${username}@example.test`
  const newPassword = 'copper-meadow-sparrow-17'
  await register(page, username)
  // The same member on a second device.
  const otherDevice = await pageAs(browser, username, PASSWORD)

  await test.step('logged out, the member asks for a reset link from the login page', async () => {
    await logOut(page)
    await page.goto('/login')
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible()
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByRole('button', { name: 'Send reset link' }).click()
    await expect(page.getByRole('status')).toHaveText('If an account uses that address, we have sent a link to reset its password. It works for one hour.')
  })

  await test.step('the link in the mail sets a new password and logs the member in', async () => {
    const mail = await waitForMail((m) => m.to.includes(email) && m.subject === 'Reset your Parley password')
    const link = mail.text.match(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/)![0]
    await page.goto(new URL(link).pathname)
    await page.getByLabel('New password', { exact: true }).fill(newPassword)
    await page.getByLabel('Confirm new password').fill(newPassword)
    await page.getByRole('button', { name: 'Set new password' }).click()
    await expect(page.getByText('Your new password is set and you are logged in. Every other device has been logged out.')).toBeVisible()
    await expect(bell(page)).toBeVisible()

    // The link works once.
    await page.goto(new URL(link).pathname)
    await expect(page.getByText('This reset link has expired or was already used.')).toBeVisible()
    await expect(page.getByRole('link', { name: 'Ask for a new reset link' })).toBeVisible()
  })

  await test.step('the other device is logged out', async () => {
    await otherDevice.reload()
    await expect(otherDevice.getByRole('link', { name: 'Log in' })).toBeVisible()
    await expect(bell(otherDevice)).toHaveCount(0)
    await otherDevice.context().close()
  })

  await test.step('the old password no longer logs in; the new one does', async () => {
    await logOut(page)
    await page.goto('/login')
    await page.getByLabel('Username or email').fill(username)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect(page.getByRole('alert')).toHaveText('That username or email and password do not match an account.')
    await logIn(page, username, newPassword)
  })
})
