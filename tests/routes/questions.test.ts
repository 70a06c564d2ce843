import { describe, expect, test } from 'vitest'
import { getThread } from '~/forum/questions.server'
import * as editQuestion from '~/routes/questions.$id.edit'
import * as newQuestion from '~/routes/questions.new'
import * as editAnswer from '~/routes/answers.$id.edit'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'

const ask = async (userId: number, form: Record<string, string>) =>
  responseOf(async () => newQuestion.action(await routeArgs({ path: '/questions/new', method: 'POST', userId, form })))

describe('asking a question', () => {
  test('a visitor is sent to log in and brought back afterwards', async () => {
    const res = await responseOf(async () => newQuestion.loader(await routeArgs({ path: '/questions/new' })))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?redirectTo=%2Fquestions%2Fnew')
    expect(res.headers.get('X-Robots-Tag')).toBe('noindex')
  })

  test('bad input is a 400 with an error beside each field', async () => {
    const user = await createTestUser()
    const res = await ask(user.id, { intent: 'save', title: 'short', body: 'tiny', categoryId: '', tags: 'a b c d e f' })
    expect(res.status).toBe(400)
    const { result } = await res.json()
    expect(result.error.title[0]).toMatch(/at least 10 characters/)
    expect(result.error.body[0]).toMatch(/at least 20 characters/)
    expect(result.error.categoryId).toEqual(['Choose a category.'])
    expect(result.initialValue.title).toBe('short')
  })

  test('too many tags or an unknown category is refused even when the rest is fine', async () => {
    const user = await createTestUser()
    const res = await ask(user.id, { intent: 'save', title: 'A perfectly good title', body: 'A body that is long enough to post.', categoryId: '999999', tags: 'a b c d e f' })
    expect(res.status).toBe(400)
    const { result } = await res.json()
    expect(result.error.categoryId).toEqual(['Choose one of the listed categories.'])
    expect(result.error.tags[0]).toMatch(/at most 5 tags/)
  })

  test('preview renders the Markdown without saving anything', async () => {
    const user = await createTestUser()
    const res = await ask(user.id, { intent: 'preview', title: '', body: 'Some **bold** <script>x</script>' })
    expect(res.status).toBe(200)
    const { preview } = await res.json()
    expect(preview).toContain('<strong>bold</strong>')
    expect(preview).not.toContain('<script')
  })

  test('a valid question is saved and the asker lands on its page', async () => {
    const user = await createTestUser()
    const res = await ask(user.id, { intent: 'save', title: 'Why does export time out?', body: 'Exports of large projects fail after a minute.', categoryId: String(await categoryId('content')), tags: 'Export, timeout' })
    expect(res.status).toBe(302)
    const match = res.headers.get('Location')!.match(/^\/questions\/(\d+)\/why-does-export-time-out$/)
    expect(match).not.toBeNull()
    const loaded = await getThread({ questionId: Number(match![1]), viewerId: null })
    expect(loaded!.question).toMatchObject({ title: 'Why does export time out?', categorySlug: 'content', tagNames: ['export', 'timeout'] })
  })
})

describe('editing', () => {
  test('another member may not edit a question; the author and moderators may, and history is kept', async () => {
    const author = await createTestUser()
    const other = await createTestUser()
    const moderator = await createTestUser({ role: 'moderator' })
    const question = await createTestQuestion({ authorId: author.id, title: 'Original title for editing' })
    const form = { intent: 'save', title: 'Edited title for the question', body: 'Edited body that is long enough.', categoryId: String(await categoryId()), tags: '' }
    const edit = async (userId: number) =>
      responseOf(async () => editQuestion.action(await routeArgs({ path: `/questions/${question.id}/edit`, method: 'POST', userId, form, params: { id: String(question.id) } })))

    expect((await responseOf(async () => editQuestion.loader(await routeArgs({ path: `/questions/${question.id}/edit`, userId: other.id, params: { id: String(question.id) } })))).status).toBe(403)
    expect((await edit(other.id)).status).toBe(403)
    expect((await edit(author.id)).status).toBe(302)
    expect((await edit(moderator.id)).status).toBe(302)
    const loaded = await getThread({ questionId: question.id, viewerId: null })
    expect(loaded!.question.title).toBe('Edited title for the question')
    expect(loaded!.revisions.map((r) => r.title)).toEqual(['Edited title for the question', 'Original title for editing'])
  })

  test('answers: only the author (or a moderator) edits, and a blank edit is a 400', async () => {
    const author = await createTestUser()
    const other = await createTestUser()
    const question = await createTestQuestion({ authorId: other.id })
    const answer = await createTestAnswer({ questionId: question.id, authorId: author.id })
    const edit = async (userId: number, body: string) =>
      responseOf(async () => editAnswer.action(await routeArgs({ path: `/answers/${answer.id}/edit`, method: 'POST', userId, form: { body }, params: { id: String(answer.id) } })))
    expect((await edit(other.id, 'Hijacked answer text here')).status).toBe(403)
    expect((await edit(author.id, '')).status).toBe(400)
    const saved = await edit(author.id, 'A better answer with _detail_.')
    expect(saved.status).toBe(302)
    // Back to the answer wherever it is: the permalink finds its page (threads come in pages).
    expect(saved.headers.get('Location')).toBe(`/answers/${answer.id}`)
    const loaded = await getThread({ questionId: question.id, viewerId: null })
    expect(loaded!.answers[0].bodyHtml).toContain('<em>detail</em>')
    expect(loaded!.revisions).toHaveLength(1)
  })
})
