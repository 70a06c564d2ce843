import { and, eq } from 'drizzle-orm'
import type { AddressObject } from 'mailparser'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { answers, moderationActions, notifications, questions, tickets, users } from '#db/schema/index'
import { drainQueue } from '~/platform/jobs/boss.server'
import { sendMailJob } from '~/platform/mail-jobs.server'
import { setAcceptedAnswer, setOfficialAnswer, updateAnswer } from '~/forum/answers.server'
import { addTicketMessage } from '~/tickets/changes.server'
import { createTicket } from '~/tickets/open.server'
import { decideAppeal, fileAppeal } from '~/moderation/appeal.server'
import { blockMember } from '~/moderation/blocks.server'
import { getReviewItem } from '~/moderation/queue.server'
import { decideReport, fileReport } from '~/moderation/report.server'
import { sendNotificationDigests } from '~/notifications/digest.server'
import { mentionedUsernames } from '~/notifications/events.server'
import { notify } from '~/notifications/notify.server'
import { setNotificationPreferences } from '~/notifications/preferences.server'
import { setWatch } from '~/notifications/watches.server'
import { NOTIFICATION_KINDS, type NotificationDelivery, type NotificationKind } from '~/notifications/kinds'
import * as categoryPage from '~/routes/c.$categorySlug'
import * as notificationPage from '~/routes/notifications.$id'
import * as notificationsPage from '~/routes/notifications._index'
import * as preferencesPage from '~/routes/settings.notifications'
import * as threadPage from '~/routes/questions.$id.($slug)'
import * as root from '~/root'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'
import { useSmtpReceivers } from '../setup/smtp-receivers'

// Notifications end to end: made by the real models and routes, listed by the real pages, mailed
// by the real job through SMTP to a real SMTP server.

const receiver = useSmtpReceivers()
const mailServer = () => receiver({ point: true })
const addresses = (field: AddressObject | AddressObject[] | undefined) => [field ?? []].flat().flatMap((a) => a.value.map((v) => v.address))

type Member = Awaited<ReturnType<typeof createTestUser>>

async function inbox(user: { id: number }) {
  const res = await responseOf(async () => notificationsPage.loader(await routeArgs({ path: '/notifications', userId: user.id })))
  expect(res.status).toBe(200)
  return (await res.json()).notifications as { id: number; kind: NotificationKind; text: string; link: string; readAt: string | null }[]
}

async function unreadCount(user: { id: number }) {
  const res = await responseOf(async () => root.loader(await routeArgs({ path: '/', userId: user.id })))
  return (await res.json()).user.unreadNotificationCount as number
}

/** Runs the queued mail jobs and returns the mails that reached this member. */
async function mailsTo(smtp: Awaited<ReturnType<typeof mailServer>>, member: Member) {
  await drainQueue(sendMailJob)
  return smtp.messages.filter((m) => addresses(m.to).includes(member.email))
}

const answerThroughThePage = async (questionId: number, user: Member, body: string) => {
  const res = await responseOf(async () =>
    threadPage.action(await routeArgs({ path: `/questions/${questionId}`, method: 'POST', userId: user.id, form: { intent: 'answer', body }, params: { id: String(questionId) } })),
  )
  expect(res.status).toBe(302)
  return Number(res.headers.get('Location')!.match(/#answer-(\d+)$/)![1])
}

const prefer = (user: Member, kind: NotificationKind, delivery: NotificationDelivery) =>
  setNotificationPreferences({
    userId: user.id,
    deliveries: { ...Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k.kind, k.defaultDelivery])), [kind]: delivery } as Record<NotificationKind, NotificationDelivery>,
  })

