import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { db } from '#db/client.server'
import { answers, questions } from '#db/schema/index'
import { createTestAnswer, createTestQuestion, createTestUser } from '../../tests/factories'
import { rerenderStoredPosts } from './rerender.server'

const CODE = 'Run this:\n\n```python\nprint("hello")\n```'
const PLAIN_OLD_HTML = '<p>Run this:</p>\n<pre><code class="language-python">print("hello")\n</code></pre>\n'

test('posts stored before highlighting get their code highlighted; their threads move on; a second run changes nothing', async () => {
  const author = await createTestUser()
  const question = await createTestQuestion({ authorId: author.id, body: CODE })
  const answer = await createTestAnswer({ questionId: question.id, authorId: author.id, body: CODE })
  const untouched = await createTestQuestion({ authorId: author.id, body: 'No code in this one, just words.' })
  // As the renderer stored them before: plain code.
  await db.update(questions).set({ bodyHtml: PLAIN_OLD_HTML }).where(eq(questions.id, question.id))
  await db.update(answers).set({ bodyHtml: PLAIN_OLD_HTML }).where(eq(answers.id, answer.id))
  const revisionOf = async (id: number) => (await db.select({ revision: questions.revision, html: questions.bodyHtml }).from(questions).where(eq(questions.id, id)))[0]
  const before = await revisionOf(question.id)
  const untouchedBefore = await revisionOf(untouched.id)

  const changed = await rerenderStoredPosts({ batchSize: 1 })
  expect(changed.questions).toBeGreaterThanOrEqual(1)
  expect(changed.answers).toBeGreaterThanOrEqual(1)
  const after = await revisionOf(question.id)
  expect(after.html).toContain('<span class="hljs-built_in">print</span>')
  expect(after.revision).toBeGreaterThan(before.revision)
  const [answerRow] = await db.select({ html: answers.bodyHtml }).from(answers).where(eq(answers.id, answer.id))
  expect(answerRow.html).toContain('hljs-string')
  expect(await revisionOf(untouched.id)).toEqual(untouchedBefore)

  expect(await rerenderStoredPosts()).toEqual({ questions: 0, answers: 0, revisions: 0 })
  expect((await revisionOf(question.id)).revision).toBe(after.revision)
})
