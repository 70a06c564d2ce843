import { pathToFileURL } from 'node:url'
import { eq, inArray, sql } from 'drizzle-orm'
import { createAnswer, setAcceptedAnswer, setOfficialAnswer, voteOnAnswer } from '~/forum/answers.server'
import { createQuestion } from '~/forum/questions.server'
import { randomBytes } from 'node:crypto'
import { addTicketMessage, assignTicket, changeTicketStatus, escalateTicket } from '~/tickets/changes.server'
import { decideReport, fileReport } from '~/moderation/report.server'
import { fileAppeal } from '~/moderation/appeal.server'
import { convertThreadToTicket, createTicket } from '~/tickets/open.server'
import { seedSlaDefaults } from '~/tickets/sla-settings.server'
import { createUser } from '~/accounts/users.server'
import { updateProfile } from '~/accounts/profile.server'
import { env } from '~/platform/env.server'
import { closeDatabase, db } from '../db/client.server'
import { demoAccountLabel, demoAccounts } from './demo-accounts'
import { demoAppealedAnswer, demoPeople, demoSpamAnswer, demoThreads, demoTicketHistory } from './demo-threads'
import { drawDemoImage } from './demo-images'
import { storeUploads } from '~/uploads/uploads.server'
import { rateTicket } from '~/tickets/rating.server'
import { recomputeSla } from '~/tickets/sla-clock.server'
import { getSlaSettings } from '~/tickets/sla-settings.server'
import { DateTime } from 'luxon'
import { answers, categories, chatMessages, chats, moderationActions, questions, reviewItems, tickets, users } from '../db/schema/index'
import { renderMarkdown } from '~/platform/markdown.server'

export { demoAccounts }

/** The kinds of help our support policy covers; every installation starts with them. */
const baseCategories = [
  { slug: 'technical', name: 'Technical', description: 'Errors, bugs, set-up and anything that does not work as expected.', position: 1 },
  { slug: 'account', name: 'Account', description: 'Signing in, billing, plans and account settings.', position: 2 },
  { slug: 'content', name: 'Content', description: 'Creating, editing, importing and sharing content.', position: 3 },
  { slug: 'community', name: 'Community', description: 'Introductions, feedback and everything about this forum.', position: 4 },
]


export async function seedBase() {
  await db.insert(categories).values(baseCategories).onConflictDoNothing({ target: categories.slug })
  await seedSlaDefaults()
}

export function demoSeedingAllowed() {
  return !env.isProduction || process.env.SEED_DEMO === '1'
}

/** Demo accounts and a few threads, only into a database with no users yet. Returns whether it seeded. */
export async function seedDemo(): Promise<boolean> {
  const [{ count }] = await db.select({ count: sql<number>`count(*)::int` }).from(users)
  if (count > 0) return false
  const ids: Record<string, number> = {}
  for (const account of demoAccounts) {
    const result = await createUser({ ...account, emailVerified: true, trusted: true })
    if (!result.ok) throw new Error(`Could not create demo account ${account.username}: ${JSON.stringify(result.errors)}`)
    ids[account.username] = result.user.id
  }
  const cats = await db.select({ id: categories.id, slug: categories.slug }).from(categories)
  const cat = (slug: string) => cats.find((c) => c.slug === slug)!.id

  const reset = await createQuestion({
    authorId: ids.member,
    title: 'How do I reset my password if I no longer have access to my email?',
    bodySource: 'I changed jobs and lost access to the address I signed up with. **Is there another way** to get back in?',
    categoryId: cat('account'),
    tagNames: ['password', 'login'],
  })
  const first = await createAnswer({ questionId: reset.id, authorId: ids.moderator, bodySource: 'Try signing in with your username instead: it works even when the email is gone.' })
  const official = await createAnswer({
    questionId: reset.id,
    authorId: ids.agent,
    bodySource: 'Open a support ticket from the **Help** menu with your username and the last invoice number; we verify ownership and update the address for you.',
  })
  await setOfficialAnswer({ questionId: reset.id, answerId: official!.id, staffId: ids.agent })
  await voteOnAnswer({ answerId: first!.id, voterId: ids.member, value: 1 })

  const sync = await createQuestion({
    authorId: ids.member,
    title: 'Sync stops after the latest update',
    bodySource: 'Since updating, sync stops after a few minutes.\n\n```\nError: sync timeout (code 504)\n```\n\nWhat can I try?',
    categoryId: cat('technical'),
    tagNames: ['sync', 'update'],
  })
  const fix = await createAnswer({ questionId: sync.id, authorId: ids.moderator, bodySource: 'Sign out and back in once: the update needs a fresh token. That fixed it for me.' })
  await setAcceptedAnswer({ questionId: sync.id, answerId: fix!.id })

  await createQuestion({
    authorId: ids.member,
    title: 'Can I export my content as Markdown?',
    bodySource: 'I would like to keep a copy of everything I wrote. Is there an export?',
    categoryId: cat('content'),
    tagNames: ['export'],
  })

  // Two support tickets, so the agent's queue and the member's requests are not empty.
  const billing = await createQuestion({
    authorId: ids.member,
    title: 'My invoices disappeared from the billing page',
    bodySource: 'Since yesterday the billing page lists no invoices at all, not even last year’s.',
    categoryId: cat('account'),
    tagNames: ['billing'],
  })
  await convertThreadToTicket({ questionId: billing.id, staffId: ids.agent, priority: 'high' })
  const request = await createTicket({
    requesterId: ids.member,
    subject: 'Two-factor codes are rejected',
    priority: 'medium',
    details: {
      whatHappened: 'Every code from my authenticator app is rejected as invalid, so I cannot sign in on my laptop.',
      stepsTried: 'Checked the phone’s clock; tried the backup code (it worked once).',
      environment: 'Firefox 140 on Ubuntu 24.04',
      accountDetails: 'Signed up with my work address.',
    },
  })
  const agent = { id: ids.agent, role: 'agent' as const, username: 'agent' }
  await addTicketMessage({ number: request.number, author: agent, bodySource: 'Thanks! Could you tell us whether your phone’s time zone is set automatically?', statusAfter: 'pending' })
  await assignTicket({ number: request.number, staff: agent, assigneeId: ids.agent })
  await seedLivelyForum(ids, cat)
  return true
}