describe('each kind of notification', () => {
  test('a new answer to my question: in the app with the bell count, and by mail at once', async () => {
    const smtp = await mailServer()
    const asker = await createTestUser()
    const answerer = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id, title: 'Why does the sync stop at 99 percent?' })
    const answerId = await answerThroughThePage(question.id, answerer, 'Clear the cache and sync again.')

    const [n] = await inbox(asker)
    expect(n).toMatchObject({ kind: 'new-answer', text: `${answerer.username} answered your question “Why does the sync stop at 99 percent?”`, readAt: null })
    expect(n.link).toBe(`/answers/${answerId}`)
    expect(await unreadCount(asker)).toBe(1)
    const [mail] = await mailsTo(smtp, asker)
    expect(mail.subject).toBe(n.text)
    expect(mail.text).toContain(`${n.link}`)
    expect(mail.text).toContain('/settings/notifications')
    // The answerer is not told about their own answer.
    expect(await inbox(answerer)).toEqual([])
  })

  test('my answer accepted, and my answer marked official', async () => {
    const asker = await createTestUser()
    const answerer = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const question = await createTestQuestion({ authorId: asker.id, title: 'Printing labels in bulk' })
    const answer = await createTestAnswer({ questionId: question.id, authorId: answerer.id })
    await setAcceptedAnswer({ questionId: question.id, answerId: answer.id, actorId: asker.id })
    // Accepting the same answer again tells nobody twice.
    await setAcceptedAnswer({ questionId: question.id, answerId: answer.id, actorId: asker.id })
    await setOfficialAnswer({ questionId: question.id, answerId: answer.id, staffId: agent.id })
    expect((await inbox(answerer)).map((n) => [n.kind, n.text])).toEqual([
      ['answer-official', 'Support staff marked your answer to “Printing labels in bulk” as the official answer'],
      ['answer-accepted', 'Your answer to “Printing labels in bulk” was accepted'],
    ])
  })

  test('a reply in a thread I watch: answerers watch automatically; the asker hears once, as the asker', async () => {
    const asker = await createTestUser()
    const first = await createTestUser()
    const second = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id, title: 'Backups fail on Sundays' })
    await answerThroughThePage(question.id, first, 'Check the disk quota.')
    await answerThroughThePage(question.id, second, 'The Sunday job runs at the same time as the cleanup.')
    expect((await inbox(first)).map((n) => [n.kind, n.text])).toEqual([['watched-thread', `${second.username} answered “Backups fail on Sundays”, a thread you watch`]])
    expect((await inbox(asker)).map((n) => n.kind)).toEqual(['new-answer', 'new-answer'])
  })

  test('a new question in a category I watch, through the category page', async () => {
    const watcher = await createTestUser()
    const asker = await createTestUser()
    const watch = await responseOf(async () =>
      categoryPage.action(await routeArgs({ path: '/c/account', method: 'POST', userId: watcher.id, form: { intent: 'watch', level: 'watching' }, params: { categorySlug: 'account' } })),
    )
    expect(watch.status).toBe(302)
    const page = await responseOf(async () => categoryPage.loader(await routeArgs({ path: '/c/account', userId: watcher.id, params: { categorySlug: 'account' } })))
    expect((await page.json()).watchLevel).toBe('watching')
    await createTestQuestion({ authorId: asker.id, category: 'account', title: 'Invoice shows the wrong VAT number' })
    await createTestQuestion({ authorId: asker.id, category: 'technical', title: 'Not in the watched category' })
    expect((await inbox(watcher)).map((n) => [n.kind, n.text])).toEqual([['watched-category', `New question from ${asker.username}: “Invoice shows the wrong VAT number”`]])
  })

  test('an @mention of me, in an answer; code is not a mention, and a mention does not add a second notification', async () => {
    const asker = await createTestUser()
    const mentioned = await createTestUser()
    const answerer = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id, title: 'Who knows the API limits?' })
    await answerThroughThePage(question.id, answerer, `@${mentioned.username} wrote the API docs; @${asker.username} see there. \`@${mentioned.username}\` in code is not a mention.`)
    expect((await inbox(mentioned)).map((n) => [n.kind, n.text])).toEqual([['mention', `${answerer.username} mentioned you in an answer to “Who knows the API limits?”`]])
    // The asker is mentioned too, but hears of it once, as the new answer.
    expect((await inbox(asker)).map((n) => n.kind)).toEqual(['new-answer'])
    expect(mentionedUsernames('mail me at a@example.com, @bob-1 and @bob-1 again\n```\n@decorator\n```')).toEqual(['bob-1'])
    // The mention of a member is a link to their profile in the stored answer.
    const [stored] = await db.select({ bodyHtml: answers.bodyHtml }).from(answers).where(eq(answers.questionId, question.id))
    expect(stored.bodyHtml).toContain(`<a href="/u/${mentioned.username}" rel="nofollow ugc noopener">@${mentioned.username}</a>`)
  })

  test('an edit that adds a mention tells only the newly mentioned member', async () => {
    const [author, first, second] = await Promise.all([createTestUser(), createTestUser(), createTestUser()])
    const question = await createTestQuestion({ authorId: (await createTestUser()).id, title: 'Where are the audit logs kept?' })
    const answer = await createTestAnswer({ questionId: question.id, authorId: author.id, body: `Ask @${first.username}, they set it up.` })
    await updateAnswer({ answerId: answer.id, editorId: author.id, bodySource: `Ask @${first.username} or @${second.username}, they set it up.` })
    expect((await inbox(first)).map((n) => n.kind)).toEqual(['mention'])
    expect((await inbox(second)).map((n) => [n.kind, n.text])).toEqual([['mention', `${author.username} mentioned you in an answer to “Where are the audit logs kept?”`]])
  })

  test('ticket updates reach the requester in the app and by mail that still threads with the ticket', async () => {
    const smtp = await mailServer()
    const requester = await createTestUser()
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const { number } = await createTicket({ requesterId: requester.id, subject: 'Export fails', priority: 'medium', details: { whatHappened: 'It fails.', stepsTried: '', environment: '', accountDetails: '' } })
    await addTicketMessage({ number, author: { id: agent.id, role: 'agent', username: agent.username }, bodySource: 'Internal: looks like the known bug.', internal: true })
    await addTicketMessage({ number, author: { id: agent.id, role: 'agent', username: agent.username }, bodySource: 'We found the cause; a fix is coming.' })
    expect((await inbox(requester)).map((n) => [n.kind, n.text, n.link])).toEqual([
      ['ticket-update', `${agent.username} replied to your request #${number}`, `/tickets/${number}`],
      ['ticket-update', `We received your request #${number} “Export fails”`, `/tickets/${number}`],
    ])
    const mails = await mailsTo(smtp, requester)
    expect(mails.map((m) => m.subject)).toEqual([`Received: [#${number}] Export fails`, `Re: [#${number}] Export fails`])
    expect(mails[1].text).toContain('We found the cause')
    expect(mails.map((m) => m.text).join('\n')).not.toContain('Internal: looks like the known bug')
  })

  test('moderation outcomes reach the author and the reporter; an appeal decision reaches the author', async () => {
    const author = await createTestUser()
    const reporter = await createTestUser()
    const [mod1, mod2] = await Promise.all([createTestUser({ role: 'moderator' }), createTestUser({ role: 'moderator' })])
    const question = await createTestQuestion({ authorId: (await createTestUser()).id })
    const answer = await createTestAnswer({ questionId: question.id, authorId: author.id })
    const filed = await fileReport({ reporterId: reporter.id, targetKind: 'answer', targetId: answer.id, reason: 'spam', note: '' })
    if (!filed.ok) throw new Error('report not filed')
    const item = await getReviewItem({ id: filed.reviewItemId })
    expect(await decideReport({ id: filed.reviewItemId, version: item!.item.version, moderator: { id: mod1.id, role: 'moderator' }, action: 'hide', reason: 'Advertising.' })).toEqual({ ok: true })
    expect((await inbox(author)).map((n) => [n.kind, n.link])).toEqual([['moderation-outcome', '/me/moderation']])
    expect((await inbox(reporter)).map((n) => [n.kind, n.text])).toEqual([['report-outcome', 'Your report was reviewed']])

    const [hideAction] = await db.select({ id: moderationActions.id }).from(moderationActions).where(and(eq(moderationActions.targetKind, 'answer'), eq(moderationActions.targetId, answer.id), eq(moderationActions.action, 'hide')))
    const appeal = await fileAppeal({ memberId: author.id, actionId: hideAction.id, statement: 'It was not an advert.' })
    if (!appeal.ok) throw new Error('appeal not filed')
    const appealItem = await getReviewItem({ id: appeal.reviewItemId })
    expect(await decideAppeal({ id: appeal.reviewItemId, version: appealItem!.item.version, moderator: { id: mod2.id, role: 'moderator' }, outcome: 'overturned', reason: 'Fair answer.' })).toEqual({ ok: true })
    expect((await inbox(author)).map((n) => [n.kind, n.text])).toEqual([
      ['appeal-decision', 'Your appeal was successful'],
      ['moderation-outcome', expect.stringContaining('A moderator acted on')],
    ])
  })
})

