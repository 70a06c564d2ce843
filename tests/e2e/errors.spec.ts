import { demo, expect, logIn, logOut, pageAs, PASSWORD, register, test, uniqueUsername } from './helpers'

test('an unknown address is a 404 page', async ({ page }) => {
  const response = await page.goto('/no/such/page')
  expect(response!.status()).toBe(404)
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await expect(page).toHaveTitle('Page not found · Parley')
  const missingThread = await page.goto('/questions/987654321')
  expect(missingThread!.status()).toBe(404)
  await expect(page).toHaveTitle('Page not found · Parley')
})

test('a member opening the admin page gets a 403 page', async ({ browser }) => {
  const page = await pageAs(browser, demo('member').username, demo('member').password)
  const response = await page.goto('/admin/users')
  expect(response!.status()).toBe(403)
  await expect(page.getByRole('heading', { name: 'You can’t do that' })).toBeVisible()
  await expect(page).toHaveTitle('You can’t do that · Parley')
  await page.context().close()
})

test('bad input on the ask form is a 400 with each error beside its field', async ({ browser }) => {
  const page = await pageAs(browser, demo('member').username, demo('member').password)
  await page.goto('/questions/new')
  await page.getByLabel('Title').fill('Help')
  const response = page.waitForResponse((r) => r.request().method() === 'POST')
  await page.getByRole('button', { name: 'Post your question' }).click()
  expect((await response).status()).toBe(400)
  await expect(page.getByLabel('Title')).toHaveAccessibleDescription(/at least 10 characters/)
  await expect(page.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByLabel('Title')).toHaveValue('Help')
  await expect(page.getByLabel('Body')).toHaveAccessibleDescription(/Describe your question/)
  await expect(page.getByLabel('Category')).toHaveAccessibleDescription('Choose a category.')
  await page.context().close()
})

test('registration errors appear beside the fields', async ({ page }) => {
  await page.goto('/register')
  await page.getByLabel('Username').fill(demo('member').username)
  await page.getByLabel('Email').fill('someone-new@example.test')
  await page.getByLabel('Password', { exact: true }).fill('password1234')
  await page.getByLabel('Confirm password').fill('password1234')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(/too common/)
  await page.getByLabel('Password', { exact: true }).fill('a-much-better-passphrase')
  await page.getByLabel('Confirm password').fill('a-much-better-passphrase')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByLabel('Username')).toHaveAccessibleDescription(/That username is taken\./)
})

test('a wrong password says so without saying which part was wrong', async ({ page }) => {
  await page.goto('/login')
  await page.getByLabel('Username or email').fill(demo('member').username)
  await page.getByLabel('Password').fill('not-the-right-one')
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('alert')).toHaveText('That username or email and password do not match an account.')
})

test('after 10 failed attempts an account is locked with a 429 page that says when to retry', async ({ page, request, baseURL }) => {
  const username = uniqueUsername('locked')
  await register(page, username)
  await logOut(page)
  for (let i = 0; i < 10; i++) {
    const res = await request.post('/login', { headers: { Origin: baseURL! }, form: { identifier: username, password: `wrong-guess-${i}` } })
    expect(res.status()).toBe(400)
  }
  await page.goto('/login')
  await page.getByLabel('Username or email').fill(username)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('heading', { name: 'Too many attempts' })).toBeVisible()
  await expect(page.getByText(/try again after .* UTC \(in about \d+ minutes?\)/)).toBeVisible()
})

test('a form posted from another site is refused', async ({ request }) => {
  const res = await request.post('/logout', { headers: { Origin: 'https://evil.example' } })
  expect(res.status()).toBe(403)
  const noOrigin = await request.post('/questions/new', { form: { title: 'x' } })
  expect(noOrigin.status()).toBe(403)
})

test('logging out through the account menu in the header ends the session', async ({ page }) => {
  await logIn(page, demo('moderator').username, demo('moderator').password)
  await logOut(page)
  await page.goto('/questions/new')
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fquestions%2Fnew/)
})

test('an avatar over 1 MB is a 413 whose message is shown beside the field, and the avatar is unchanged', async ({ browser }) => {
  const page = await pageAs(browser, demo('member').username, demo('member').password)
  await page.goto('/settings')
  const currentAvatar = async () => ((await page.getByRole('img', { name: 'Your current avatar' }).count()) ? page.getByRole('img', { name: 'Your current avatar' }).getAttribute('src') : null)
  const avatarBefore = await currentAvatar()
  // A PNG signature followed by more than 1 MB: the size decides, not the content.
  const huge = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1024 * 1024 + 1)])
  await page.getByLabel('Avatar', { exact: true }).and(page.locator('input')).setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge })
  const response = page.waitForResponse((r) => r.request().method() === 'POST')
  await page.getByRole('button', { name: 'Upload avatar' }).click()
  expect((await response).status()).toBe(413)
  await expect(page.getByLabel('Avatar', { exact: true }).and(page.locator('input'))).toHaveAccessibleDescription(/The image is too large: choose one of at most 1 MB\./)
  await expect(page.getByLabel('Avatar', { exact: true }).and(page.locator('input'))).toHaveAttribute('aria-invalid', 'true')
  await page.goto('/settings')
  expect(await currentAvatar()).toBe(avatarBefore)
  await page.context().close()
})
