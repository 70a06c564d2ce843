import type { Page } from '@playwright/test'
import { askQuestion, expect, register, test, uniqueUsername, watch } from './helpers'

const withJs = () => test.info().project.name !== 'no-javascript'

/** Selects part of a textarea's text, as a member dragging over it would. */
async function select(page: Page, label: string, text: string) {
  await page.getByLabel(label, { exact: true }).evaluate((element, part) => {
    const textarea = element as HTMLTextAreaElement
    const at = textarea.value.indexOf(part)
    textarea.focus()
    textarea.setSelectionRange(at, at + part.length)
  }, text)
}

test('with JavaScript the preview follows what is typed, without a click; without it, on request', async ({ page }) => {
  await register(page, uniqueUsername('live'))
  await page.goto('/questions/new')
  const body = page.getByLabel('Body')
  const preview = page.getByRole('region', { name: 'Preview' })
  if (withJs()) {
    // The enhancements load after hydration; the toolbar says they are there. Its place was kept
    // from the first paint, and the round-trip buttons were never shown: nothing moved.
    await expect(page.getByRole('toolbar', { name: 'Write, preview and format' })).toBeVisible()
    const layoutShift = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let total = 0
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!entry.hadRecentInput) total += entry.value
          }).observe({ type: 'layout-shift', buffered: true })
          setTimeout(() => resolve(total), 300)
        }),
    )
    expect(layoutShift).toBeLessThan(0.01)
    await body.pressSequentially('Use **bold** and `code`', { delay: 15 })
    await expect(preview.locator('strong')).toHaveText('bold')
    await expect(preview.locator('code')).toHaveText('code')
    // The preview is beside the text, not instead of it: writing goes on.
    await expect(body).toBeVisible()
    await body.pressSequentially(' then _more_ <script>alert(1)</script>', { delay: 15 })
    await expect(preview.locator('em')).toHaveText('more')
    await expect(preview).toContainText('<script>alert(1)</script>')
    await body.fill('')
    await body.press('Space')
    await expect(preview).toContainText('Nothing to preview yet.')
  } else {
    // Without JavaScript the preview is a round trip the member asks for.
    await body.fill('Use **bold**')
    await expect(preview).toHaveCount(0)
    await page.getByRole('button', { name: 'Preview' }).click()
    await expect(preview.locator('strong')).toHaveText('bold')
  }
})

test('the toolbar wraps the selection in Markdown, and the preview shows it rendered', async ({ page }) => {
  await register(page, uniqueUsername('fmt'))
  await page.goto('/questions/new')
  const body = page.getByLabel('Body')
  const toolbar = page.getByRole('toolbar', { name: 'Write, preview and format' })

  if (withJs()) {
    await body.fill('Please make this bold\nfirst step\nsecond step')
    await select(page, 'Body', 'this')
    await toolbar.getByRole('button', { name: 'Bold' }).click()
    await expect(body).toHaveValue('Please make **this** bold\nfirst step\nsecond step')
    await select(page, 'Body', 'first step\nsecond step')
    await toolbar.getByRole('button', { name: 'Numbered list' }).click()
    await expect(body).toHaveValue('Please make **this** bold\n1. first step\n2. second step')
    // With nothing selected, a placeholder goes in, selected, so typing replaces it.
    await body.press('End')
    await body.press('Enter')
    await body.press('Enter')
    await toolbar.getByRole('button', { name: 'Link' }).click()
    await page.keyboard.type('the docs')
    await expect(body).toHaveValue('Please make **this** bold\n1. first step\n2. second step\n\n[the docs](https://)')

    await toolbar.getByRole('button', { name: 'Preview' }).click()
    const preview = page.getByRole('region', { name: 'Preview' })
    await expect(preview.locator('strong')).toHaveText('this')
    await expect(preview.locator('ol li')).toHaveText(['first step', 'second step'])
    await expect(preview.getByRole('link', { name: 'the docs' })).toHaveAttribute('href', 'https://')
    await expect(body).toBeHidden()
    await toolbar.getByRole('button', { name: 'Write' }).click()
    await expect(body).toBeVisible()
    await expect(body).toBeFocused()
  } else {
    // Without JavaScript the toolbar would do nothing, so there is none: the hint says how to write Markdown.
    await expect(toolbar).toHaveCount(0)
    await expect(page.getByText('Markdown: **bold**')).toBeVisible()
    await page.getByLabel('Title').fill('A title that stays through the preview')
    await body.fill('Please make **this** bold\n\n1. first step\n2. second step\n\n<script>alert(1)</script>')
    await page.getByRole('button', { name: 'Preview' }).click()
    const preview = page.getByRole('region', { name: 'Preview' })
    await expect(preview.locator('strong')).toHaveText('this')
    await expect(preview.locator('ol li')).toHaveText(['first step', 'second step'])
    await expect(preview).toContainText('<script>alert(1)</script>')
    // The round trip keeps everything typed.
    await expect(body).toHaveValue('Please make **this** bold\n\n1. first step\n2. second step\n\n<script>alert(1)</script>')
    await expect(page.getByLabel('Title')).toHaveValue('A title that stays through the preview')
  }
})

