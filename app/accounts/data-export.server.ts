/**
 * "Download my data": everything a member wrote and everything Parley stores about them, as a zip
 * of data.json and one Markdown file per post. One query per table, whatever the member's history.
 *
 * What is left out is what the member's own pages never show them either: agents' internal notes
 * and the team's ticket fields, who the moderators were, what other people wrote.
 */
import { and, asc, eq, inArray, or, sql, type SQLWrapper } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { strToU8, zipSync, type Zippable } from 'fflate'
import { db } from '#db/client.server'
import {
  answers,
  answerVotes,
  categories,
  conflictMessages,
  conflictParties,
  moderationActions,
  notificationPreferences,
  notifications,
  postRevisions,
  questions,
  reports,
  reviewItems,
  sessions,
  ticketMessages,
  ticketRatings,
  tickets,
  userBlocks,
  users,
  watches,
} from '#db/schema/index'
import { avatarFile, readAvatarBytes } from '~/accounts/avatar.server'
import { memberViewerSql, questionVisibleSql, type PostColumns } from '~/forum/visibility.server'
import { env } from '~/platform/env.server'
import { answerPath, questionPath, slugify } from '~/platform/misc'
import { describeUserAgent } from '~/platform/user-agent.server'

const tagNames = sql<string[]>`coalesce((select array_agg(t.name order by t.name) from question_tags qt join tags t on t.id = qt.tag_id where qt.question_id = ${questions.id}), '{}')`

