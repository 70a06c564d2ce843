import { and, eq } from 'drizzle-orm'
import { strFromU8, unzipSync } from 'fflate'
import { createElement, type ComponentType } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { describe, expect, test } from 'vitest'
import { db, queryCounter } from '#db/client.server'
import { moderationActions } from '#db/schema/index'
import { updateAnswer, voteOnAnswer } from '~/forum/answers.server'
import { buildDataExport } from '~/accounts/data-export.server'
import { addTicketMessage } from '~/tickets/changes.server'
import { createTicket } from '~/tickets/open.server'
import { rateTicket } from '~/tickets/rating.server'
import { fileAppeal } from '~/moderation/appeal.server'
import { blockMember } from '~/moderation/blocks.server'
import { openConflict, postConflictMessage } from '~/moderation/conflict.server'
import { getReviewItem } from '~/moderation/queue.server'
import { decideReport, fileReport } from '~/moderation/report.server'
import * as dataPage from '~/routes/settings.data'
import DataPage from '~/routes/settings.data'
import * as exportRoute from '~/routes/settings.export'
import { startSession } from '~/platform/auth/auth.server'
import { createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'

const INTERNAL_NOTE = 'Internal: customer is on the legacy walrus plan, never refund'

/** A member with something in every part of the export, and the people around them. */
async function memberWithHistory() {
  const member = await createTestUser()
  const other = await createTestUser()
  const moderator = await createTestUser({ role: 'moderator' })
  const agent = await createTestUser({ role: 'agent', supportTier: 1 })

  const question = await createTestQuestion({ authorId: member.id, title: 'Printer drops off the network every night', body: 'It works until **midnight**, then vanishes.' })
  const othersQuestion = await createTestQuestion({ authorId: other.id, title: 'Router keeps rebooting' })
  const answer = await createTestAnswer({ questionId: othersQuestion.id, authorId: member.id, body: 'First attempt: restart the router.' })
  expect(await updateAnswer({ answerId: answer.id, editorId: member.id, bodySource: 'Better: update the router firmware to 2.4.' })).not.toBeNull()
  const othersAnswer = await createTestAnswer({ questionId: question.id, authorId: other.id, body: 'Visit my shop for cheap printers!' })
  expect((await voteOnAnswer({ answerId: othersAnswer.id, voterId: member.id, value: -1 })).ok).toBe(true)

  const { number } = await createTicket({
    requesterId: member.id,
    subject: 'Cannot download my invoice',
    priority: 'medium',
    details: { whatHappened: 'The invoice link shows a blank page.', stepsTried: '', environment: '', accountDetails: '' },
  })
  const staff = { id: agent.id, role: 'agent' as const, username: agent.username }
  expect((await addTicketMessage({ number, author: staff, bodySource: INTERNAL_NOTE, internal: true })).ok).toBe(true)
  expect((await addTicketMessage({ number, author: staff, bodySource: 'We fixed the invoice link; please try again.', statusAfter: 'solved' })).ok).toBe(true)
  expect(await rateTicket({ number, by: { requesterId: member.id }, score: 5, comment: 'Fast and friendly.' })).toEqual({ ok: true })

  expect((await fileReport({ reporterId: member.id, targetKind: 'answer', targetId: othersAnswer.id, reason: 'spam', note: 'Advertises a shop.' })).ok).toBe(true)
  const filed = await fileReport({ reporterId: other.id, targetKind: 'question', targetId: question.id, reason: 'off-topic', note: '' })
  if (!filed.ok) throw new Error('report not filed')
  const item = await getReviewItem({ id: filed.reviewItemId })
  const decided = await decideReport({
    id: filed.reviewItemId,
    version: item!.item.version,
    moderator: { id: moderator.id, role: 'moderator', username: moderator.username },
    action: 'warn',
    reason: 'Please keep questions about our products.',
  })
  expect(decided.ok).toBe(true)
  const [warning] = await db.select({ id: moderationActions.id }).from(moderationActions).where(and(eq(moderationActions.targetUserId, member.id), eq(moderationActions.action, 'warn')))
  expect((await fileAppeal({ memberId: member.id, actionId: warning.id, statement: 'The question is about your printer.' })).ok).toBe(true)

  // The other member asks moderators for help; both write in the case.
  const conflict = await openConflict({ openerId: other.id, otherUsername: member.username, description: 'They keep downvoting my answers.', links: '' })
  if (!conflict.ok) throw new Error('conflict not opened')
  expect(await postConflictMessage({ id: conflict.id, author: { id: member.id }, canModerate: false, body: 'I vote on the answers, not on the person.' })).toBe('ok')
  expect(await blockMember({ blockerId: member.id, username: other.username })).toBe('ok')
  return { member, other, moderator, agent, question, answer, othersAnswer, number, conflictId: conflict.id }
}

/** A route's page as the server renders it, from the JSON its loader sent. */
async function renderPage(Page: ComponentType, path: string, loaderData: object) {
  const handler = createStaticHandler([{ id: 'page', path: path.replace(/\?.*/, ''), Component: Page, loader: () => loaderData }])
  const context = await handler.query(new Request(`http://localhost${path}`))
  if (context instanceof Response) throw new Error(`rendering ${path} answered ${context.status}`)
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }))
}