describe('preferences: immediate, digest, never', () => {
  test('immediate mails at once; digest waits for the daily digest, once; never stays in the app', async () => {
    const smtp = await mailServer()
    const [instant, daily, silent] = await Promise.all([createTestUser(), createTestUser(), createTestUser()])
    await prefer(daily, 'new-answer', 'digest')
    await prefer(silent, 'new-answer', 'never')
    // One answerer per question: answering three at once would trip the posting rate limit.
    const answerers = await Promise.all([createTestUser(), createTestUser(), createTestUser()])
    const answerer = answerers[1]
    for (const [i, asker] of [instant, daily, silent].entries()) {
      const q = await createTestQuestion({ authorId: asker.id, title: `Question from ${asker.username}` })
      await answerThroughThePage(q.id, answerers[i], 'An answer.')
    }
    expect(await mailsTo(smtp, instant)).toHaveLength(1)
    expect(await mailsTo(smtp, daily)).toHaveLength(0)
    expect(await mailsTo(smtp, silent)).toHaveLength(0)
    for (const member of [instant, daily, silent]) expect(await inbox(member)).toHaveLength(1)

    await sendNotificationDigests()
    const [digest] = await mailsTo(smtp, daily)
    expect(digest.subject).toBe('Your Parley digest: 1 update')
    expect(digest.text).toContain(`${answerer.username} answered your question “Question from ${daily.username}”`)
    // A second run sends nothing new; never means never.
    await sendNotificationDigests()
    expect(await mailsTo(smtp, daily)).toHaveLength(1)
    expect(await mailsTo(smtp, silent)).toHaveLength(0)
    expect(await mailsTo(smtp, instant)).toHaveLength(1)
  })

  test('what was read in the app before the digest is not mailed again', async () => {
    const smtp = await mailServer()
    const asker = await createTestUser()
    await prefer(asker, 'new-answer', 'digest')
    const q = await createTestQuestion({ authorId: asker.id })
    await answerThroughThePage(q.id, await createTestUser(), 'Read me in the app.')
    const [n] = await inbox(asker)
    await responseOf(async () => notificationPage.loader(await routeArgs({ path: `/notifications/${n.id}`, userId: asker.id, params: { id: String(n.id) } })))
    await sendNotificationDigests()
    expect(await mailsTo(smtp, asker)).toHaveLength(0)
  })

  test('the settings page saves a choice per kind; a bad value is a 400 and changes nothing', async () => {
    const member = await createTestUser()
    const form = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k.kind, k.defaultDelivery])) as Record<string, string>
    const post = async (values: Record<string, string>) =>
      responseOf(async () => preferencesPage.action(await routeArgs({ path: '/settings/notifications', method: 'POST', userId: member.id, form: { intent: 'preferences', ...values } })))
    expect((await post({ ...form, mention: 'sometimes' })).status).toBe(400)
    expect((await post({ ...form, mention: 'never', 'watched-thread': 'immediate' })).status).toBe(302)
    const page = await responseOf(async () => preferencesPage.loader(await routeArgs({ path: '/settings/notifications', userId: member.id })))
    const { preferences } = await page.json()
    expect(preferences.find((p: { kind: string }) => p.kind === 'mention').delivery).toBe('never')
    expect(preferences.find((p: { kind: string }) => p.kind === 'watched-thread').delivery).toBe('immediate')
    expect(preferences.find((p: { kind: string }) => p.kind === 'new-answer').delivery).toBe('immediate')
  })
})

