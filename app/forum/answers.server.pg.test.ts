import { describe, expect, test } from 'vitest'
import { createTestQuestion, createTestUser } from '../../tests/factories'
import { atOnce } from '../../tests/setup/at-once'
import { createAnswer } from './answers.server'
import { getThread } from './questions.server'

// PostgreSQL only (see vitest.config.ts): PGlite runs one transaction at a time.

describe('createAnswer', () => {
  test('10 concurrent answers on one question leave the count at exactly 10', async () => {
    const asker = await createTestUser()
    const writers = await Promise.all(Array.from({ length: 10 }, () => createTestUser()))
    const question = await createTestQuestion({ authorId: asker.id })
    // The pool has 4 connections and the gate holds one: three answers meet at the question row,
    // the other seven follow as connections free up, still overlapping each other.
    const created = await atOnce(
      'questions',
      writers.map((w, i) => () => createAnswer({ questionId: question.id, authorId: w.id, bodySource: `Concurrent answer ${i}` })),
      { waiting: 3 },
    )
    expect(created.every((a) => a !== null)).toBe(true)
    expect(new Set(created.map((a) => a!.id)).size).toBe(10)
    const thread = await getThread({ questionId: question.id, viewerId: null })
    expect(thread!.question.answerCount).toBe(10)
    expect(thread!.answers).toHaveLength(10)
  })
})
