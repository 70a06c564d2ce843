import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, test, vi } from 'vitest'
import type { UserRole } from '#db/schema/users'
import { db, rowsOf } from '#db/client.server'
import { answers, moderationActions, notifications, questions, reviewItems, users, watches, watchedWords } from '#db/schema/index'
import { searchIndexJob } from '#search/search-jobs.server'
import { createAnswer, updateAnswer } from '~/forum/answers.server'
import { createQuestion, getThread, updateQuestion } from '~/forum/questions.server'
import { profileTexts, updateProfile } from '~/accounts/profile.server'
import { contentVisible, viewerOf, VISITOR } from '~/forum/visibility.server'
import { categoryId, createTestQuestion, createTestUser } from '../../tests/factories'
import { gatePost, gateProfile, type PostGate } from './posting-gate.server'
import { decideQueuedPost } from './queued-post.server'
import { DEFAULT_SPAM_SETTINGS } from './spam-rules'
import { saveWatchedWord, updateSpamSettings } from './watched-words.server'

const BODY = 'It stopped working after the update and shows an error every time I open it.'

const searchJobs = async (questionId: number) =>
  rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from pgboss.job where name = ${searchIndexJob.queue.name} and data->'questionIds' @> to_jsonb(${questionId}::int)`))[0].n

async function itemFor(kind: 'question' | 'answer', id: number) {
  const [item] = await db
    .select({ id: reviewItems.id, kind: reviewItems.kind, version: reviewItems.version, status: reviewItems.status, statement: reviewItems.statement, resolution: reviewItems.resolution })
    .from(reviewItems)
    .where(and(eq(reviewItems.targetKind, kind), eq(reviewItems.targetId, id)))
  return item
}

/** Asks the gate as a route does, then stores the question with its verdict. */
async function ask(author: { id: number; role: 'member' | 'moderator' | 'agent' | 'admin' }, title: string, body = BODY, tags: string[] = []) {
  const verdict = await gatePost({ author, kind: 'question', texts: { title, body, tags } })
  if (verdict.action === 'block') return { verdict, question: null }
  const question = await createQuestion({ authorId: author.id, title, bodySource: body, categoryId: await categoryId(), tagNames: tags, gate: verdict })
  return { verdict, question }
}

describe('a new member’s first posts wait for approval', () => {
  test('the first question is stored but not published: author and moderators see it, nobody is told, nothing is indexed', async () => {
    const newcomer = await createTestUser({ trusted: false })
    const watcher = await createTestUser()
    const moderator = await createTestUser({ role: 'moderator' })
    await db.insert(watches).values({ userId: watcher.id, categoryId: await categoryId(), level: 'watching' })
    const { verdict, question } = await ask(newcomer, 'My sync stops after ten minutes')
    expect(verdict).toMatchObject({ action: 'queue', reasons: [expect.stringMatching(/new member/)] })
    const id = question!.id
    expect(await contentVisible({ kind: 'question', id, viewer: viewerOf(newcomer) })).toBe(true)
    expect(await contentVisible({ kind: 'question', id, viewer: viewerOf(moderator) })).toBe(true)
    expect(await contentVisible({ kind: 'question', id, viewer: viewerOf(watcher) })).toBe(false)
    expect(await contentVisible({ kind: 'question', id, viewer: VISITOR })).toBe(false)
    expect(await searchJobs(id)).toBe(0)
    expect(await db.select().from(notifications).where(eq(notifications.questionId, id))).toEqual([])
    const item = await itemFor('question', id)
    expect(item).toMatchObject({ kind: 'queued-post', status: 'pending' })

    const [before] = await db.select({ createdAt: questions.createdAt }).from(questions).where(eq(questions.id, id))
    expect(await decideQueuedPost({ id: item.id, version: item.version, moderator, action: 'approve', reason: '' })).toEqual({ ok: true })
    const [after] = await db.select({ createdAt: questions.createdAt, queuedAt: questions.queuedAt }).from(questions).where(eq(questions.id, id))
    expect(after).toEqual({ createdAt: before.createdAt, queuedAt: null })
    expect(await contentVisible({ kind: 'question', id, viewer: VISITOR })).toBe(true)
    expect(await searchJobs(id)).toBeGreaterThan(0)
    const told = await db.select({ userId: notifications.userId, kind: notifications.kind }).from(notifications).where(eq(notifications.questionId, id))
    expect(told).toContainEqual({ userId: watcher.id, kind: 'watched-category' })
    expect(await itemFor('question', id)).toMatchObject({ status: 'resolved', resolution: 'approve' })
    const actions = await db.select({ action: moderationActions.action }).from(moderationActions).where(eq(moderationActions.reviewItemId, item.id))
    expect(actions).toEqual([{ action: 'approve' }])
    // Deciding again is refused: it was decided.
    expect(await decideQueuedPost({ id: item.id, version: item.version, moderator, action: 'reject', reason: 'too late now' })).toMatchObject({ ok: false, reason: 'conflict' })
  })

  test('a queued answer leaves the thread untouched until approved; then it counts, and the asker is told', async () => {
    const asker = await createTestUser()
    const newcomer = await createTestUser({ trusted: false })
    const moderator = await createTestUser({ role: 'moderator' })
    const question = await createTestQuestion({ authorId: asker.id })
    const gate = await gatePost({ author: newcomer, kind: 'answer', questionId: question.id, texts: { body: 'Turn off the battery saver, that fixed it for me.' } })
    expect(gate.action).toBe('queue')
    const answer = (await createAnswer({ questionId: question.id, authorId: newcomer.id, bodySource: 'Turn off the battery saver, that fixed it for me.', gate: gate as PostGate }))!
    expect(answer.queued).toBe(true)
    const count = async () => (await db.select({ n: questions.answerCount }).from(questions).where(eq(questions.id, question.id)))[0].n
    expect(await count()).toBe(0)
    expect(await db.select().from(notifications).where(eq(notifications.answerId, answer.id))).toEqual([])
    // The asker's page does not show it; the author's does, marked.
    expect((await getThread({ questionId: question.id, viewerId: asker.id }))!.answers).toEqual([])
    const own = (await getThread({ questionId: question.id, viewerId: newcomer.id }))!.answers
    expect(own.map((a) => [a.id, Boolean(a.queuedAt)])).toEqual([[answer.id, true]])

    const item = await itemFor('answer', answer.id)
    expect(await decideQueuedPost({ id: item.id, version: item.version, moderator, action: 'edit-approve', reason: '', edit: { body: 'Turn off the battery saver in Settings.' } })).toEqual({ ok: true })
    expect(await count()).toBe(1)
    const [published] = await db.select({ bodySource: answers.bodySource, queuedAt: answers.queuedAt }).from(answers).where(eq(answers.id, answer.id))
    expect(published).toEqual({ bodySource: 'Turn off the battery saver in Settings.', queuedAt: null })
    const told = await db.select({ userId: notifications.userId, kind: notifications.kind }).from(notifications).where(eq(notifications.answerId, answer.id))
    expect(told).toContainEqual({ userId: asker.id, kind: 'new-answer' })
  })

  test('rejected: never published, the reason reaches the author, and it does not count towards trust', async () => {
    const newcomer = await createTestUser({ trusted: false })
    const moderator = await createTestUser({ role: 'moderator' })
    const { question } = await ask(newcomer, 'Where can I buy cheap licences?')
    const item = await itemFor('question', question!.id)
    expect(await decideQueuedPost({ id: item.id, version: item.version, moderator, action: 'reject', reason: '' })).toMatchObject({ ok: false, reason: 'invalid' })
    expect(await decideQueuedPost({ id: item.id, version: item.version, moderator, action: 'reject', reason: 'Selling licences is not allowed here.' })).toEqual({ ok: true })
    expect(await contentVisible({ kind: 'question', id: question!.id, viewer: viewerOf(newcomer) })).toBe(false)
    const [told] = await db.select({ text: notifications.text, kind: notifications.kind }).from(notifications).where(and(eq(notifications.userId, newcomer.id), eq(notifications.kind, 'moderation-outcome')))
    expect(told.text).toMatch(/did not approve/)
    // The reason is on the member's own record (/me/moderation), where the notification leads.
    const record = await db.select({ action: moderationActions.action, reason: moderationActions.reason }).from(moderationActions).where(eq(moderationActions.targetUserId, newcomer.id))
    expect(record).toEqual([{ action: 'reject', reason: 'Selling licences is not allowed here.' }])
    // Still new: the next post waits too.
    expect((await gatePost({ author: newcomer, kind: 'question', texts: { title: 'Another question here', body: BODY } })).action).toBe('queue')
  })

  test('after the first posts are published the member posts freely; staff and trusted members never wait', async () => {
    await updateSpamSettings({ values: { ...DEFAULT_SPAM_SETTINGS, 'approval-post-count': 1 }, adminId: (await createTestUser({ role: 'admin' })).id })
    try {
      const newcomer = await createTestUser({ trusted: false })
      const moderator = await createTestUser({ role: 'moderator' })
      const { question } = await ask(newcomer, 'First question from a newcomer')
      const item = await itemFor('question', question!.id)
      await decideQueuedPost({ id: item.id, version: item.version, moderator, action: 'approve', reason: '' })
      expect((await gatePost({ author: newcomer, kind: 'question', texts: { title: 'Second question of mine', body: BODY } })).action).toBe('publish')
      const agent = await createTestUser({ role: 'agent', supportTier: 1, trusted: false })
      expect((await gatePost({ author: agent, kind: 'question', texts: { title: 'An agent asks a question', body: BODY } })).action).toBe('publish')
      expect((await gatePost({ author: await createTestUser(), kind: 'question', texts: { title: 'A trusted member asks', body: BODY } })).action).toBe('publish')
    } finally {
      await updateSpamSettings({ values: DEFAULT_SPAM_SETTINGS, adminId: (await createTestUser({ role: 'admin' })).id })
    }
  })

  test('members of an exempt email domain, or of one of its subdomains, do not wait; a look-alike domain does', async () => {
    vi.stubEnv('APPROVAL_EXEMPT_EMAIL_DOMAINS', 'staff.example, Partner.Example')
    try {
      const verdictFor = async (email: string) => {
        const newcomer = await createTestUser({ trusted: false })
        await db.update(users).set({ email }).where(eq(users.id, newcomer.id))
        return (await gatePost({ author: newcomer, kind: 'question', texts: { title: 'A question from a colleague', body: BODY } })).action
      }
      expect(await verdictFor('ann@staff.example')).toBe('publish')
      expect(await verdictFor('bob@eu.partner.example')).toBe('publish')
      expect(await verdictFor('eve@notstaff.example')).toBe('queue')
      expect(await verdictFor('mal@staff.example.evil.test')).toBe('queue')
    } finally {
      vi.unstubAllEnvs()
    }
  })

  test('callers can add reasons of their own to hold a post (screened addresses plug in here)', async () => {
    const member = await createTestUser()
    const verdict = await gatePost({ author: member, kind: 'question', texts: { title: 'A question', body: BODY }, ip: '203.0.113.9', requireApproval: ['Posted from a screened network address.'] })
    expect(verdict).toEqual({ action: 'queue', reasons: ['Posted from a screened network address.'], score: 0, flags: [] })
  })
})

describe('watched words at write time', () => {
  test('block names the word; require approval holds; flag publishes and opens a queue item; censor masks the HTML and keeps the source', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const unique = `zq${Date.now().toString(36)}`
    await saveWatchedWord({ word: `${unique}block`, action: 'block', adminId: admin.id })
    await saveWatchedWord({ word: `${unique}hold`, action: 'require-approval', adminId: admin.id })
    await saveWatchedWord({ word: `${unique}flag`, action: 'flag', adminId: admin.id })
    await saveWatchedWord({ word: `${unique}Censor`, action: 'censor', adminId: admin.id })
    try {
      const member = await createTestUser()
      const staff = await createTestUser({ role: 'moderator' })
      expect(await gatePost({ author: member, kind: 'question', texts: { title: `Title with ${unique.toUpperCase()}BLOCK`, body: BODY } })).toEqual({
        action: 'block',
        field: 'title',
        message: `“${unique}block” is not allowed here. Take it out to post.`,
      })
      expect(await gatePost({ author: staff, kind: 'answer', questionId: 1, texts: { body: `Staff too: ${unique}block.` } })).toMatchObject({ action: 'block', field: 'body' })
      expect(await gatePost({ author: member, kind: 'question', texts: { title: 'A fine title here', body: BODY, tags: [`${unique}block`] } })).toMatchObject({ action: 'block', field: 'tags' })
      expect(await gateProfile({ author: member, texts: { displayName: 'Nice name', bio: `I like ${unique}block.` }, previous: { displayName: null, bio: '' } })).toMatchObject({ action: 'block', field: 'bio' })

      const held = await ask(member, `Question about ${unique}hold`)
      expect(held.verdict).toMatchObject({ action: 'queue', reasons: [`Watched word “${unique}hold” requires approval.`] })
      expect((await itemFor('question', held.question!.id)).kind).toBe('queued-post')

      const flagged = await ask(member, `Question about ${unique}flag`)
      expect(flagged.verdict).toEqual({ action: 'publish', flags: [`Watched word “${unique}flag” flagged this post.`] })
      expect(await itemFor('question', flagged.question!.id)).toMatchObject({ kind: 'report', status: 'pending', statement: `Watched word “${unique}flag” flagged this post.` })
      expect(await contentVisible({ kind: 'question', id: flagged.question!.id, viewer: VISITOR })).toBe(true)

      const censored = await ask(member, `A title with ${unique}censor in it`, `The body says ${unique}CENSOR, **loudly**, and <${unique}censor>.`)
      const [row] = await db.select({ title: questions.title, bodySource: questions.bodySource, bodyHtml: questions.bodyHtml }).from(questions).where(eq(questions.id, censored.question!.id))
      const mask = '■'.repeat(unique.length + 6)
      expect(row.title).toBe(`A title with ${mask} in it`)
      expect(row.bodySource).toContain(`${unique}CENSOR`)
      expect(row.bodyHtml).not.toMatch(new RegExp(`${unique}censor`, 'i'))
      expect(row.bodyHtml).toContain(mask)
    } finally {
      await db.delete(watchedWords).where(sql`${watchedWords.word} like ${`${unique}%`}`)
    }
  })
})

describe('watched words on edits and profiles', () => {
  test('an edit that adds a "require approval" or "flag" word stays public and opens one queue item; words already there, and staff, do not', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const unique = `ze${Date.now().toString(36)}`
    await saveWatchedWord({ word: `${unique}hold`, action: 'require-approval', adminId: admin.id })
    await saveWatchedWord({ word: `${unique}flag`, action: 'flag', adminId: admin.id })
    await saveWatchedWord({ word: `${unique}block`, action: 'block', adminId: admin.id })
    try {
      const member = await createTestUser()
      const question = await createTestQuestion({ authorId: member.id })
      const editQuestion = async (body: string, previousBody: string, author: { id: number; role: UserRole } = member) => {
        const texts = { title: 'An edited question title', body, tags: [] }
        const verdict = await gatePost({ author, kind: 'question', questionId: question.id, texts, edit: { previous: { title: 'An edited question title', body: previousBody, tags: [] } } })
        if (verdict.action === 'publish') await updateQuestion({ questionId: question.id, editorId: author.id, title: texts.title, bodySource: body, categoryId: await categoryId(), tagNames: [], flags: verdict.flags })
        return verdict
      }
      expect(await editQuestion(`Now with ${unique}block.`, BODY)).toMatchObject({ action: 'block', field: 'body', message: `“${unique}block” is not allowed here. Take it out to post.` })
      expect(await itemFor('question', question.id)).toBeUndefined()

      const added = `${BODY} Also ${unique}hold and ${unique}FLAG.`
      expect(await editQuestion(added, BODY)).toEqual({
        action: 'publish',
        flags: [`Watched word “${unique}hold” (requires approval) added in an edit.`, `Watched word “${unique}flag” (flag) added in an edit.`],
      })
      const item = await itemFor('question', question.id)
      expect(item).toMatchObject({ kind: 'report', status: 'pending' })
      expect(item.statement).toContain(`“${unique}hold” (requires approval) added in an edit`)
      expect(await contentVisible({ kind: 'question', id: question.id, viewer: VISITOR })).toBe(true)
      // Editing again with the same words says nothing new.
      expect(await editQuestion(`${added} More detail.`, added)).toEqual({ action: 'publish', flags: [] })
      expect((await itemFor('question', question.id)).version).toBe(item.version)
      // A moderator's edit is never flagged.
      expect(await editQuestion(`${BODY} ${unique}flag`, BODY, await createTestUser({ role: 'moderator' }))).toEqual({ action: 'publish', flags: [] })

      const answer = (await createAnswer({ questionId: question.id, authorId: member.id, bodySource: BODY }))!
      const answerVerdict = await gatePost({ author: member, kind: 'answer', questionId: question.id, texts: { body: `${BODY} ${unique}flag` }, edit: { previous: { body: BODY } } })
      expect(answerVerdict).toEqual({ action: 'publish', flags: [`Watched word “${unique}flag” (flag) added in an edit.`] })
      await updateAnswer({ answerId: answer.id, editorId: member.id, bodySource: `${BODY} ${unique}flag`, flags: answerVerdict.action === 'publish' ? answerVerdict.flags : [] })
      expect(await itemFor('answer', answer.id)).toMatchObject({ kind: 'report', statement: `Watched word “${unique}flag” (flag) added in an edit.` })
    } finally {
      await db.delete(watchedWords).where(sql`${watchedWords.word} like ${`${unique}%`}`)
    }
  })

  test('a display name or bio that adds such a word is saved and opens a queue item on the profile', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const unique = `zp${Date.now().toString(36)}`
    await saveWatchedWord({ word: `${unique}hold`, action: 'require-approval', adminId: admin.id })
    await saveWatchedWord({ word: `${unique}flag`, action: 'flag', adminId: admin.id })
    try {
      const member = await createTestUser()
      const texts = { displayName: `Ann ${unique}flag`, bio: `I sell ${unique}hold things.` }
      const verdict = await gateProfile({ author: member, texts, previous: await profileTexts(member.id) })
      expect(verdict).toEqual({
        action: 'publish',
        flags: [`Watched word “${unique}flag” (flag) added in a profile change.`, `Watched word “${unique}hold” (requires approval) added in a profile change.`],
      })
      await updateProfile({ userId: member.id, displayName: texts.displayName, bioSource: texts.bio, flags: verdict.action === 'publish' ? verdict.flags : [] })
      expect(await profileTexts(member.id)).toEqual({ displayName: texts.displayName, bio: texts.bio })
      const [item] = await db.select({ kind: reviewItems.kind, status: reviewItems.status, statement: reviewItems.statement, targetUserId: reviewItems.targetUserId }).from(reviewItems).where(and(eq(reviewItems.targetKind, 'user'), eq(reviewItems.targetId, member.id)))
      expect(item).toMatchObject({ kind: 'report', status: 'pending', targetUserId: member.id })
      expect(item.statement).toContain('added in a profile change')
      // Saving the same profile again adds nothing; staff profiles are never flagged.
      expect(await gateProfile({ author: member, texts, previous: await profileTexts(member.id) })).toEqual({ action: 'publish', flags: [] })
      expect(await gateProfile({ author: { role: 'moderator' }, texts, previous: { displayName: null, bio: '' } })).toEqual({ action: 'publish', flags: [] })
    } finally {
      await db.delete(watchedWords).where(sql`${watchedWords.word} like ${`${unique}%`}`)
    }
  })
})

describe('spam rules at write time', () => {
  test('the same text in several threads is held; past the block threshold it is refused', async () => {
    const member = await createTestUser()
    const text = 'Contact me on telegram for the best investment opportunity of the year, guaranteed returns'
    const first = await createTestQuestion({ authorId: member.id })
    const second = await createTestQuestion({ authorId: (await createTestUser()).id })
    await createAnswer({ questionId: first.id, authorId: member.id, bodySource: text })
    const verdict = await gatePost({ author: member, kind: 'answer', questionId: second.id, texts: { body: text.toUpperCase() + '!!!' } })
    expect(verdict).toMatchObject({ action: 'queue', score: DEFAULT_SPAM_SETTINGS['duplicate-points'] })
    expect((verdict as { reasons: string[] }).reasons[0]).toMatch(/same text was posted in another thread/)
    const admin = await createTestUser({ role: 'admin' })
    await updateSpamSettings({ values: { ...DEFAULT_SPAM_SETTINGS, 'queue-at': 2, 'block-at': 5 }, adminId: admin.id })
    try {
      expect(await gatePost({ author: member, kind: 'answer', questionId: second.id, texts: { body: text } })).toMatchObject({ action: 'block', field: 'body' })
    } finally {
      await updateSpamSettings({ values: DEFAULT_SPAM_SETTINGS, adminId: admin.id })
    }
  })

  test('a sign-up followed at once by links is held, with every rule that fired named', async () => {
    const member = await createTestUser({ trusted: false })
    const verdict = await gatePost({ author: member, kind: 'question', texts: { title: 'Cheap watches', body: 'Best deals at https://watches.example/buy today' } })
    expect(verdict.action).toBe('queue')
    const reasons = (verdict as { reasons: string[] }).reasons.join(' ')
    expect(reasons).toMatch(/Spam score 6: 1 link in an early post \(\+1\); links to watches\.example, new for this member \(\+1\); links with little else said \(\+2\); links within 60 minutes of signing up \(\+2\)/)
    expect(reasons).toMatch(/new member/)
  })

  test('posting velocity: the fifth post in ten minutes is held', async () => {
    const member = await createTestUser()
    for (let i = 0; i < 4; i += 1) await createTestQuestion({ authorId: member.id, title: `Burst question number ${i} here` })
    const verdict = await gatePost({ author: member, kind: 'question', texts: { title: 'Burst question number 5', body: 'Check https://burst.example' } })
    expect(verdict).toMatchObject({ action: 'queue' })
    expect((verdict as { reasons: string[] }).reasons[0]).toMatch(/5 posts in 10 minutes/)
  })
})
