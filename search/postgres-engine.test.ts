import { sql } from 'drizzle-orm'
import { beforeEach, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { createTestQuestion, createTestUser } from '../tests/factories'
import type { SearchDocument } from './engine'
import { describeSearchContract, searchDocument, uniqueWord } from './engine-contract'
import { CANDIDATE_LIMIT, createPostgresEngine } from './postgres-engine'

describeSearchContract('PostgreSQL', createPostgresEngine)

describe('PostgreSQL engine specifics', () => {
  const engine = createPostgresEngine()
  let authorId: number

  beforeEach(async () => {
    await engine.clear()
    authorId ??= (await createTestUser()).id
  })

  async function indexDocument(title: string, body: string, extra: Partial<SearchDocument> = {}) {
    const question = await createTestQuestion({ authorId, title, body })
    const document = searchDocument({ questionId: question.id, title, body, ...extra })
    await engine.index([document])
    return document
  }

  const terms = async () => {
    const result = await db.execute(sql`select term from search_terms order by term`)
    return ((Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { term: string }[]).map((r) => r.term)
  }

  test('search_terms holds each distinct lowercase word of three letters or more, and clear() empties it', async () => {
    await indexDocument('Wi-Fi keeps DROPPING', `Since v2 the Wi-Fi drops; ${'x'.repeat(60)} ok. Ünïcode wörds too.`)
    expect(await terms()).toEqual(['dropping', 'drops', 'keeps', 'since', 'the', 'too', 'wörds', 'ünïcode'].sort())
    await engine.clear()
    expect(await terms()).toEqual([])
  })

  test('only plain words are corrected: quoted and excluded ones are left as typed', async () => {
    await indexDocument('Password reset email never arrives', 'The reset link expired before I could use it.')
    const corrected = await engine.search({ text: 'pasword reset -emial' })
    expect(corrected.correctedText).toBe('password reset -emial')
    expect(corrected.hits).toHaveLength(1)
    // The misspelling inside the phrase stays, so nothing matches and no correction is offered.
    expect(await engine.search({ text: '"pasword reset"' })).toEqual({ hits: [], correctedText: null, total: 0, totalIsEstimate: false })
  })

  test('a correction that still finds nothing is not offered', async () => {
    await indexDocument('Password reset email never arrives', 'The reset link expired.')
    // "pasword" would become "password", but nothing has both it and "invoice".
    expect(await engine.search({ text: 'pasword invoice' })).toEqual({ hits: [], correctedText: null, total: 0, totalIsEstimate: false })
  })

  test('a page past the last hit still reports the total', async () => {
    const word = uniqueWord('past')
    await indexDocument(`${word} one`, 'Text.')
    await indexDocument(`${word} two`, 'Text.')
    expect(await engine.search({ text: word, offset: 10 })).toEqual({ hits: [], correctedText: null, total: 2, totalIsEstimate: false })
  })

  test('empty and stop-word-only queries find nothing without an error', async () => {
    await indexDocument('The widget', 'It is what it is.')
    expect(await engine.search({ text: '   ' })).toEqual({ hits: [], correctedText: null, total: 0, totalIsEstimate: false })
    expect(await engine.search({ text: 'the' })).toEqual({ hits: [], correctedText: null, total: 0, totalIsEstimate: false })
  })

  test('similar() falls back to title similarity when no word matches', async () => {
    const printer = await indexDocument('Printer offline', 'It shows as offline.')
    await indexDocument('Billing currency wrong', 'Dollars instead of euros.')
    const hits = await engine.similar('Printr ofline')
    expect(hits.map((h) => h.questionId)).toEqual([printer.questionId])
    // No word matched, so nothing is marked: the snippet is the start of the text.
    expect(hits[0].snippet).toBe('It shows as offline.')
  })

  test('similar() is one query, with or without the fallback', async () => {
    await indexDocument('Printer offline', 'It shows as offline.')
    const { queryCounter } = await import('#db/client.server')
    for (const title of ['Printer offline again', 'Printr ofline']) {
      const before = queryCounter.count
      expect(await engine.similar(title)).toHaveLength(1)
      expect(queryCounter.count - before).toBe(1)
    }
  })

  test('a batch of any size is one statement per table, not one per document', async () => {
    const authorQuestions = []
    for (let i = 0; i < 3; i++) authorQuestions.push(await createTestQuestion({ authorId, title: `Batch ${i}` }))
    const { queryCounter } = await import('#db/client.server')
    const before = queryCounter.count
    await engine.index(
      authorQuestions.map((q, i) => ({
        questionId: q.id,
        title: `Batch question ${i}`,
        body: 'Body text.',
        categoryId: 1,
        categorySlug: 'technical',
        categoryName: 'Technical',
        tagNames: ['a', 'b'],
        authorUsername: 'someone',
        answerCount: 0,
        hasAcceptedAnswer: false,
        hasOfficialAnswer: false,
        createdAt: new Date(),
        lastActivityAt: new Date(),
      })),
    )
    expect(queryCounter.count - before).toBe(2)
    expect((await engine.search({ text: 'batch question' })).total).toBe(3)
  })

  test('a word in more documents than it ranks returns the best of a capped set and says the total is a lower bound', async () => {
    const word = uniqueWord('common')
    const ids = (
      await db.execute<{ id: number }>(sql`
        insert into questions (author_id, category_id, title, body_source, body_html)
        select ${authorId}, 1, 'Question ' || n, 'x', '<p>x</p>' from generate_series(1, ${CANDIDATE_LIMIT + 5}) n
        returning id`)
    ) as unknown as { id: number }[] | { rows: { id: number }[] }
    const rows = Array.isArray(ids) ? ids : ids.rows
    await engine.index(rows.map(({ id }, i) => searchDocument({ questionId: id, title: i === 7 ? `${word} in the title` : `Question ${i}`, body: `Body mentioning ${word} once.` })))
    const result = await engine.search({ text: word, limit: 20 })
    expect(result.total).toBe(CANDIDATE_LIMIT)
    expect(result.totalIsEstimate).toBe(true)
    expect(result.hits).toHaveLength(20)
    // A narrower query is counted exactly.
    const narrow = await engine.search({ text: `${word} title` })
    expect(narrow).toMatchObject({ total: 1, totalIsEstimate: false })
  })
})