/**
 * The rest of the demo (decision 026): people, a few dozen threads with votes, accepted and official
 * answers and code, tickets in every status with their SLA history, and a moderation queue with
 * reports and an appeal. Written through the domain functions, so every count, SLA clock and queue
 * item is what the product itself would have made; then one statement spreads the threads over the
 * past weeks.
 */
async function seedLivelyForum(ids: Record<string, number>, cat: (slug: string) => number) {
  for (const person of demoPeople) {
    // A random password, never printed: these people give the forum a crowd, not more log-ins.
    const result = await createUser({ username: person.username, email: `${person.username}@parley.example`, password: randomBytes(18).toString('base64url'), role: 'member', emailVerified: true, trusted: true })
    if (!result.ok) throw new Error(`Could not create demo person ${person.username}: ${JSON.stringify(result.errors)}`)
    ids[person.username] = result.user.id
    if (person.displayName || person.bio) await updateProfile({ userId: result.user.id, displayName: person.displayName, bioSource: person.bio })
  }

  const ages: { kind: 'question' | 'answer'; id: number; hoursAgo: number }[] = []
  const threadIds = new Map<string, number>()
  for (const thread of demoThreads) {
    // A picture goes through the upload pipeline like a member's (sniffed, re-encoded, stored), then into the body.
    const image = thread.image ? await storeUploads({ ownerId: ids[thread.by], files: [await drawDemoImage(thread.image)], private: false }) : null
    if (image && !image.ok) throw new Error(`Could not store the demo image for “${thread.title}”: ${image.messages.join('; ')}`)
    const body = image?.ok ? `${thread.body}\n\n${image.uploads[0].markdown}` : thread.body
    const question = await createQuestion({ authorId: ids[thread.by], title: thread.title, bodySource: body, categoryId: cat(thread.category), tagNames: thread.tags })
    threadIds.set(thread.title, question.id)
    ages.push({ kind: 'question', id: question.id, hoursAgo: thread.hoursAgo })
    for (const [index, a] of thread.answers.entries()) {
      const answer = await createAnswer({ questionId: question.id, authorId: ids[a.by], bodySource: a.body })
      if (!answer) throw new Error(`Could not answer “${thread.title}”`)
      // Answers come in over the hours after the question.
      ages.push({ kind: 'answer', id: answer.id, hoursAgo: Math.max(0.2, thread.hoursAgo - (index + 1) * Math.min(2, thread.hoursAgo / (thread.answers.length + 1))) })
      for (const voter of a.upvotes ?? []) await voteOnAnswer({ answerId: answer.id, voterId: ids[voter], value: 1 })
      for (const voter of a.downvotes ?? []) await voteOnAnswer({ answerId: answer.id, voterId: ids[voter], value: -1 })
      if (a.official) await setOfficialAnswer({ questionId: question.id, answerId: answer.id, staffId: ids.agent })
      if (a.accepted) await setAcceptedAnswer({ questionId: question.id, answerId: answer.id })
    }
  }

  // The moderation queue: spam reported by two members (one item, their weights summed) and an appeal.
  const spam = await createAnswer({ questionId: threadIds.get(demoSpamAnswer.threadTitle)!, authorId: ids[demoSpamAnswer.by], bodySource: demoSpamAnswer.body })
  for (const reporter of ['priya', 'tomas']) await fileReport({ reporterId: ids[reporter], targetKind: 'answer', targetId: spam!.id, reason: 'spam', note: 'Advertising.' })
  const curt = await createAnswer({ questionId: threadIds.get(demoAppealedAnswer.threadTitle)!, authorId: ids[demoAppealedAnswer.by], bodySource: demoAppealedAnswer.body })
  const report = await fileReport({ reporterId: ids[demoAppealedAnswer.reportedBy], targetKind: 'answer', targetId: curt!.id, reason: 'inappropriate', note: 'Not helpful, just rude.' })
  if (report.ok) {
    const [item] = await db.select({ version: reviewItems.version }).from(reviewItems).where(eq(reviewItems.id, report.reviewItemId))
    await decideReport({ id: report.reviewItemId, version: item.version, moderator: { id: ids.moderator, role: 'moderator' }, action: 'hide', reason: demoAppealedAnswer.hiddenBecause })
    const [action] = await db.select({ id: moderationActions.id }).from(moderationActions).where(eq(moderationActions.reviewItemId, report.reviewItemId))
    if (action) await fileAppeal({ memberId: ids[demoAppealedAnswer.by], actionId: action.id, statement: demoAppealedAnswer.statement })
  }

  // Tickets in every status, each with the history its SLA clock was computed from.
  const agent = { id: ids.agent, role: 'agent' as const, username: 'agent' }
  const ticket = (requester: string, subject: string, priority: 'low' | 'medium' | 'high' | 'critical', whatHappened: string) =>
    createTicket({ requesterId: ids[requester], subject, priority, details: { whatHappened, stepsTried: 'Reloaded the page; logged out and in again.', environment: 'Chrome on Windows 11', accountDetails: '' } })
  const solved = await ticket('priya', 'Cannot add a ninth seat to our team', 'medium', 'Adding a member fails with “seat limit reached” although we pay for ten seats.')
  await addTicketMessage({ number: solved.number, author: agent, bodySource: 'Your plan had been recorded with 8 seats; it now shows 10. Please try again.', statusAfter: 'solved' })
  const closed = await ticket('jonas', 'API key shown in a screenshot by mistake', 'critical', 'I posted a screenshot containing our API key; please revoke it.')
  await addTicketMessage({ number: closed.number, author: agent, bodySource: 'Revoked a minute ago; a new key is under Settings → API.', statusAfter: 'solved' })
  await changeTicketStatus({ number: closed.number, staff: agent, status: 'closed' })
  const escalated = await ticket('tomas', 'Data export has been “in progress” for two days', 'high', 'The export of our workspace never finishes; the page says “in progress” since Monday.')
  await addTicketMessage({ number: escalated.number, author: agent, bodySource: 'Looking into it with the export team.', internal: true })
  await escalateTicket({ number: escalated.number, staff: agent, reason: 'Export jobs stuck for this workspace; needs tier 2.' })
  await ticket('mei', 'Invoice needs our VAT number', 'low', 'Our accountant needs the VAT number on last month’s invoice.')
  const waiting = await ticket('amara', 'Locked out after changing my phone', 'high', 'My authenticator app is on the old phone, which was reset.')
  await addTicketMessage({ number: waiting.number, author: agent, bodySource: 'We can reset two-factor sign-in once we verify the account: what was the last invoice number?', statusAfter: 'pending' })
  await assignTicket({ number: waiting.number, staff: agent, assigneeId: ids.agent })

  await seedTicketHistory(ids)
  await seedPremiumCallBack(ids)
  await seedEndedChat(ids)

  // Spread the threads over the past weeks, in one statement per table.
  const spread = (kind: 'question' | 'answer') =>
    sql.join(
      ages.filter((a) => a.kind === kind).map((a) => sql`(${a.id}::int, now() - make_interval(mins => ${Math.round(a.hoursAgo * 60)}::int))`),
      sql`, `,
    )
  await db.execute(sql`update ${answers} set created_at = v.at from (values ${spread('answer')}) as v(id, at) where ${answers.id} = v.id`)
  await db.execute(sql`update ${questions} set created_at = v.at from (values ${spread('question')}) as v(id, at) where ${questions.id} = v.id`)
  await db.execute(
    sql`update ${questions} q set last_activity_at = greatest(q.created_at, coalesce((select max(a.created_at) from ${answers} a where a.question_id = q.id), q.created_at)) where q.id in (${sql.join([...threadIds.values()].map((id) => sql`${id}`), sql`, `)})`,
  )
}

