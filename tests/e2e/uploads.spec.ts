import type { Browser, Locator, Page } from '@playwright/test'
import { askQuestion, expect, register, test, uniqueUsername, watch } from './helpers'

// A tiny real PNG (4×4, green), as a browser would pick, paste or drop it.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEElEQVQImWNQWpUGRwzEcQDtQxMh4a4qxAAAAABJRU5ErkJggg==', 'base64')

async function newMember(browser: Browser, javaScriptEnabled: boolean) {
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage()
  watch(page)
  await register(page, uniqueUsername('upl'))
  return page
}

/** A question asked by another new member (a member's first post is not held back by the posting interval). */
async function someonesQuestion(browser: Browser, title: string) {
  const asker = await newMember(browser, true)
  const url = await askQuestion(asker, `${title} ${uniqueUsername('q')}`)
  await asker.context().close()
  return url
}

/** Puts a file into the textarea the way a paste or a drop from the desktop does. */
async function pasteOrDrop(textarea: Locator, how: 'paste' | 'drop', name: string) {
  await textarea.evaluate(
    (element, { how, name, base64 }) => {
      const data = new DataTransfer()
      data.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type: 'image/png' }))
      const event = how === 'paste' ? new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }) : new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true })
      element.dispatchEvent(event)
    },
    { how, name, base64: PNG.toString('base64') },
  )
}

/** The image is on the page and the browser really loaded it (served, allowed by the page's policy). */
async function expectShownImage(page: Page, name: string) {
  const image = page.getByRole('img', { name })
  await expect(image).toBeVisible()
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(4)
}

test('with JavaScript: images picked, pasted and dropped into an answer are uploaded, inserted as Markdown and shown once posted', async ({ browser }) => {
  const url = await someonesQuestion(browser, 'Screenshots welcome')
  const page = await newMember(browser, true)
  await page.goto(url)
  const answer = page.getByLabel('Answer', { exact: true })
  await answer.fill('Here is what I see:')
  const status = page.getByRole('status').filter({ hasText: /Upload/ })

  await page.getByLabel('Attach images or files').setInputFiles({ name: 'picked.png', mimeType: 'image/png', buffer: PNG })
  await expect(page.getByText('Uploaded picked.png.')).toBeVisible()
  await expect(answer).toHaveValue(/!\[picked\.png\]\(\/uploads\/[a-f0-9]{32}\.png\)/)
  // The picked file went up at once: the form does not send it again.
  await expect(page.getByLabel('Attach images or files')).toHaveValue('')

  await pasteOrDrop(answer, 'paste', 'pasted.png')
  await expect(page.getByText('Uploaded pasted.png.')).toBeVisible()
  await pasteOrDrop(answer, 'drop', 'dropped.png')
  await expect(page.getByText('Uploaded dropped.png.')).toBeVisible()
  await expect(status).toHaveCount(1)
  await expect(answer).toHaveValue(/pasted\.png[\s\S]*dropped\.png/)

  await page.getByRole('button', { name: 'Post your answer' }).click()
  for (const name of ['picked.png', 'pasted.png', 'dropped.png']) await expectShownImage(page, name)
})

test('with JavaScript: a file that is not what it claims is refused with a message, and nothing is inserted', async ({ browser }) => {
  const page = await newMember(browser, true)
  await page.goto('/tickets/new')
  const body = page.getByLabel('What happened?')
  await page.getByLabel('Attach images or files').setInputFiles({ name: 'cat.png', mimeType: 'image/png', buffer: Buffer.from('<html><script>alert(1)</script></html>') })
  await expect(page.getByText(/“cat\.png” is not a file type we accept/)).toBeVisible()
  await expect(body).toHaveValue('')
})

test('with JavaScript: an image pasted into a new ticket is shown on the ticket, and only to those who may see it', async ({ browser }) => {
  const page = await newMember(browser, true)
  await page.goto('/tickets/new')
  await page.getByLabel('Subject').fill('The export button fails')
  const body = page.getByLabel('What happened?')
  await body.fill('The error dialog:')
  await pasteOrDrop(body, 'paste', 'error-dialog.png')
  await expect(page.getByText('Uploaded error-dialog.png.')).toBeVisible()
  await page.getByRole('button', { name: 'Submit request' }).click()
  await expect(page.getByRole('heading', { name: /The export button fails/ })).toBeVisible()
  await expectShownImage(page, 'error-dialog.png')

  const src = await page.getByRole('img', { name: 'error-dialog.png' }).getAttribute('src')
  const stranger = await newMember(browser, true)
  expect((await stranger.request.get(src!)).status()).toBe(404)
})

test('without JavaScript: the plain file input attaches files to an answer and to a ticket', async ({ browser }) => {
  const url = await someonesQuestion(browser, 'No script attachments')
  const page = await newMember(browser, false)
  await page.goto(url)
  await page.getByLabel('Answer', { exact: true }).fill('The screenshot, sent with the form.')
  await page.getByLabel('Attach images or files').setInputFiles({ name: 'plain.png', mimeType: 'image/png', buffer: PNG })
  await page.getByRole('button', { name: 'Post your answer' }).click()
  const image = page.getByRole('img', { name: 'plain.png' })
  await expect(image).toBeVisible()
  const served = await page.request.get((await image.getAttribute('src'))!)
  expect(served.status()).toBe(200)
  expect(served.headers()['content-type']).toBe('image/png')

  // A file of the wrong kind: the error is beside the field and what was typed is still there.
  await page.goto('/tickets/new')
  await page.getByLabel('Subject').fill('Crash log attached')
  await page.getByLabel('What happened?').fill('It crashed; the log is attached.')
  await page.getByLabel('Attach images or files').setInputFiles({ name: 'crash.exe', mimeType: 'application/octet-stream', buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]) })
  await page.getByRole('button', { name: 'Submit request' }).click()
  await expect(page.getByText(/“crash\.exe” is not a file type we accept/)).toBeVisible()
  await expect(page.getByLabel('What happened?')).toHaveValue('It crashed; the log is attached.')

  await page.getByLabel('Attach images or files').setInputFiles({ name: 'crash.log', mimeType: 'text/plain', buffer: Buffer.from('FATAL: out of cheese\n') })
  await page.getByRole('button', { name: 'Submit request' }).click()
  await expect(page.getByRole('heading', { name: /Crash log attached/ })).toBeVisible()
  const attachment = page.getByRole('link', { name: 'crash.log' })
  await expect(attachment).toBeVisible()
  const log = await page.request.get((await attachment.getAttribute('href'))!)
  expect(log.headers()['content-disposition']).toMatch(/^attachment;/)
  expect(await log.text()).toBe('FATAL: out of cheese\n')
})
