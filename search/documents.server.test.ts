import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { answers, questions } from '#db/schema/index'
import { setAcceptedAnswer, setOfficialAnswer } from '~/forum/answers.server'
import { createTestAnswer, createTestQuestion, createTestUser } from '../tests/factories'
import { htmlToPlainText, loadSearchDocuments } from './documents.server'

test('htmlToPlainText keeps the text, decodes entities and separates blocks', () => {
  expect(htmlToPlainText('<p>Use <code>a &lt; b &amp;&amp; c</code> &quot;now&quot; &#39;ok&#39;</p>\n<p>Second&nbsp;para</p><ul><li>one</li><li>two</li></ul>')).toBe(
    'Use a < b && c "now" \'ok\' Second para one two',
  )
  expect(htmlToPlainText('<p>a<br>b</p><script>alert(1)</script>')).toBe('a b')
})

describe('loadSearchDocuments', () => {
  test('maps a question with its visible answers, tags, category and author', async () => {
    const author = await createTestUser()
    const helper = await createTestUser({ role: 'agent', supportTier: 1 })
    const question = await createTestQuestion({
      authorId: author.id,
      title: 'Export fails with <b>quotes</b>',
      body: 'When the name has **"quotes"** & <script>x</script> it fails.',
      category: 'content',
      tags: ['export', 'csv'],
    })
    const accepted = await createTestAnswer({ questionId: question.id, authorId: helper.id, body: 'Rename it first.' })
    const official = await createTestAnswer({ questionId: question.id, authorId: helper.id, body: 'Fixed in *2.1*.' })
    const hidden = await createTestAnswer({ questionId: question.id, authorId: helper.id, body: 'Hidden answer text.' })
    await db.update(answers).set({ hiddenAt: new Date(), hiddenReason: 'rude' }).where(eq(answers.id, hidden.id))
    await setAcceptedAnswer({ questionId: question.id, answerId: accepted.id })
    await setOfficialAnswer({ questionId: question.id, answerId: official.id, staffId: helper.id })

    const { documents, invisibleIds } = await loadSearchDocuments([question.id, question.id])
    expect(invisibleIds).toEqual([])
    expect(documents).toHaveLength(1)
    const [document] = documents
    const [row] = await db.select({ createdAt: questions.createdAt, lastActivityAt: questions.lastActivityAt }).from(questions).where(eq(questions.id, question.id))
    expect(document).toEqual({
      questionId: question.id,
      title: 'Export fails with <b>quotes</b>',
      body: 'When the name has "quotes" & <script>x</script> it fails.\n\nRename it first. Fixed in 2.1.',
      categoryId: expect.any(Number),
      categorySlug: 'content',
      categoryName: 'Content',
      tagNames: ['csv', 'export'],
      authorUsername: author.username,
      answerCount: 2,
      hasAcceptedAnswer: true,
      hasOfficialAnswer: true,
      createdAt: row.createdAt,
      lastActivityAt: row.lastActivityAt,
    })
  })

  test('hidden, removed and missing questions are only listed as invisible; many ids cost two queries', async () => {
    const author = await createTestUser()
    const created = []
    for (let i = 0; i < 12; i++) created.push(await createTestQuestion({ authorId: author.id, title: `Question ${i}` }))
    for (const q of created.slice(0, 10)) await createTestAnswer({ questionId: q.id, authorId: author.id })
    const [hidden, removed] = created
    await db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'spam' }).where(eq(questions.id, hidden.id))
    await db.update(questions).set({ removedAt: new Date(), removedReason: 'spam' }).where(eq(questions.id, removed.id))

    const { queryCounter } = await import('#db/client.server')
    const before = queryCounter.count
    const { documents, invisibleIds } = await loadSearchDocuments([...created.map((q) => q.id), 999_999])
    expect(queryCounter.count - before).toBe(2)
    expect(documents.map((d) => d.questionId).sort((a, b) => a - b)).toEqual(created.slice(2).map((q) => q.id))
    expect(invisibleIds.sort((a, b) => a - b)).toEqual([hidden.id, removed.id, 999_999])
    expect(await loadSearchDocuments([])).toEqual({ documents: [], invisibleIds: [] })
  })
})