/**
 * Four weeks of solved requests for /staff/sla: each is written through the domain functions (so
 * messages, events, ratings and SLA columns are what the product makes), then its whole history is
 * moved back in time at once: what happened before the first agent reply to `daysAgo` at `hour`,
 * the rest to `replyHours` later, keeping every gap between events. Then the SLA clock is replayed
 * from the moved history, as on any change, so met and breached targets follow the business calendar.
 */
async function seedTicketHistory(ids: Record<string, number>) {
  const agent = { id: ids.agent, role: 'agent' as const, username: 'agent' }
  const moves: { id: number; openedAt: Date; repliedAt: Date }[] = []
  const now = Date.now()
  for (const past of demoTicketHistory) {
    const { number } = await createTicket({
      requesterId: ids[past.by],
      subject: past.subject,
      priority: past.priority,
      details: { whatHappened: `${past.subject}. It started without any change on our side and keeps happening.`, stepsTried: 'Signed out and in; tried another browser.', environment: 'Chrome on macOS 15', accountDetails: '' },
    })
    await addTicketMessage({ number, author: agent, bodySource: past.reply, statusAfter: 'solved' })
    if (past.rating) await rateTicket({ number, by: { requesterId: ids[past.by] }, ...past.rating })
    if (past.closed) await changeTicketStatus({ number, staff: agent, status: 'closed' })
    const [row] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, number))
    const openedAt = new Date(Math.floor((now - past.daysAgo * 86_400_000) / 86_400_000) * 86_400_000 + past.hour * 3_600_000)
    moves.push({ id: row.id, openedAt, repliedAt: new Date(openedAt.getTime() + past.replyHours * 3_600_000) })
  }
  // Per ticket: c0 its creation, r0 its first public staff reply, read once before anything moves.
  const anchors = await db
    .select({
      id: tickets.id,
      // As epoch milliseconds: exact, and the same from PGlite and postgres.js.
      c0: sql<number>`(extract(epoch from ${tickets.createdAt}) * 1000)::float8`.mapWith(Number),
      r0: sql<number>`(extract(epoch from (select min(m.created_at) from ticket_messages m where m.ticket_id = tickets.id and m.by_staff and not m.internal)) * 1000)::float8`.mapWith(Number),
    })
    .from(tickets)
    .where(inArray(tickets.id, moves.map((m) => m.id)))
  const anchorOf = new Map(anchors.map((a) => [a.id, a]))
  const values = sql.join(
    moves.map((m) => {
      const a = anchorOf.get(m.id)
      if (!a?.c0 || !a.r0) throw new Error(`Demo ticket ${m.id} has no agent reply to anchor its history`)
      return sql`(${m.id}::int, ${m.openedAt.toISOString()}::timestamptz, ${m.repliedAt.toISOString()}::timestamptz, ${new Date(a.c0).toISOString()}::timestamptz, ${new Date(a.r0).toISOString()}::timestamptz)`
    }),
    sql`, `,
  )
  // Times before r0 move to the opening, the rest to the reply.
  const moved = (column: string) => sql.raw(`case when ${column} is null then null when ${column} < b.r0 then ${column} - b.c0 + b.opened_at else ${column} - b.r0 + b.replied_at end`)
  const base = sql`(values ${values}) as b(id, opened_at, replied_at, c0, r0)`
  await db.execute(sql`update ticket_messages x set created_at = ${moved('x.created_at')} from ${base} where x.ticket_id = b.id`)
  await db.execute(sql`update ticket_events x set created_at = ${moved('x.created_at')} from ${base} where x.ticket_id = b.id`)
  await db.execute(sql`update ticket_ratings x set created_at = ${moved('x.created_at')} from ${base} where x.ticket_id = b.id`)
  await db.execute(
    sql`update tickets x set created_at = ${moved('x.created_at')}, updated_at = ${moved('x.updated_at')}, sla_started_at = ${moved('x.sla_started_at')},
      first_response_at = ${moved('x.first_response_at')}, solved_at = ${moved('x.solved_at')}, closed_at = ${moved('x.closed_at')} from ${base} where x.id = b.id`,
  )
  const settings = await getSlaSettings()
  for (const m of moves) await recomputeSla(db, m.id, new Date(), settings)
}