describe('no notification reaches someone who may not see its target', () => {
  test('watchers of a hidden question hear nothing of its asker’s answer; a hidden answer drops out of the list and the digest', async () => {
    const smtp = await mailServer()
    const asker = await createTestUser()
    const watcher = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id })
    await setWatch({ userId: watcher.id, target: { questionId: question.id }, level: 'watching' })
    await prefer(watcher, 'watched-thread', 'digest')
    const visibleAnswer = await answerThroughThePage(question.id, await createTestUser(), 'Visible for now.')
    expect(await inbox(watcher)).toHaveLength(1)

    // A moderator hides that answer: the notification about it is gone for the watcher, and not in the digest.
    await db.update(answers).set({ hiddenAt: new Date(), hiddenReason: 'Spam' }).where(eq(answers.id, visibleAnswer))
    expect(await inbox(watcher)).toEqual([])
    await sendNotificationDigests()
    expect(await mailsTo(smtp, watcher)).toHaveLength(0)

    // The question itself is hidden; its asker (who still sees it) adds an answer: the watcher is not told.
    await db.update(questions).set({ hiddenAt: new Date(), hiddenReason: 'Under review' }).where(eq(questions.id, question.id))
    await answerThroughThePage(question.id, asker, 'Adding detail while it is under review.')
    expect(await db.select().from(notifications).where(eq(notifications.userId, watcher.id))).toHaveLength(1)
  })

  test('a private ticket: nobody but its requester and support staff is notified of it', async () => {
    const requester = await createTestUser()
    const stranger = await createTestUser()
    const moderator = await createTestUser({ role: 'moderator' })
    const agent = await createTestUser({ role: 'agent', supportTier: 1 })
    const { number } = await createTicket({ requesterId: requester.id, subject: 'Private', priority: 'low', details: { whatHappened: 'x', stepsTried: '', environment: '', accountDetails: '' } })
    const [ticket] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, number))
    const notified = await db.transaction((tx) =>
      notify(tx, { kind: 'ticket-update', userIds: [requester.id, stranger.id, moderator.id, agent.id], text: 'Update', link: `/tickets/${number}`, target: { ticketId: ticket.id } }),
    )
    expect(notified.sort()).toEqual([requester.id, agent.id].sort())
  })

  test('a blocked member’s mention, and mentions refused by the privacy setting, notify nobody', async () => {
    const [blocker, blocked, private_, staff] = await Promise.all([createTestUser(), createTestUser(), createTestUser(), createTestUser({ role: 'moderator' })])
    expect(await blockMember({ blockerId: blocker.id, username: blocked.username })).toBe('ok')
    await db.update(users).set({ messagePolicy: 'staff' }).where(eq(users.id, private_.id))
    await createTestQuestion({ authorId: blocked.id, body: `@${blocker.username} and @${private_.username}, any idea?` })
    expect(await inbox(blocker)).toEqual([])
    expect(await inbox(private_)).toEqual([])
    // Staff may still mention a member who accepts mentions from staff only.
    await createTestQuestion({ authorId: staff.id, body: `@${private_.username} could you add your logs?` })
    expect((await inbox(private_)).map((n) => n.kind)).toEqual(['mention'])
  })
})