/** The member's data as plain objects, or null when there is no such member. */
async function loadMemberData({ userId, now = new Date() }: { userId: number; now?: Date }) {
  const blocked = alias(users, 'blocked')
  const thread = alias(questions, 'thread')
  const ownQuestionIds = db.select({ id: questions.id }).from(questions).where(eq(questions.authorId, userId))
  const ownAnswerIds = db.select({ id: answers.id }).from(answers).where(eq(answers.authorId, userId))
  // Their own posts are theirs whatever their state; another member's thread they may no longer see
  // (hidden or removed since) is named by its id only, as their pages no longer show its title.
  const viewer = memberViewerSql(userId)
  const titleIfVisible = (q: PostColumns & { title: SQLWrapper }) => sql<string | null>`case when ${questionVisibleSql(viewer, q)} then ${q.title} end`

  const [
    [account],
    questionRows,
    answerRows,
    revisionRows,
    voteRows,
    officialRows,
    ticketRows,
    messageRows,
    reportRows,
    actionRows,
    itemRows,
    conflictMessageRows,
    blockRows,
    notificationRows,
    preferenceRows,
    watchRows,
    sessionRows,
  ] = await Promise.all([
    db
      .select({
        username: users.username,
        email: users.email,
        displayName: users.displayName,
        bio: users.bioSource,
        avatarPath: users.avatarPath,
        createdAt: users.createdAt,
        role: users.role,
        supportTier: users.supportTier,
        isPremium: users.isPremium,
        emailVerifiedAt: users.emailVerifiedAt,
        hideActivity: users.hideActivity,
        messagePolicy: users.messagePolicy,
        suspendedUntil: users.suspendedUntil,
        suspensionReason: users.suspensionReason,
        bannedAt: users.bannedAt,
        banReason: users.banReason,
      })
      .from(users)
      .where(eq(users.id, userId)),
    db
      .select({
        id: questions.id,
        title: questions.title,
        bodySource: questions.bodySource,
        category: categories.name,
        tags: tagNames,
        createdAt: questions.createdAt,
        editedAt: questions.editedAt,
        answerCount: questions.answerCount,
        acceptedAnswerId: questions.acceptedAnswerId,
        acceptedAt: questions.acceptedAt,
        officialAnswerId: questions.officialAnswerId,
        hiddenAt: questions.hiddenAt,
        hiddenReason: questions.hiddenReason,
        removedAt: questions.removedAt,
        removedReason: questions.removedReason,
        lockedAt: questions.lockedAt,
        lockedReason: questions.lockedReason,
      })
      .from(questions)
      .innerJoin(categories, eq(categories.id, questions.categoryId))
      .where(eq(questions.authorId, userId))
      .orderBy(asc(questions.createdAt), asc(questions.id)),
    db
      .select({
        id: answers.id,
        questionId: answers.questionId,
        questionTitle: titleIfVisible(questions),
        bodySource: answers.bodySource,
        score: answers.score,
        accepted: sql<boolean>`${questions.acceptedAnswerId} is not distinct from ${answers.id}`,
        official: sql<boolean>`${questions.officialAnswerId} is not distinct from ${answers.id}`,
        createdAt: answers.createdAt,
        editedAt: answers.editedAt,
        hiddenAt: answers.hiddenAt,
        hiddenReason: answers.hiddenReason,
        removedAt: answers.removedAt,
        removedReason: answers.removedReason,
      })
      .from(answers)
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(eq(answers.authorId, userId))
      .orderBy(asc(answers.createdAt), asc(answers.id)),
    // Earlier versions of the member's posts, whoever edited them.
    db
      .select({
        postKind: postRevisions.postKind,
        postId: postRevisions.postId,
        title: postRevisions.title,
        bodySource: postRevisions.bodySource,
        replacedAt: postRevisions.createdAt,
        editedByYou: sql<boolean>`${postRevisions.editorId} = ${userId}`,
      })
      .from(postRevisions)
      .where(
        or(
          and(eq(postRevisions.postKind, 'question'), inArray(postRevisions.postId, ownQuestionIds)),
          and(eq(postRevisions.postKind, 'answer'), inArray(postRevisions.postId, ownAnswerIds)),
        ),
      )
      .orderBy(asc(postRevisions.id)),
    db
      .select({ answerId: answerVotes.answerId, questionId: answers.questionId, questionTitle: titleIfVisible(questions), value: answerVotes.value, createdAt: answerVotes.createdAt })
      .from(answerVotes)
      .innerJoin(answers, eq(answers.id, answerVotes.answerId))
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(eq(answerVotes.userId, userId))
      .orderBy(asc(answerVotes.createdAt)),
    db
      .select({ questionId: questions.id, questionTitle: titleIfVisible(questions), answerId: questions.officialAnswerId, markedAt: questions.officialMarkedAt })
      .from(questions)
      .where(eq(questions.officialMarkedById, userId))
      .orderBy(asc(questions.officialMarkedAt)),
    db
      .select({
        number: tickets.number,
        subject: tickets.subject,
        status: tickets.status,
        priority: tickets.priority,
        source: tickets.source,
        questionId: tickets.questionId,
        createdAt: tickets.createdAt,
        solvedAt: tickets.solvedAt,
        closedAt: tickets.closedAt,
        escalationRequestedAt: tickets.escalationRequestedAt,
        escalationRequestReason: tickets.escalationRequestReason,
        ratingScore: ticketRatings.score,
        ratingComment: ticketRatings.comment,
        ratedAt: ticketRatings.createdAt,
      })
      .from(tickets)
      .leftJoin(ticketRatings, eq(ticketRatings.ticketId, tickets.id))
      .where(eq(tickets.requesterId, userId))
      .orderBy(asc(tickets.number)),
    // Public messages only: internal notes are the support team's, never the requester's.
    db
      .select({ ticketNumber: tickets.number, byStaff: ticketMessages.byStaff, bodySource: ticketMessages.bodySource, createdAt: ticketMessages.createdAt })
      .from(ticketMessages)
      .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
      .where(and(eq(tickets.requesterId, userId), eq(ticketMessages.internal, false)))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id)),
    db
      .select({
        targetKind: reports.targetKind,
        targetId: reports.targetId,
        reason: reports.reason,
        note: reports.note,
        status: reports.status,
        outcome: reviewItems.resolution,
        createdAt: reports.createdAt,
      })
      .from(reports)
      .innerJoin(reviewItems, eq(reviewItems.id, reports.reviewItemId))
      .where(eq(reports.reporterId, userId))
      .orderBy(asc(reports.createdAt), asc(reports.id)),
    // About them, without who took the action.
    db
      .select({
        id: moderationActions.id,
        action: moderationActions.action,
        targetKind: moderationActions.targetKind,
        targetId: moderationActions.targetId,
        reason: moderationActions.reason,
        durationDays: moderationActions.durationDays,
        createdAt: moderationActions.createdAt,
      })
      .from(moderationActions)
      .where(eq(moderationActions.targetUserId, userId))
      .orderBy(asc(moderationActions.createdAt), asc(moderationActions.id)),
    // Their appeals and the conflict cases they are a party to.
    db
      .select({
        id: reviewItems.id,
        kind: reviewItems.kind,
        openedByYou: sql<boolean>`${reviewItems.openedById} is not distinct from ${userId}`,
        moderationActionId: reviewItems.moderationActionId,
        statement: reviewItems.statement,
        status: reviewItems.status,
        resolution: reviewItems.resolution,
        resolutionReason: reviewItems.resolutionReason,
        createdAt: reviewItems.createdAt,
        resolvedAt: reviewItems.resolvedAt,
      })
      .from(reviewItems)
      .where(
        or(
          and(eq(reviewItems.kind, 'appeal'), eq(reviewItems.openedById, userId)),
          and(
            eq(reviewItems.kind, 'conflict'),
            inArray(reviewItems.id, db.select({ id: conflictParties.reviewItemId }).from(conflictParties).where(eq(conflictParties.userId, userId))),
          ),
        ),
      )
      .orderBy(asc(reviewItems.createdAt), asc(reviewItems.id)),
    db
      .select({ caseId: conflictMessages.reviewItemId, bodySource: conflictMessages.bodySource, createdAt: conflictMessages.createdAt })
      .from(conflictMessages)
      .where(eq(conflictMessages.authorId, userId))
      .orderBy(asc(conflictMessages.createdAt), asc(conflictMessages.id)),
    db
      .select({ username: blocked.username, byModerator: sql<boolean>`${userBlocks.moderationActionId} is not null`, createdAt: userBlocks.createdAt })
      .from(userBlocks)
      .innerJoin(blocked, eq(blocked.id, userBlocks.blockedId))
      .where(eq(userBlocks.blockerId, userId))
      .orderBy(asc(userBlocks.createdAt)),
    db
      .select({ kind: notifications.kind, text: notifications.text, link: notifications.link, createdAt: notifications.createdAt, readAt: notifications.readAt, mailedAt: notifications.mailedAt })
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(asc(notifications.id)),
    db
      .select({ kind: notificationPreferences.kind, delivery: notificationPreferences.delivery })
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, userId))
      .orderBy(asc(notificationPreferences.kind)),
    db
      .select({ questionId: watches.questionId, questionTitle: titleIfVisible(thread), category: categories.name, level: watches.level, createdAt: watches.createdAt })
      .from(watches)
      .leftJoin(thread, eq(thread.id, watches.questionId))
      .leftJoin(categories, eq(categories.id, watches.categoryId))
      .where(eq(watches.userId, userId))
      .orderBy(asc(watches.createdAt)),
    db
      .select({ createdAt: sessions.createdAt, expiresAt: sessions.expiresAt, userAgent: sessions.userAgent, ipAddress: sessions.ipAddress })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(asc(sessions.createdAt)),
  ])
  if (!account) return null

  // Grouped once, so matching children to their parents stays linear in the member's data.
  const revisionsByPost = groupBy(revisionRows, (r) => `${r.postKind}:${r.postId}`)
  const revisionsOf = (kind: 'question' | 'answer', id: number) =>
    (revisionsByPost.get(`${kind}:${id}`) ?? []).map((r) => ({
      ...(kind === 'question' ? { title: r.title } : {}),
      bodySource: r.bodySource,
      replacedAt: r.replacedAt,
      editedByYou: r.editedByYou,
    }))
  const messagesByTicket = groupBy(messageRows, (m) => m.ticketNumber)
  const conflictMessagesByCase = groupBy(conflictMessageRows, (m) => m.caseId)
  const { avatarPath, ...profile } = account
  const avatar = avatarPath ? avatarFile(avatarPath) : null

  return {
    exportedAt: now,
    account: {
      ...profile,
      avatar: avatar ? `avatar/${avatarPath}` : null,
      emailVerified: account.emailVerifiedAt !== null,
    },
    questions: questionRows.map((q) => ({ ...q, link: `${env.publicUrl}${questionPath(q)}`, editHistory: revisionsOf('question', q.id) })),
    answers: answerRows.map((a) => ({
      ...a,
      link: `${env.publicUrl}${answerPath(a.id)}`,
      editHistory: revisionsOf('answer', a.id),
    })),
    votes: voteRows,
    officialAnswersMarked: officialRows,
    tickets: ticketRows.map(({ ratingScore, ratingComment, ratedAt, ...t }) => ({
      ...t,
      link: `${env.publicUrl}/tickets/${t.number}`,
      messages: (messagesByTicket.get(t.number) ?? []).map((m) => ({ from: m.byStaff ? 'support' : 'you', bodySource: m.bodySource, createdAt: m.createdAt })),
      rating: ratingScore === null ? null : { score: ratingScore, comment: ratingComment, createdAt: ratedAt },
    })),
    reportsFiled: reportRows,
    moderationActionsAboutYou: actionRows,
    appeals: itemRows
      .filter((i) => i.kind === 'appeal')
      .map((i) => ({
        moderationActionId: i.moderationActionId,
        statement: i.statement,
        status: i.status,
        decision: i.resolution,
        decisionReason: i.resolutionReason,
        createdAt: i.createdAt,
        decidedAt: i.resolvedAt,
      })),
    conflictCases: itemRows
      .filter((i) => i.kind === 'conflict')
      .map((i) => ({
        id: i.id,
        link: `${env.publicUrl}/conflicts/${i.id}`,
        openedByYou: i.openedByYou,
        // The description is the opener's: another party's words are theirs to export.
        description: i.openedByYou ? i.statement : null,
        status: i.status,
        outcome: i.resolution,
        outcomeReason: i.resolutionReason,
        createdAt: i.createdAt,
        resolvedAt: i.resolvedAt,
        yourMessages: (conflictMessagesByCase.get(i.id) ?? []).map((m) => ({ bodySource: m.bodySource, createdAt: m.createdAt })),
      })),
    blocks: blockRows,
    notifications: notificationRows,
    notificationPreferences: preferenceRows,
    watches: watchRows,
    sessions: sessionRows.map((s) => ({ ...s, device: describeUserAgent(s.userAgent) })),
    avatarFileName: avatar ? avatarPath : null,
  }
}