/**
 * The premium demo member's critical request with a phone call back due on the next business day,
 * so the queue shows its "Call back by" badge.
 */
async function seedPremiumCallBack(ids: Record<string, number>) {
  const { calendar } = await getSlaSettings()
  let day = DateTime.now().setZone(calendar.timeZone).plus({ days: 1 }).startOf('day')
  while (!calendar.weekdays.includes(day.weekday) || calendar.holidays.includes(day.toISODate()!)) day = day.plus({ days: 1 })
  const [hour, minute] = calendar.opensAt.split(':').map(Number)
  const start = day.set({ hour: hour + 1, minute })
  await createTicket({
    requesterId: ids.premium,
    subject: 'Whole team locked out after SSO certificate change',
    priority: 'critical',
    details: {
      whatHappened: 'Since our IT rotated the SSO certificate this morning, nobody on our 40-person team can sign in: the login page loops.',
      stepsTried: 'Uploaded the new certificate under Settings → SSO; cleared cookies.',
      environment: 'All browsers',
      accountDetails: 'Workspace "northwind"',
    },
    callBack: { phone: '+442079460958', windowStartsAt: start.toJSDate(), windowEndsAt: start.plus({ hours: 2 }).toJSDate(), timeZone: 'Europe/London' },
  })
}

/**
 * A live chat the demo member had with the demo agent two days ago, ended and not yet rated: "My
 * requests" lists it, its transcript page and rating form are real pages (the crawl opens them).
 * Written directly, as chats can only start while the calendar is open and an agent is available.
 */