async function download(userId: number) {
  const res = await responseOf(async () => exportRoute.loader(await routeArgs({ path: '/settings/export', userId })))
  expect(res.status).toBe(200)
  return res
}

describe('data export', () => {
  test('the zip holds the account, posts with their history, votes, tickets, reports and moderation, and no internal note', async () => {
    const w = await memberWithHistory()
    const res = await download(w.member.id)
    expect(res.headers.get('Content-Type')).toBe('application/zip')
    expect(res.headers.get('Content-Disposition')).toMatch(new RegExp(`^attachment; filename="parley-${w.member.username}-\\d{4}-\\d{2}-\\d{2}\\.zip"$`))
    expect(res.headers.get('Cache-Control')).toMatch(/no-store/)

    const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
    const texts = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]))
    // The agents' note is not the member's to see, in any file of the export.
    for (const [name, text] of Object.entries(texts)) expect(text, name).not.toContain('legacy walrus plan')

    const data = JSON.parse(texts['data.json'])
    expect(data.account).toMatchObject({ username: w.member.username, email: w.member.email, role: 'member', emailVerified: true, hideActivity: false, messagePolicy: 'everyone' })
    expect(data.account.createdAt).toEqual(expect.any(String))

    expect(data.questions).toHaveLength(1)
    expect(data.questions[0]).toMatchObject({ id: w.question.id, title: 'Printer drops off the network every night', bodySource: 'It works until **midnight**, then vanishes.', category: 'Technical' })
    expect(data.questions[0].link).toMatch(new RegExp(`/questions/${w.question.id}/printer-drops-off-the-network-every-night$`))

    expect(data.answers).toHaveLength(1)
    expect(data.answers[0]).toMatchObject({ id: w.answer.id, questionTitle: 'Router keeps rebooting', bodySource: 'Better: update the router firmware to 2.4.' })
    expect(data.answers[0].editHistory).toEqual([expect.objectContaining({ bodySource: 'First attempt: restart the router.', editedByYou: true })])

    expect(data.votes).toEqual([expect.objectContaining({ answerId: w.othersAnswer.id, value: -1 })])

    expect(data.tickets).toHaveLength(1)
    const ticket = data.tickets[0]
    expect(ticket).toMatchObject({ number: w.number, subject: 'Cannot download my invoice', status: 'solved', rating: { score: 5, comment: 'Fast and friendly.' } })
    expect(ticket.messages.map((m: { from: string; bodySource: string }) => [m.from, m.bodySource])).toEqual([
      ['you', '**What happened**\n\nThe invoice link shows a blank page.'],
      ['support', 'We fixed the invoice link; please try again.'],
    ])
    // The team's working fields stay with the team.
    for (const field of ['tier', 'assigneeId', 'needsTriage', 'ratingToken', 'nextDueAt', 'firstResponseDueAt']) expect(ticket).not.toHaveProperty(field)

    expect(data.reportsFiled).toEqual([expect.objectContaining({ targetKind: 'answer', targetId: w.othersAnswer.id, reason: 'spam', note: 'Advertises a shop.', status: 'open' })])

    const warning = data.moderationActionsAboutYou.find((a: { action: string }) => a.action === 'warn')
    expect(warning).toMatchObject({ targetKind: 'user', targetId: w.member.id, reason: 'Please keep questions about our products.' })
    // Which moderator acted is not part of the member's data.
    expect(warning).not.toHaveProperty('moderatorId')
    expect(JSON.stringify(data.moderationActionsAboutYou)).not.toContain(w.moderator.username)

    expect(data.appeals).toEqual([expect.objectContaining({ moderationActionId: warning.id, statement: 'The question is about your printer.', status: 'pending' })])
    expect(data.conflictCases).toEqual([
      expect.objectContaining({ id: w.conflictId, openedByYou: false, description: null, status: 'pending', yourMessages: [expect.objectContaining({ bodySource: 'I vote on the answers, not on the person.' })] }),
    ])
    // The other party's words are theirs.
    expect(texts['data.json']).not.toContain('They keep downvoting my answers.')
    expect(data.blocks).toEqual([expect.objectContaining({ username: w.other.username, byModerator: false })])

    // One Markdown file per post: front matter, then the source as written.
    const questionFile = texts[`posts/questions/${w.question.id}-printer-drops-off-the-network-every-night.md`]
    expect(questionFile).toMatch(/^---\ntype: "question"\ntitle: "Printer drops off the network every night"\nlink: ".*\/questions\/\d+\/printer-drops-off-the-network-every-night"\ncreated: "\d{4}-/)
    expect(questionFile).toContain('\n# Printer drops off the network every night\n\nIt works until **midnight**, then vanishes.\n')
    const answerFile = texts[`posts/answers/${w.answer.id}-router-keeps-rebooting.md`]
    expect(answerFile).toContain(`/answers/${w.answer.id}"`)
    expect(answerFile).toContain('Better: update the router firmware to 2.4.')
    expect(Object.keys(files).sort()).toEqual(
      ['data.json', `posts/answers/${w.answer.id}-router-keeps-rebooting.md`, `posts/questions/${w.question.id}-printer-drops-off-the-network-every-night.md`].sort(),
    )
  })

  test('sessions are listed with device and address; another member gets only their own data', async () => {
    const w = await memberWithHistory()
    const args = await routeArgs({ path: '/settings/export', userId: w.member.id, ip: '192.0.2.44', headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0' } })
    // The session routeArgs made carries no device; one started with a browser's details does.
    await startSession(w.member.id, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0', ipAddress: '192.0.2.44' })
    const res = await responseOf(() => exportRoute.loader(args))
    const data = JSON.parse(strFromU8(unzipSync(new Uint8Array(await res.arrayBuffer()))['data.json']))
    expect(data.sessions).toContainEqual(expect.objectContaining({ ipAddress: '192.0.2.44', device: expect.stringMatching(/^Firefox 131 on Linux/) }))

    const theirs = JSON.parse(strFromU8(unzipSync(new Uint8Array(await (await download(w.other.id)).arrayBuffer()))['data.json']))
    expect(theirs.account.username).toBe(w.other.username)
    expect(theirs.tickets).toEqual([])
    expect(theirs.answers.map((a: { id: number }) => a.id)).toEqual([w.othersAnswer.id])
    expect(JSON.stringify(theirs)).not.toContain(w.member.email)
  })

  test('the export costs the same number of queries however much the member wrote', async () => {
    const w = await memberWithHistory()
    const queriesFor = async () => {
      const before = queryCounter.count
      expect(await buildDataExport({ userId: w.member.id })).not.toBeNull()
      return queryCounter.count - before
    }
    const first = await queriesFor()
    // Not w.other: the member blocked them, so they may not answer the member's questions.
    const answerer = await createTestUser()
    for (let i = 0; i < 3; i++) {
      const q = await createTestQuestion({ authorId: w.member.id })
      const a = await createTestAnswer({ questionId: q.id, authorId: answerer.id })
      await voteOnAnswer({ answerId: a.id, voterId: w.member.id, value: 1 })
      const own = await createTestAnswer({ questionId: q.id, authorId: w.member.id })
      await updateAnswer({ answerId: own.id, editorId: w.member.id, bodySource: `Edited ${i}` })
    }
    expect(await queriesFor()).toBe(first)
  })

  test('a visitor is sent to log in, and the settings page links to the download', async () => {
    const res = await responseOf(async () => exportRoute.loader(await routeArgs({ path: '/settings/export' })))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?redirectTo=%2Fsettings%2Fexport')
    const member = await createTestUser()
    const page = await responseOf(async () => dataPage.loader(await routeArgs({ path: '/settings/data', userId: member.id })))
    const html = await renderPage(DataPage, '/settings/data', await page.json())
    expect(html).toMatch(/<a href="\/settings\/export"[^>]*>Download my data<\/a>/)
    expect(html).toContain('>Deactivate account</button>')
    expect(html).toContain('>Delete my account</button>')
    expect(html).toContain(`Type your username, ${member.username}, to confirm`)
    expect(html).toContain('Logging in within the 30 days cancels the deletion')
  })
})