describe('watching and muting', () => {
  test('a muted thread stops even the asker’s new-answer notifications; a muted category stops watched threads in it', async () => {
    const asker = await createTestUser()
    const answerer = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id, category: 'technical' })
    const mute = await responseOf(async () =>
      threadPage.action(await routeArgs({ path: `/questions/${question.id}`, method: 'POST', userId: asker.id, form: { intent: 'watch', level: 'muted' }, params: { id: String(question.id) } })),
    )
    expect(mute.status).toBe(302)
    const page = await responseOf(async () => threadPage.loader(await routeArgs({ path: `/questions/${question.id}`, userId: asker.id, params: { id: String(question.id) } })))
    expect((await page.json()).question.viewerWatch).toBe('muted')
    await answerThroughThePage(question.id, answerer, 'First answer here.')
    expect(await inbox(asker)).toEqual([])

    // The answerer now watches the thread, but muted its category.
    await setWatch({ userId: answerer.id, target: { categoryId: await categoryId('technical') }, level: 'muted' })
    await answerThroughThePage(question.id, await createTestUser(), 'Second answer here.')
    expect(await inbox(answerer)).toEqual([])
  })

  test('watch requests on a thread the member may not see are a 404', async () => {
    const asker = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id })
    await db.update(questions).set({ removedAt: new Date(), removedReason: 'Spam' }).where(eq(questions.id, question.id))
    const res = await responseOf(async () =>
      threadPage.action(await routeArgs({ path: `/questions/${question.id}`, method: 'POST', userId: (await createTestUser()).id, form: { intent: 'watch', level: 'watching' }, params: { id: String(question.id) } })),
    )
    expect(res.status).toBe(404)
  })
})