async function seedEndedChat(ids: Record<string, number>) {
  const startedAt = DateTime.now().minus({ days: 2 }).set({ hour: 10, minute: 5, second: 0, millisecond: 0 })
  const at = (minutes: number) => startedAt.plus({ minutes }).toJSDate()
  await db.transaction(async (tx) => {
    const [chat] = await tx
      .insert(chats)
      .values({ memberId: ids.member, state: 'ended', agentId: ids.agent, queuedAt: at(0), startedAt: at(0), acceptedAt: at(1), firstAgentReplyAt: at(2), endedAt: at(9) })
      .returning({ id: chats.id })
    const lines: [number, boolean, string, number][] = [
      [ids.member, false, 'Hi! The **Export** button is greyed out on my reports page.', 0],
      [ids.agent, true, 'Hello! Thanks for waiting. Which plan is the workspace on?', 2],
      [ids.member, false, 'The Team plan, since last week.', 3],
      [ids.agent, true, 'Exports need the *Reports admin* role on Team plans: an owner can grant it under **Settings → Members**.', 5],
      [ids.member, false, 'That was it, the button works now. Thank you!', 8],
    ]
    await tx.insert(chatMessages).values(lines.map(([authorId, byAgent, body, minute]) => ({ chatId: chat.id, authorId, byAgent, bodySource: body, bodyHtml: renderMarkdown(body), createdAt: at(minute) })))
  })
}

export function printDemoAccounts(log = console.log) {
  log('\nDemo accounts (for trying Parley out; remove them before real use):')
  for (const a of demoAccounts) log(`  ${demoAccountLabel(a).padEnd(10)} username: ${a.username.padEnd(10)} password: ${a.password}`)
  log('')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { migrateAll } = await import('~/platform/migrate.server')
  const { jobRegistry } = await import('~/jobs.server')
  await migrateAll(jobRegistry)
  await seedBase()
  if (demoSeedingAllowed() && (await seedDemo())) printDemoAccounts()
  else console.log('Categories are in place; demo data was not added (the database has users, or NODE_ENV=production without SEED_DEMO=1).')
  await closeDatabase()
}

export async function demoAccountsExist() {
  const [row] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${demoAccounts[0].email}`).limit(1)
  return !!row
}
