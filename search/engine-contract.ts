/**
 * What every search engine must do, as tests: search/postgres-engine.test.ts and
 * search/meilisearch-engine.test.ts run the same ones, so the app cannot tell the engines apart
 * except by the spelling correction PostgreSQL reports (Meilisearch tolerates typos silently).
 */
import { eq } from 'drizzle-orm'
import { beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { answers, questions } from '#db/schema/index'
import { setAcceptedAnswer } from '~/forum/answers.server'
import { createTicket } from '~/tickets/open.server'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser } from '../tests/factories'
import { loadSearchDocuments } from './documents.server'
import type { SearchDocument, SearchEngine, SearchHit } from './engine'

type DocumentInput = Partial<Omit<SearchDocument, 'questionId'>> & { title: string; body: string }

/** A word no other document in the run contains (letters only, so every engine sees one word). */
export function uniqueWord(prefix = 'word') {
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  let word = prefix
  for (let i = 0; i < 8; i++) word += letters[Math.floor(Math.random() * letters.length)]
  return word
}

const idsOf = (hits: SearchHit[]) => hits.map((h) => h.questionId)

export function describeSearchContract(name: string, makeEngine: () => SearchEngine) {
  describe(`${name} search engine contract`, () => {
    let engine: SearchEngine
    let authorId: number
    let technical: number
    let account: number

    beforeAll(async () => {
      engine = makeEngine()
      authorId = (await createTestUser()).id
      technical = await categoryId('technical')
      account = await categoryId('account')
    })

    beforeEach(async () => {
      await engine.clear()
    })

    /**
     * A document for a real question (PostgreSQL's index refers to the questions table), with the
     * fields a test sets itself: the engines are tested on exactly the text given here.
     */
    let clock = Date.UTC(2024, 0, 1)
    async function documentFor(input: DocumentInput): Promise<SearchDocument> {
      const question = await createTestQuestion({ authorId, title: input.title, body: input.body })
      clock += 60_000
      return searchDocument({ questionId: question.id, categoryId: technical, createdAt: new Date(clock), lastActivityAt: new Date(clock), ...input })
    }

    async function indexed(...inputs: DocumentInput[]) {
      const documents: SearchDocument[] = []
      for (const input of inputs) documents.push(await documentFor(input))
      await engine.index(documents)
      return documents
    }

    /** Indexes real questions the way the search.index job does. */
    async function indexQuestionsWith(questionIds: number[]) {
      const { documents, invisibleIds } = await loadSearchDocuments(questionIds)
      await engine.index(documents)
      await engine.remove(invisibleIds)
      return { documents, invisibleIds }
    }

    test('an exact title match ranks above a mention in the body only', async () => {
      const word = uniqueWord('calib')
      // The body-only document mentions the word more often and is newer: only the title weight puts the other first.
      const [inTitle, inBody] = await indexed(
        { title: `Widget ${word} drifts overnight`, body: 'The readings move by a few degrees every night.' },
        { title: 'Screen flickers after the update', body: `I ran ${word} twice, then ${word} again; ${word} did not help with the flicker.` },
      )
      const result = await engine.search({ text: word })
      expect(idsOf(result.hits)).toEqual([inTitle.questionId, inBody.questionId])
      expect(result.total).toBe(2)
      expect(result.correctedText).toBeNull()
    })

    test('a quoted phrase matches only documents with the words next to each other', async () => {
      const word = uniqueWord('acct')
      const [adjacent, apart] = await indexed(
        { title: `How to ${word} password reset`, body: 'Open the settings page and follow the steps.' },
        { title: `My ${word} password`, body: 'It was reset by support yesterday but nothing changed.' },
      )
      expect(idsOf((await engine.search({ text: `${word} password reset` })).hits).sort()).toEqual([adjacent.questionId, apart.questionId].sort())
      expect(idsOf((await engine.search({ text: `${word} "password reset"` })).hits)).toEqual([adjacent.questionId])
    })

    test('-word leaves out documents containing the word', async () => {
      const word = uniqueWord('prnt')
      const [wireless, wired] = await indexed(
        { title: `${word} jams when printing over wireless`, body: 'Paper comes out crumpled.' },
        { title: `${word} jams on thick paper`, body: 'Only with card stock.' },
      )
      expect(idsOf((await engine.search({ text: word })).hits).sort()).toEqual([wireless.questionId, wired.questionId].sort())
      const result = await engine.search({ text: `${word} -wireless` })
      expect(idsOf(result.hits)).toEqual([wired.questionId])
      expect(result.total).toBe(1)
    })

    test('a misspelled word still finds the document', async () => {
      const [reset] = await indexed(
        { title: 'Password reset email never arrives', body: 'I asked for a reset link three times and nothing came.' },
        { title: 'Billing page shows the wrong currency', body: 'Prices are in dollars instead of euros.' },
      )
      const result = await engine.search({ text: 'pasword reset' })
      expect(idsOf(result.hits)).toEqual([reset.questionId])
      if (engine.name === 'postgres') expect(result.correctedText).toBe('password reset')
      else expect(result.correctedText).toBeNull()
      // A word nothing resembles is not "corrected" into a match.
      expect(await engine.search({ text: 'qzxvkjw' })).toEqual({ hits: [], correctedText: null, total: 0, totalIsEstimate: false })
    })

    test('filters by category, tag, status and author', async () => {
      const word = uniqueWord('rtr')
      const [plain, tagged, accepted, official, byAlice] = await indexed(
        { title: `${word} drops the connection`, body: 'Every hour or so.' },
        { title: `${word} firmware update fails`, body: 'Stuck at 90%.', tagNames: ['firmware', 'update'] },
        { title: `${word} forgets its settings`, body: 'After a power cut.', hasAcceptedAnswer: true, answerCount: 2 },
        { title: `${word} admin page is blank`, body: 'In every browser.', hasOfficialAnswer: true, answerCount: 1, categoryId: account, categorySlug: 'account', categoryName: 'Account' },
        { title: `${word} lights blink orange`, body: 'Then it restarts.', authorUsername: 'AliceW' },
      )
      const ids = async (filters: Omit<Parameters<SearchEngine['search']>[0], 'text'>) =>
        idsOf((await engine.search({ text: word, ...filters })).hits).sort((a, b) => a - b)
      const all = [plain, tagged, accepted, official, byAlice].map((d) => d.questionId).sort((a, b) => a - b)

      expect(await ids({})).toEqual(all)
      expect(await ids({ categoryId: account })).toEqual([official.questionId])
      expect(await ids({ categoryId: technical })).toEqual(all.filter((id) => id !== official.questionId))
      expect(await ids({ tag: 'firmware' })).toEqual([tagged.questionId])
      expect(await ids({ tag: 'missing' })).toEqual([])
      expect(await ids({ status: 'solved' })).toEqual([accepted.questionId, official.questionId].sort((a, b) => a - b))
      expect(await ids({ status: 'unsolved' })).toEqual([plain.questionId, tagged.questionId, byAlice.questionId].sort((a, b) => a - b))
      expect(await ids({ status: 'official' })).toEqual([official.questionId])
      expect(await ids({ authorUsername: 'alicew' })).toEqual([byAlice.questionId])
      expect(await ids({ authorUsername: 'ALICEW', status: 'unsolved', categoryId: technical })).toEqual([byAlice.questionId])
      expect(await ids({ authorUsername: 'AliceW', status: 'solved' })).toEqual([])

      const hit = (await engine.search({ text: word, tag: 'firmware' })).hits[0]
      expect(hit).toMatchObject({ questionId: tagged.questionId, title: tagged.title, categoryId: technical, tagNames: ['firmware', 'update'], authorUsername: 'someone', answerCount: 0, hasAcceptedAnswer: false, hasOfficialAnswer: false })
      expect(hit.lastActivityAt).toEqual(tagged.lastActivityAt)
    })

    test('limit and offset page through the hits; total counts them all', async () => {
      const word = uniqueWord('page')
      await indexed(...Array.from({ length: 5 }, (_, i) => ({ title: `${word} question number ${i}`, body: 'Same text.' })))
      const first = await engine.search({ text: word, limit: 2 })
      const second = await engine.search({ text: word, limit: 2, offset: 2 })
      const last = await engine.search({ text: word, limit: 2, offset: 4 })
      expect([first.total, second.total, last.total]).toEqual([5, 5, 5])
      expect([first.hits.length, second.hits.length, last.hits.length]).toEqual([2, 2, 1])
      expect(new Set(idsOf([...first.hits, ...second.hits, ...last.hits])).size).toBe(5)
    })

    test('the snippet marks the matched word and escapes everything else', async () => {
      const word = uniqueWord('zebra')
      await indexed({
        title: 'Odd characters in the export',
        body: `Typing <script>alert("x")</script> & then ${word} shows a < b; \u0002injected\u0003 <b>bold</b> stays text.`,
      })
      const [hit] = (await engine.search({ text: word })).hits
      expect(hit.snippet).toContain(`<mark>${word}</mark>`)
      expect(hit.snippet).toContain('&lt;script&gt;')
      expect(hit.snippet).toContain('&amp;')
      expect(hit.snippet).not.toContain('<script')
      expect(hit.snippet).not.toContain('<mark>injected')
      // Nothing but <mark> and </mark> is markup.
      expect(hit.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/)
    })

    test('similar() puts solved questions first among those sharing most of the title, and leaves out the given question', async () => {
      const word = uniqueWord('offl')
      const [asked, accepted, official, unsolved, sharesOneWord] = await indexed(
        { title: `Printer ${word} after the update`, body: 'It shows as offline in the dialog.' },
        { title: `Printer ${word} on wifi`, body: 'Fixed by re-adding it.', hasAcceptedAnswer: true, answerCount: 1 },
        { title: `Why is my printer driver ${word}`, body: 'Reinstall the driver.', hasOfficialAnswer: true, answerCount: 1 },
        { title: `${word} printer again after update`, body: 'Nobody answered yet.' },
        // Solved, but only "update" in common: below the unsolved look-alike.
        { title: 'Update the billing address', body: 'Settings, then Billing.', hasAcceptedAnswer: true, answerCount: 1 },
        { title: 'Billing currency is wrong', body: 'Dollars instead of euros.', hasAcceptedAnswer: true },
      )
      const hits = await engine.similar(asked.title, { excludeId: asked.questionId })
      const ids = idsOf(hits)
      expect(ids).not.toContain(asked.questionId)
      expect(ids.slice(0, 2).sort()).toEqual([accepted.questionId, official.questionId].sort())
      expect(ids.slice(2)).toEqual([unsolved.questionId, sharesOneWord.questionId])

      expect(idsOf(await engine.similar(asked.title))).toContain(asked.questionId)
      expect(await engine.similar(asked.title, { excludeId: asked.questionId, limit: 1 })).toHaveLength(1)
    })

    test('remove() takes a question out of the index', async () => {
      const word = uniqueWord('gone')
      const [kept, removed] = await indexed({ title: `${word} one`, body: 'First.' }, { title: `${word} two`, body: 'Second.' })
      await engine.remove([removed.questionId])
      expect(idsOf((await engine.search({ text: word })).hits)).toEqual([kept.questionId])
      await engine.remove([])
      await engine.clear()
      expect((await engine.search({ text: word })).total).toBe(0)
    })

    test('index() replaces a document indexed before', async () => {
      const before = uniqueWord('old')
      const after = uniqueWord('new')
      const [document] = await indexed({ title: `Question about ${before}`, body: 'Text.' })
      await engine.index([{ ...document, title: `Question about ${after}`, hasAcceptedAnswer: true }])
      expect((await engine.search({ text: before })).total).toBe(0)
      const [hit] = (await engine.search({ text: after })).hits
      expect(hit).toMatchObject({ questionId: document.questionId, hasAcceptedAnswer: true })
    })

    describe('with documents built from the forum', () => {
      test('a visible question is found by its own and its answers\' words', async () => {
        const questionWord = uniqueWord('qword')
        const answerWord = uniqueWord('aword')
        const question = await createTestQuestion({ authorId, body: `It says ${questionWord} and stops.`, tags: ['setup'] })
        await createTestAnswer({ questionId: question.id, authorId, body: `Try **${answerWord}** first.` })
        await indexQuestionsWith([question.id])
        expect(idsOf((await engine.search({ text: questionWord })).hits)).toEqual([question.id])
        const [hit] = (await engine.search({ text: answerWord, tag: 'setup' })).hits
        expect(hit).toMatchObject({ questionId: question.id, answerCount: 1, tagNames: ['setup'] })
      })

      test('a hidden or removed question is never indexed, and leaves the index when hidden later', async () => {
        const word = uniqueWord('secret')
        const hidden = await createTestQuestion({ authorId, body: `Hidden ${word} text.` })
        const removed = await createTestQuestion({ authorId, body: `Removed ${word} text.` })
        const later = await createTestQuestion({ authorId, body: `Later ${word} text.` })
        await db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'spam' }).where(eq(questions.id, hidden.id))
        await db.update(questions).set({ removedAt: new Date(), removedReason: 'off-topic' }).where(eq(questions.id, removed.id))

        const { documents, invisibleIds } = await indexQuestionsWith([hidden.id, removed.id, later.id])
        expect(documents.map((d) => d.questionId)).toEqual([later.id])
        expect(invisibleIds.sort()).toEqual([hidden.id, removed.id].sort())
        expect(idsOf((await engine.search({ text: word })).hits)).toEqual([later.id])

        await db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'spam' }).where(eq(questions.id, later.id))
        await indexQuestionsWith([later.id])
        expect(await engine.search({ text: word })).toMatchObject({ hits: [], total: 0 })
        expect(idsOf(await engine.similar(`Later ${word} text`))).toEqual([])
      })

      test("a hidden or removed answer's words are not findable", async () => {
        const visibleWord = uniqueWord('shown')
        const hiddenWord = uniqueWord('hidden')
        const removedWord = uniqueWord('removed')
        const question = await createTestQuestion({ authorId })
        await createTestAnswer({ questionId: question.id, authorId, body: `Visible ${visibleWord}.` })
        const hiddenAnswer = await createTestAnswer({ questionId: question.id, authorId, body: `Hidden ${hiddenWord}.` })
        const removedAnswer = await createTestAnswer({ questionId: question.id, authorId, body: `Removed ${removedWord}.` })
        await db.update(answers).set({ hiddenAt: new Date(), hiddenReason: 'rude' }).where(eq(answers.id, hiddenAnswer.id))
        await db.update(answers).set({ removedAt: new Date(), removedReason: 'spam' }).where(eq(answers.id, removedAnswer.id))

        await indexQuestionsWith([question.id])
        expect(idsOf((await engine.search({ text: visibleWord })).hits)).toEqual([question.id])
        expect((await engine.search({ text: hiddenWord })).total).toBe(0)
        expect((await engine.search({ text: removedWord })).total).toBe(0)
        // Not even as a spelling correction.
        expect((await engine.search({ text: hiddenWord.slice(0, -1) })).total).toBe(0)
        const [hit] = (await engine.search({ text: visibleWord })).hits
        expect(hit.answerCount).toBe(1)
      })

      test('ticket text is never found', async () => {
        const word = uniqueWord('ticket')
        const requester = await createTestUser()
        await createTicket({
          requesterId: requester.id,
          subject: `Invoice ${word} is wrong`,
          priority: 'medium',
          details: { whatHappened: `The ${word} invoice doubled.`, stepsTried: 'None.', environment: 'Web.', accountDetails: `Account ${word}.` },
        })
        const question = await createTestQuestion({ authorId, title: `Public question ${uniqueWord('pub')}` })
        const all = await db.select({ id: questions.id }).from(questions)
        await indexQuestionsWith(all.map((q) => q.id))
        expect(idsOf((await engine.search({ text: 'public question' })).hits)).toContain(question.id)
        expect((await engine.search({ text: word })).total).toBe(0)
      })

      test('accepting an answer shows in the status filter once reindexed', async () => {
        const word = uniqueWord('solve')
        const question = await createTestQuestion({ authorId, title: `How do I ${word} this?` })
        const answer = await createTestAnswer({ questionId: question.id, authorId })
        await indexQuestionsWith([question.id])
        expect(idsOf((await engine.search({ text: word, status: 'unsolved' })).hits)).toEqual([question.id])
        await setAcceptedAnswer({ questionId: question.id, answerId: answer.id })
        await indexQuestionsWith([question.id])
        expect(idsOf((await engine.search({ text: word, status: 'solved' })).hits)).toEqual([question.id])
        expect((await engine.search({ text: word, status: 'unsolved' })).total).toBe(0)
      })
    })
  })
}

/** A search document with plain defaults (an unanswered technical question by "someone"), for tests. */
export function searchDocument(fields: Pick<SearchDocument, 'questionId' | 'title' | 'body'> & Partial<SearchDocument>): SearchDocument {
  const now = new Date()
  return {
    categoryId: 1,
    categorySlug: 'technical',
    categoryName: 'Technical',
    tagNames: [],
    authorUsername: 'someone',
    answerCount: 0,
    hasAcceptedAnswer: false,
    hasOfficialAnswer: false,
    createdAt: now,
    lastActivityAt: now,
    ...fields,
  }
}