test('a draft of a question survives a reload and leaving the page, until it is discarded', async ({ page }) => {
  await register(page, uniqueUsername('draft'))
  await page.goto('/questions/new')
  await page.getByLabel('Title').fill('Draft: printing from the app fails')
  await page.getByLabel('Body').fill('Half written: the printer shows')
  if (withJs()) {
    // Saved as the member pauses typing; there is no button to remember.
    await expect(page.getByRole('button', { name: 'Save draft' })).toHaveCount(0)
    await expect(page.getByRole('status').filter({ hasText: 'Draft saved' })).toBeVisible()
  } else {
    await page.getByRole('button', { name: 'Save draft' }).click()
    await expect(page).toHaveURL(/\/questions\/new$/)
    await expect(page.getByRole('status').filter({ hasText: 'Draft saved' })).toBeVisible()
  }

  await page.reload()
  await expect(page.getByLabel('Title')).toHaveValue('Draft: printing from the app fails')
  await expect(page.getByLabel('Body')).toHaveValue('Half written: the printer shows')

  await page.goto('/questions')
  await page.goto('/questions/new')
  await expect(page.getByLabel('Body')).toHaveValue('Half written: the printer shows')

  await page.getByRole('button', { name: 'Discard draft' }).click()
  await expect(page.getByLabel('Body')).toHaveValue('')
  await expect(page.getByLabel('Title')).toHaveValue('')
  await expect(page.getByRole('button', { name: 'Discard draft' })).toHaveCount(0)
  await page.reload()
  await expect(page.getByLabel('Body')).toHaveValue('')
})

test('an answer’s draft is kept until it is posted; after posting the box is empty and the answer is there', async ({ page, browser }) => {
  await register(page, uniqueUsername('asker'))
  const url = await askQuestion(page, `Composer thread ${uniqueUsername('q')}`)

  const answerer = await (await browser.newContext()).newPage()
  watch(answerer)
  await register(answerer, uniqueUsername('answerer'))
  await answerer.goto(url)
  const box = answerer.getByLabel('Answer', { exact: true })
  await box.fill('Reinstall the **driver** first, then restart.')
  if (withJs()) await expect(answerer.getByRole('status').filter({ hasText: 'Draft saved' })).toBeVisible()
  else await answerer.getByRole('button', { name: 'Save draft' }).click()

  await answerer.goto('/questions')
  await answerer.goto(url)
  await expect(box).toHaveValue('Reinstall the **driver** first, then restart.')

  // The preview is the answer as it will be posted.
  await answerer.getByRole('button', { name: 'Preview' }).click()
  await expect(answerer.getByRole('region', { name: 'Preview' }).locator('strong')).toHaveText('driver')

  if (withJs()) await answerer.getByRole('toolbar', { name: 'Write, preview and format' }).getByRole('button', { name: 'Write' }).click()
  await answerer.getByRole('button', { name: 'Post your answer' }).click()
  const posted = answerer.getByRole('article', { name: /^Answer by answerer/ })
  await expect(posted).toContainText('Reinstall the driver first')
  await expect(box).toHaveValue('')
  if (withJs()) {
    await expect(answerer.getByRole('status').filter({ hasText: 'Your answer is posted.' })).toBeVisible()
    await expect(posted).toBeFocused()
  }
  // The draft went with the post: a reload brings no text back.
  await answerer.reload()
  await expect(box).toHaveValue('')
  await expect(answerer.getByRole('button', { name: 'Discard draft' })).toHaveCount(0)
})