function groupBy<T, K>(rows: T[], keyOf: (row: T) => K) {
  const groups = new Map<K, T[]>()
  for (const row of rows) {
    const key = keyOf(row)
    const group = groups.get(key)
    if (group) group.push(row)
    else groups.set(key, [row])
  }
  return groups
}

type MemberData = NonNullable<Awaited<ReturnType<typeof loadMemberData>>>

/** JSON strings are valid YAML scalars, so front matter needs no YAML library to be safe. */
const frontMatter = (fields: Record<string, string | number | null>) =>
  [
    '---',
    ...Object.entries(fields)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`),
    '---',
  ].join('\n')

const iso = (date: Date | string | null) => (date === null ? null : new Date(date).toISOString())

/** One Markdown file per question and answer: front matter with title, link and dates, then the source. */
function postFiles(data: MemberData) {
  const files: Record<string, string> = {}
  for (const q of data.questions) {
    files[`posts/questions/${q.id}-${slugify(q.title) || 'question'}.md`] = [
      frontMatter({ type: 'question', title: q.title, link: q.link, created: iso(q.createdAt), edited: iso(q.editedAt), category: q.category, tags: q.tags.join(', ') || null }),
      '',
      `# ${q.title}`,
      '',
      q.bodySource,
      '',
    ].join('\n')
  }
  for (const a of data.answers) {
    const questionTitle = a.questionTitle ?? 'a thread that is no longer available'
    files[`posts/answers/${a.id}-${slugify(a.questionTitle ?? '') || 'answer'}.md`] = [
      frontMatter({ type: 'answer', title: `Answer to: ${questionTitle}`, link: a.link, created: iso(a.createdAt), edited: iso(a.editedAt), score: a.score }),
      '',
      `# Answer to: ${questionTitle}`,
      '',
      a.bodySource,
      '',
    ].join('\n')
  }
  return files
}

/** The member's export as a zip, with the filename it is downloaded under; null for no such member. */
export async function buildDataExport({ userId, now = new Date() }: { userId: number; now?: Date }) {
  const loaded = await loadMemberData({ userId, now })
  if (!loaded) return null
  const { avatarFileName, ...data } = loaded
  const entries: Zippable = { 'data.json': strToU8(JSON.stringify(data, null, 2)) }
  for (const [path, text] of Object.entries(postFiles(loaded))) entries[path] = strToU8(text)
  if (avatarFileName && data.account.avatar) {
    // A picture missing from storage leaves the rest of the export whole.
    const bytes = await readAvatarBytes(avatarFileName).catch(() => null)
    if (bytes) entries[data.account.avatar] = [bytes, { level: 0 }]
  }
  return {
    filename: `parley-${data.account.username}-${now.toISOString().slice(0, 10)}.zip`,
    zip: zipSync(entries, { level: 6, mtime: now }),
  }
}