describe('reading notifications', () => {
  test('following one marks it read and leads to its target; mark all read clears the bell; another member’s is a 404', async () => {
    const asker = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id })
    const answerer = await createTestUser()
    await answerThroughThePage(question.id, answerer, 'The first answer.')
    await answerThroughThePage(question.id, await createTestUser(), 'The second answer.')
    const [newest, oldest] = await inbox(asker)
    expect(await unreadCount(asker)).toBe(2)

    const follow = await responseOf(async () => notificationPage.loader(await routeArgs({ path: `/notifications/${oldest.id}`, userId: asker.id, params: { id: String(oldest.id) } })))
    expect(follow.status).toBe(302)
    expect(follow.headers.get('Location')).toBe(oldest.link)
    expect(await unreadCount(asker)).toBe(1)
    expect((await inbox(asker)).find((n) => n.id === oldest.id)?.readAt).not.toBeNull()

    const stranger = await createTestUser()
    const theirs = await responseOf(async () => notificationPage.loader(await routeArgs({ path: `/notifications/${newest.id}`, userId: stranger.id, params: { id: String(newest.id) } })))
    expect(theirs.status).toBe(404)
    expect(await unreadCount(asker)).toBe(1)

    const all = await responseOf(async () => notificationsPage.action(await routeArgs({ path: '/notifications', method: 'POST', userId: asker.id, form: { intent: 'mark-all-read' } })))
    expect(all.status).toBe(302)
    expect(await unreadCount(asker)).toBe(0)
    expect((await inbox(asker)).every((n) => n.readAt !== null)).toBe(true)
  })

  test('mark all read is offered whenever the bell counts one, even one whose target is hidden since', async () => {
    const asker = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id })
    await answerThroughThePage(question.id, await createTestUser(), 'An answer that is hidden later.')
    const page = async () => (await responseOf(async () => notificationsPage.loader(await routeArgs({ path: '/notifications', userId: asker.id })))).json()
    expect((await page()).anyUnread).toBe(true)
    await db.update(answers).set({ hiddenAt: new Date(), hiddenReason: 'Spam' }).where(eq(answers.questionId, question.id))
    const hidden = await page()
    expect(hidden.notifications).toEqual([])
    expect(await unreadCount(asker)).toBe(1)
    expect(hidden.anyUnread).toBe(true)

    await responseOf(async () => notificationsPage.action(await routeArgs({ path: '/notifications', method: 'POST', userId: asker.id, form: { intent: 'mark-all-read' } })))
    expect(await unreadCount(asker)).toBe(0)
    expect((await page()).anyUnread).toBe(false)
  })

  test('visitors are sent to log in', async () => {
    const res = await responseOf(async () => notificationsPage.loader(await routeArgs({ path: '/notifications' })))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toMatch(/^\/login/)
  })
})
