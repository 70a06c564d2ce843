import { eq, sql } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { answers, questions } from '#db/schema/index'
import { isoText } from '#db/schema/columns'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser, uniqueName } from '../../tests/factories'
import { decodeCursor, encodeCursor } from '~/platform/cursor'
import { setAcceptedAnswer, setOfficialAnswer, voteOnAnswer } from './answers.server'
import {
  createQuestion,
  getQuestionForEdit,
  getThread,
  listQuestions,
  listUserActivity,
  PAGE_SIZE,
  parseTagNames,
  tagProblem,
  updateQuestion,
} from './questions.server'

/** A tag no other test uses, so a list filtered by it holds exactly this test's questions. */
const uniqueTag = (prefix = 'tag') => uniqueName(prefix).toLowerCase()

/** Lets the clock move on, so "newest first" is decided by time and not by a same-millisecond tie. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

const idsOf = (rows: { id: number }[]) => rows.map((r) => r.id)

describe('createQuestion', () => {
  test('stores the Markdown source and sanitized HTML, trims the title and links the tags', async () => {
    const author = await createTestUser()
    const body = 'This is **bold**.\n\n<script>alert(1)</script>\n\n[link](javascript:alert(1))'
    const created = await createQuestion({
      authorId: author.id,
      title: '   Why does the widget crash?  ',
      bodySource: body,
      categoryId: await categoryId('account'),
      tagNames: ['zeta', 'alpha', 'mid'],
    })
    expect(created.title).toBe('Why does the widget crash?')

    const thread = await getThread({ questionId: created.id, viewerId: null })
    expect(thread).not.toBeNull()
    const question = thread!.question
    expect(question.title).toBe('Why does the widget crash?')
    expect(question.bodyHtml).toContain('<strong>bold</strong>')
    expect(question.bodyHtml).not.toContain('<script')
    expect(question.bodyHtml).not.toContain('href')
    expect(question.tagNames).toEqual(['alpha', 'mid', 'zeta'])
    expect(question).toMatchObject({ authorId: author.id, authorUsername: author.username, categorySlug: 'account', answerCount: 0, editedAt: null })
    expect(idsOf((await listQuestions({ tagName: 'zeta' })).questions)).toContain(created.id)
  })

  test('parseTagNames splits on commas and spaces, lowercases and dedupes in order', () => {
    expect(parseTagNames('Billing, login  Two-Factor')).toEqual(['billing', 'login', 'two-factor'])
    expect(parseTagNames(' login,LOGIN,, billing login ')).toEqual(['login', 'billing'])
    expect(parseTagNames('   ')).toEqual([])
    expect(parseTagNames('c++\tc#\nnode.js')).toEqual(['c++', 'c#', 'node.js'])
  })

  test('tagProblem refuses more than five tags and invalid names', () => {
    expect(tagProblem(['a', 'b', 'c', 'd', 'e'])).toBeNull()
    expect(tagProblem(['a', 'b', 'c', 'd', 'e', 'f'])).toMatch(/at most 5/)
    expect(tagProblem(['fine', 'Upper'])).toMatch(/Upper/)
    expect(tagProblem(['-leading'])).toMatch(/not a valid tag/)
    expect(tagProblem(['under_score'])).toMatch(/not a valid tag/)
    expect(tagProblem(['x'.repeat(31)])).toMatch(/not a valid tag/)
    expect(tagProblem(['x'.repeat(30), 'c++', 'c#', 'node.js', 'two-factor'])).toBeNull()
    expect(tagProblem([])).toBeNull()
  })
})

describe('getQuestionForEdit', () => {
  test('gives the edit form the source and the question’s own tags', async () => {
    const author = await createTestUser()
    const first = uniqueTag('edita')
    const second = uniqueTag('editb')
    const third = uniqueTag('editc')
    const one = await createTestQuestion({ authorId: author.id, title: 'One', body: 'One **source**', tags: [first, second] })
    const two = await createTestQuestion({ authorId: author.id, title: 'Two', body: 'Two', tags: [third] })

    expect(await getQuestionForEdit({ questionId: one.id })).toMatchObject({
      id: one.id,
      authorId: author.id,
      title: 'One',
      bodySource: 'One **source**',
      categoryId: await categoryId('technical'),
      tagNames: [first, second],
    })
    expect((await getQuestionForEdit({ questionId: two.id }))?.tagNames).toEqual([third])
    expect(await getQuestionForEdit({ questionId: 2_000_000_000 })).toBeNull()
  })
})

describe('listQuestions', () => {
  test('filters unanswered, unsolved and solved questions', async () => {
    const author = await createTestUser()
    const helper = await createTestUser()
    const staff = await createTestUser({ role: 'agent', supportTier: 1 })
    const tag = uniqueTag('filter')

    const unanswered = await createTestQuestion({ authorId: author.id, tags: [tag] })
    const answeredOpen = await createTestQuestion({ authorId: author.id, tags: [tag] })
    await createTestAnswer({ questionId: answeredOpen.id, authorId: helper.id })
    const accepted = await createTestQuestion({ authorId: author.id, tags: [tag] })
    const acceptedAnswer = await createTestAnswer({ questionId: accepted.id, authorId: helper.id })
    expect(await setAcceptedAnswer({ questionId: accepted.id, answerId: acceptedAnswer.id })).toBe(true)
    const official = await createTestQuestion({ authorId: author.id, tags: [tag] })
    const officialAnswer = await createTestAnswer({ questionId: official.id, authorId: staff.id })
    expect(await setOfficialAnswer({ questionId: official.id, answerId: officialAnswer.id, staffId: staff.id })).toBe(true)

    const ids = async (filter: 'all' | 'unanswered' | 'unsolved' | 'solved') =>
      idsOf((await listQuestions({ filter, tagName: tag })).questions).sort((a, b) => a - b)

    expect(await ids('all')).toEqual([unanswered.id, answeredOpen.id, accepted.id, official.id])
    expect(await ids('unanswered')).toEqual([unanswered.id])
    expect(await ids('unsolved')).toEqual([unanswered.id, answeredOpen.id])
    expect(await ids('solved')).toEqual([accepted.id, official.id])

    // Without the tag the same membership holds among everything else in the database.
    const solved = idsOf((await listQuestions({ filter: 'solved' })).questions)
    expect(solved).toEqual(expect.arrayContaining([accepted.id, official.id]))
    expect(solved).not.toContain(unanswered.id)
    expect(solved).not.toContain(answeredOpen.id)
    const unansweredIds = idsOf((await listQuestions({ filter: 'unanswered' })).questions)
    expect(unansweredIds).toContain(unanswered.id)
    expect(unansweredIds).not.toContain(answeredOpen.id)
    expect(unansweredIds).not.toContain(accepted.id)
    expect(unansweredIds).not.toContain(official.id)

    const rows = (await listQuestions({ tagName: tag })).questions
    expect(rows.find((r) => r.id === accepted.id)).toMatchObject({ hasAcceptedAnswer: true, hasOfficialAnswer: false, answerCount: 1 })
    expect(rows.find((r) => r.id === official.id)).toMatchObject({ hasAcceptedAnswer: false, hasOfficialAnswer: true, answerCount: 1 })
    expect(rows.find((r) => r.id === unanswered.id)).toMatchObject({ hasAcceptedAnswer: false, hasOfficialAnswer: false, answerCount: 0, tagNames: [tag] })
  })

  test('a question stops being unanswered or solved when that changes', async () => {
    const author = await createTestUser()
    const helper = await createTestUser()
    const tag = uniqueTag('flip')
    const question = await createTestQuestion({ authorId: author.id, tags: [tag] })
    expect(idsOf((await listQuestions({ filter: 'unanswered', tagName: tag })).questions)).toEqual([question.id])

    const answer = await createTestAnswer({ questionId: question.id, authorId: helper.id })
    expect((await listQuestions({ filter: 'unanswered', tagName: tag })).questions).toEqual([])
    await setAcceptedAnswer({ questionId: question.id, answerId: answer.id })
    expect(idsOf((await listQuestions({ filter: 'solved', tagName: tag })).questions)).toEqual([question.id])
    await setAcceptedAnswer({ questionId: question.id, answerId: null })
    expect((await listQuestions({ filter: 'solved', tagName: tag })).questions).toEqual([])
    expect(idsOf((await listQuestions({ filter: 'unsolved', tagName: tag })).questions)).toEqual([question.id])
  })

  test('scopes by category and by tag', async () => {
    const author = await createTestUser()
    const tag = uniqueTag('scope')
    const other = uniqueTag('other')
    const technical = await createTestQuestion({ authorId: author.id, category: 'technical', tags: [tag] })
    const account = await createTestQuestion({ authorId: author.id, category: 'account', tags: [tag, other] })
    const untagged = await createTestQuestion({ authorId: author.id, category: 'account' })

    const accountId = await categoryId('account')
    const inAccount = (await listQuestions({ categoryId: accountId })).questions
    expect(idsOf(inAccount)).toEqual(expect.arrayContaining([account.id, untagged.id]))
    expect(idsOf(inAccount)).not.toContain(technical.id)
    expect(inAccount.every((q) => q.categorySlug === 'account')).toBe(true)

    expect(idsOf((await listQuestions({ categoryId: accountId, tagName: tag })).questions)).toEqual([account.id])
    expect(idsOf((await listQuestions({ categoryId: await categoryId('technical'), tagName: tag })).questions)).toEqual([technical.id])
    expect(idsOf((await listQuestions({ categoryId: await categoryId('community'), tagName: tag })).questions)).toEqual([])
    expect(idsOf((await listQuestions({ tagName: tag })).questions)).toEqual([account.id, technical.id])
    expect(idsOf((await listQuestions({ tagName: other })).questions)).toEqual([account.id])
    expect((await listQuestions({ tagName: uniqueTag('none') })).questions).toEqual([])
  })

  test('walks every page once, newest activity first, with ties on time broken by id', async () => {
    const author = await createTestUser()
    const tag = uniqueTag('page')
    const techId = await categoryId('technical')
    const total = PAGE_SIZE * 2 + 5
    // 40 questions in one transaction share one last_activity_at (now() is the transaction's
    // start), so both page boundaries fall inside a run of equal times and only the id decides.
    const tied = 40
    const created: number[] = []
    await db.transaction(async (tx) => {
      for (let i = 0; i < tied; i++) {
        const q = await createQuestion({ authorId: author.id, title: `Tied question ${i}`, bodySource: 'Same time.', categoryId: techId, tagNames: [tag] }, tx)
        created.push(q.id)
      }
    })
    for (let i = tied; i < total; i++) {
      created.push((await createTestQuestion({ authorId: author.id, title: `Later question ${i}`, tags: [tag] })).id)
    }

    const seen: { id: number; lastActivityAt: Date }[] = []
    const pageSizes: number[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: Awaited<ReturnType<typeof listQuestions>> = await listQuestions({ tagName: tag, after: decodeCursor(cursor) })
      pageSizes.push(page.questions.length)
      seen.push(...page.questions)
      cursor = page.nextCursor
      pages += 1
    } while (cursor !== null && pages < 10)

    expect(pageSizes).toEqual([PAGE_SIZE, PAGE_SIZE, 5])
    expect(cursor).toBeNull()
    expect(seen).toHaveLength(total)
    expect(new Set(idsOf(seen)).size).toBe(total)
    expect([...idsOf(seen)].sort((a, b) => a - b)).toEqual([...created].sort((a, b) => a - b))
    for (let i = 1; i < seen.length; i++) {
      const before = seen[i - 1]
      const after = seen[i]
      const ordered =
        before.lastActivityAt.getTime() > after.lastActivityAt.getTime() ||
        (before.lastActivityAt.getTime() === after.lastActivityAt.getTime() && before.id > after.id)
      expect(ordered, `position ${i}: ${before.id}@${before.lastActivityAt.toISOString()} then ${after.id}@${after.lastActivityAt.toISOString()}`).toBe(true)
    }
    // The tied batch really did share one time, so the id tie-break was exercised across pages.
    const tiedTimes = new Set(seen.filter((q) => created.indexOf(q.id) < tied).map((q) => q.lastActivityAt.getTime()))
    expect(tiedTimes.size).toBe(1)
    // The newest questions come first, the tied batch last, highest id first.
    expect(idsOf(seen.slice(-tied))).toEqual(created.slice(0, tied).reverse())
  })

  test('answering an old question moves it to the top of the default list', async () => {
    const author = await createTestUser()
    const helper = await createTestUser()
    const old = await createTestQuestion({ authorId: author.id })
    await tick()
    const recent = await createTestQuestion({ authorId: author.id })
    expect(idsOf((await listQuestions({})).questions).slice(0, 2)).toEqual([recent.id, old.id])

    await tick()
    await createTestAnswer({ questionId: old.id, authorId: helper.id })
    const top = (await listQuestions({})).questions
    expect(idsOf(top).slice(0, 2)).toEqual([old.id, recent.id])
    expect(top[0].answerCount).toBe(1)
  })
})

describe('cursors', () => {
  test('decodeCursor rejects garbage', () => {
    expect(decodeCursor('abc')).toBeNull()
    expect(decodeCursor('1_x')).toBeNull()
    expect(decodeCursor('')).toBeNull()
    expect(decodeCursor(null)).toBeNull()
    expect(decodeCursor('_1')).toBeNull()
    expect(decodeCursor('1_2_3')).toBeNull()
    expect(decodeCursor('-5_3')).toBeNull()
    expect(decodeCursor('1700000000000_12345678901')).toBeNull()
  })

  test('encode and decode round-trip', () => {
    const cursor = { at: new Date('2026-03-04T05:06:07.089Z'), id: 4321 }
    const encoded = encodeCursor(cursor)
    expect(encoded).toBe(`${cursor.at.getTime()}_4321`)
    expect(decodeCursor(encoded)).toEqual(cursor)
  })

  test('a garbage cursor gives the first page, not an error', async () => {
    const author = await createTestUser()
    const tag = uniqueTag('garb')
    const question = await createTestQuestion({ authorId: author.id, tags: [tag] })
    expect(idsOf((await listQuestions({ tagName: tag, after: decodeCursor('not-a-cursor') })).questions)).toEqual([question.id])
  })
})

describe('updateQuestion', () => {
  test('keeps the previous version as a revision and shows the new one', async () => {
    const author = await createTestUser()
    const moderator = await createTestUser({ role: 'moderator' })
    const created = await createTestQuestion({ authorId: author.id, title: 'Original title', body: 'Original *body*', tags: ['alpha', 'beta'] })
    const before = await getThread({ questionId: created.id, viewerId: null })
    expect(before!.question.editedAt).toBeNull()
    expect(before!.revisions).toEqual([])

    const result = await updateQuestion({
      questionId: created.id,
      editorId: moderator.id,
      title: '  Edited title ',
      bodySource: 'Now with `code` and <script>x()</script>',
      categoryId: await categoryId('community'),
      tagNames: ['gamma', 'beta'],
    })
    expect(result).toEqual({ id: created.id })

    const thread = await getThread({ questionId: created.id, viewerId: null })
    const question = thread!.question
    expect(question.title).toBe('Edited title')
    expect(question.bodyHtml).toContain('<code>code</code>')
    expect(question.bodyHtml).not.toContain('<script')
    expect(question.bodyHtml).not.toContain('<em>body</em>')
    // Dates come as the text the page's data holds them in.
    expect(question.editedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(Date.now() - Date.parse(question.editedAt!)).toBeLessThan(60_000)
    expect(question.categorySlug).toBe('community')
    expect(question.tagNames).toEqual(['beta', 'gamma'])

    expect(thread!.revisions).toHaveLength(1)
    expect(thread!.revisions[0]).toMatchObject({
      postKind: 'question',
      postId: created.id,
      title: 'Original title',
      editorUsername: moderator.username,
    })
    expect(thread!.revisions[0].bodyHtml).toContain('<em>body</em>')

    // The old tag no longer finds it; the new one does.
    expect(idsOf((await listQuestions({ tagName: 'alpha' })).questions)).not.toContain(created.id)
    expect(idsOf((await listQuestions({ tagName: 'gamma' })).questions)).toContain(created.id)

    await updateQuestion({ questionId: created.id, editorId: author.id, title: 'Third title', bodySource: 'Third', categoryId: await categoryId('community'), tagNames: [] })
    const third = await getThread({ questionId: created.id, viewerId: null })
    expect(third!.question.tagNames).toEqual([])
    expect(third!.revisions.map((r) => [r.title, r.editorUsername])).toEqual([
      ['Edited title', author.username],
      ['Original title', moderator.username],
    ])
  })

  test('returns null for an unknown question', async () => {
    const editor = await createTestUser()
    expect(
      await updateQuestion({ questionId: 2_000_000_000, editorId: editor.id, title: 'x', bodySource: 'y', categoryId: await categoryId(), tagNames: [] }),
    ).toBeNull()
  })
})

describe('getThread', () => {
  test('returns null for an unknown question', async () => {
    expect(await getThread({ questionId: 2_000_000_000, viewerId: null })).toBeNull()
  })

  test('gives its dates as the ISO text of the stored moments, whatever the session’s time zone', async () => {
    const author = await createTestUser()
    const question = await createTestQuestion({ authorId: author.id })
    const answer = await createTestAnswer({ questionId: question.id, authorId: author.id })
    await db.update(answers).set({ createdAt: new Date('2031-07-04T23:59:58.007Z') }).where(eq(answers.id, answer.id))
    const thread = await getThread({ questionId: question.id, viewerId: null })
    expect(thread!.answers[0].createdAt).toBe('2031-07-04T23:59:58.007Z')
    expect(thread!.answers[0].editedAt).toBeNull()
    const [stored] = await db.select({ createdAt: questions.createdAt }).from(questions).where(eq(questions.id, question.id))
    expect(thread!.question.createdAt).toBe(stored.createdAt.toISOString())
    // The text is written in UTC by PostgreSQL, not in the session's zone.
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local time zone 'Pacific/Chatham'`)
      const [row] = await tx.select({ createdAt: isoText(answers.createdAt) }).from(answers).where(eq(answers.id, answer.id))
      expect(row.createdAt).toBe('2031-07-04T23:59:58.007Z')
    })
  })

  test('orders answers official first, then accepted, then by score, then oldest first', async () => {
    const author = await createTestUser()
    const staff = await createTestUser({ role: 'agent', supportTier: 2 })
    const writer = await createTestUser()
    const voters = [await createTestUser(), await createTestUser(), await createTestUser()]
    const question = await createTestQuestion({ authorId: author.id })

    const official = await createTestAnswer({ questionId: question.id, authorId: staff.id, body: 'Official' })
    const high = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'High' })
    const middle = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'Middle' })
    const accepted = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'Accepted' })
    const middleLater = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'Middle, later' })

    const vote = async (answerId: number, voterIndex: number, value: -1 | 1) => {
      expect(await voteOnAnswer({ answerId, voterId: voters[voterIndex].id, value })).toMatchObject({ ok: true })
    }
    // official -1, high +3, middle +1, accepted -2, middleLater +1
    await vote(official.id, 0, -1)
    await vote(high.id, 0, 1)
    await vote(high.id, 1, 1)
    await vote(high.id, 2, 1)
    await vote(middle.id, 1, 1)
    await vote(accepted.id, 0, -1)
    await vote(accepted.id, 2, -1)
    await vote(middleLater.id, 2, 1)

    // Without marks: score, then oldest first.
    const unmarked = await getThread({ questionId: question.id, viewerId: null })
    expect(idsOf(unmarked!.answers)).toEqual([high.id, middle.id, middleLater.id, official.id, accepted.id])

    expect(await setOfficialAnswer({ questionId: question.id, answerId: official.id, staffId: staff.id })).toBe(true)
    expect(await setAcceptedAnswer({ questionId: question.id, answerId: accepted.id })).toBe(true)

    const thread = await getThread({ questionId: question.id, viewerId: null })
    expect(idsOf(thread!.answers)).toEqual([official.id, accepted.id, high.id, middle.id, middleLater.id])
    expect(thread!.answers.map((a) => a.score)).toEqual([-1, -2, 3, 1, 1])
    expect(thread!.question).toMatchObject({ answerCount: 5, acceptedAnswerId: accepted.id, officialAnswerId: official.id, officialMarkedBy: staff.username })
  })

  test('shows each viewer their own vote and nobody else’s', async () => {
    const author = await createTestUser()
    const writer = await createTestUser()
    const viewer = await createTestUser()
    const otherViewer = await createTestUser()
    const question = await createTestQuestion({ authorId: author.id })
    const liked = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'Liked' })
    const disliked = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'Disliked' })
    const untouched = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'Untouched' })
    await voteOnAnswer({ answerId: liked.id, voterId: viewer.id, value: 1 })
    await voteOnAnswer({ answerId: disliked.id, voterId: viewer.id, value: -1 })

    const votesFor = async (viewerId: number | null) => {
      const thread = await getThread({ questionId: question.id, viewerId })
      return Object.fromEntries(thread!.answers.map((a) => [a.id, a.viewerVote]))
    }
    expect(await votesFor(viewer.id)).toEqual({ [liked.id]: 1, [disliked.id]: -1, [untouched.id]: null })
    expect(await votesFor(otherViewer.id)).toEqual({ [liked.id]: null, [disliked.id]: null, [untouched.id]: null })
    expect(await votesFor(null)).toEqual({ [liked.id]: null, [disliked.id]: null, [untouched.id]: null })
  })

  test('moderators see hidden, queued and removed answers; their authors see their own hidden and queued ones; others see neither', async () => {
    const asker = await createTestUser()
    const writer = await createTestUser()
    const member = await createTestUser()
    const moderator = await createTestUser({ role: 'moderator' })
    const question = await createTestQuestion({ authorId: asker.id })
    const shown = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'Shown' })
    const hidden = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'Hidden' })
    const queued = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'Queued' })
    const removed = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: 'Removed' })
    await db.update(answers).set({ hiddenAt: new Date(), hiddenReason: 'Reported' }).where(eq(answers.id, hidden.id))
    await db.update(answers).set({ queuedAt: new Date() }).where(eq(answers.id, queued.id))
    await db.update(answers).set({ removedAt: new Date(), removedReason: 'Spam' }).where(eq(answers.id, removed.id))

    const seenBy = async (viewerId: number | null, canModerate: boolean) => {
      const thread = await getThread({ questionId: question.id, viewerId, canModerate, page: 1 })
      return { ids: idsOf(thread!.answers).sort((a, b) => a - b), total: thread!.answerTotal }
    }
    // Moderators and everyone else read through two statements; each is run past the five
    // executions after which PostgreSQL may switch it to a generic plan, and must still answer alike.
    for (let run = 0; run < 7; run++) {
      expect(await seenBy(moderator.id, true)).toEqual({ ids: [shown.id, hidden.id, queued.id, removed.id], total: 4 })
      expect(await seenBy(writer.id, false)).toEqual({ ids: [shown.id, hidden.id, queued.id], total: 3 })
      expect(await seenBy(member.id, false)).toEqual({ ids: [shown.id], total: 1 })
      expect(await seenBy(null, false)).toEqual({ ids: [shown.id], total: 1 })
    }
  })
})

describe('listUserActivity', () => {
  test('lists the user’s questions and answers, newest first, with accepted and official flags', async () => {
    const member = await createTestUser()
    const asker = await createTestUser()
    const staff = await createTestUser({ role: 'agent', supportTier: 1 })
    const stranger = await createTestUser()

    const firstQuestion = await createTestQuestion({ authorId: member.id, title: 'First of mine' })
    await tick()
    const elsewhere = await createTestQuestion({ authorId: asker.id, title: 'Somebody else asks' })
    const acceptedAnswer = await createTestAnswer({ questionId: elsewhere.id, authorId: member.id, body: 'Accepted one' })
    await tick()
    const secondQuestion = await createTestQuestion({ authorId: member.id, title: 'Second of mine' })
    await tick()
    const plainAnswer = await createTestAnswer({ questionId: elsewhere.id, authorId: member.id, body: 'Plain one' })
    await tick()
    const officialAnswer = await createTestAnswer({ questionId: secondQuestion.id, authorId: member.id, body: 'Official one' })
    await createTestAnswer({ questionId: firstQuestion.id, authorId: stranger.id })

    await setAcceptedAnswer({ questionId: elsewhere.id, answerId: acceptedAnswer.id })
    await setOfficialAnswer({ questionId: secondQuestion.id, answerId: officialAnswer.id, staffId: staff.id })

    const activity = await listUserActivity({ userId: member.id })
    expect(activity.questions.map((q) => [q.id, q.title])).toEqual([
      [secondQuestion.id, 'Second of mine'],
      [firstQuestion.id, 'First of mine'],
    ])
    expect(activity.questions[0]).toMatchObject({ answerCount: 1, hasOfficialAnswer: true, hasAcceptedAnswer: false })
    expect(activity.questions[1]).toMatchObject({ answerCount: 1, hasOfficialAnswer: false, hasAcceptedAnswer: false })

    expect(activity.answers.map((a) => ({ id: a.id, questionId: a.questionId, isAccepted: a.isAccepted, isOfficial: a.isOfficial }))).toEqual([
      { id: officialAnswer.id, questionId: secondQuestion.id, isAccepted: false, isOfficial: true },
      { id: plainAnswer.id, questionId: elsewhere.id, isAccepted: false, isOfficial: false },
      { id: acceptedAnswer.id, questionId: elsewhere.id, isAccepted: true, isOfficial: false },
    ])
    expect(activity.answers[2].questionTitle).toBe('Somebody else asks')

    // Another user's activity does not leak in, and the limit is honoured.
    expect(idsOf((await listUserActivity({ userId: asker.id })).questions)).toEqual([elsewhere.id])
    expect((await listUserActivity({ userId: asker.id })).answers).toEqual([])
    const limited = await listUserActivity({ userId: member.id, limit: 1 })
    expect(idsOf(limited.questions)).toEqual([secondQuestion.id])
    expect(idsOf(limited.answers)).toEqual([officialAnswer.id])
  })
})
