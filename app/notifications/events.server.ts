/**
 * What the forum's own events notify: new questions and answers (the asker, @mentioned members,
 * watchers), accepted and official answers. Each runs inside the transaction of its event.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { DbOrTx } from '#db/client.server'
import { answers, questions, users, watches, type WatchLevel } from '#db/schema/index'
import { MENTION_PATTERN, renderMarkdown } from '~/platform/markdown.server'
import { answerPath, questionPath } from '~/platform/misc'
import { notify } from './notify.server'
import { watchAutomatically } from './watches.server'

/** Discourse's max_mentions_per_post: more than this in one post is more likely spam than a question. */
export const MAX_MENTIONS_PER_POST = 10

/** The usernames @mentioned in Markdown, ignoring code (where an @ is usually a decorator or a package). */
export function mentionedUsernames(source: string): string[] {
  const prose = source.replace(/```[\s\S]*?(```|$)|~~~[\s\S]*?(~~~|$)|`[^`\n]*`/g, ' ')
  const names = [...prose.matchAll(MENTION_PATTERN)].map((m) => m[2].toLowerCase())
  return [...new Set(names)].slice(0, MAX_MENTIONS_PER_POST)
}

async function mentionedMembers(tx: DbOrTx, names: string[]) {
  if (names.length === 0) return []
  return tx
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(and(inArray(sql`lower(${users.username})`, names), isNull(users.deletedAt)))
}

/**
 * A post's Markdown rendered with its @mentions of existing members as profile links, and those
 * members' ids for the notifications (one query for the names it mentions).
 */
export async function renderPost(tx: DbOrTx, source: string) {
  const members = await mentionedMembers(tx, mentionedUsernames(source))
  const html = renderMarkdown(source, { mentions: new Map(members.map((m) => [m.username.toLowerCase(), m.username])) })
  return { html, mentionedIds: members.map((m) => m.id) }
}

type QuestionRef = { id: number; title: string }

export async function notifyNewQuestion(tx: DbOrTx, { question, authorId, categoryId, mentionedIds }: { question: QuestionRef; authorId: number; categoryId: number; mentionedIds: number[] }) {
  await watchAutomatically(tx, { userId: authorId, questionId: question.id })
  const [{ authorName }] = await tx.select({ authorName: users.username }).from(users).where(eq(users.id, authorId))
  const link = questionPath(question)
  const target = { questionId: question.id }
  const mentioned = await notify(tx, { kind: 'mention', userIds: mentionedIds, actorId: authorId, text: `${authorName} mentioned you in “${question.title}”`, link, target })
  const watchers = await tx
    .select({ userId: watches.userId })
    .from(watches)
    .where(and(eq(watches.categoryId, categoryId), eq(watches.level, 'watching')))
  await notify(tx, {
    kind: 'watched-category',
    userIds: watchers.map((w) => w.userId).filter((id) => !mentioned.includes(id)),
    actorId: authorId,
    text: `New question from ${authorName}: “${question.title}”`,
    link,
    target,
  })
}

/**
 * A new answer: the asker hears of it (unless they muted the thread), @mentioned members are told
 * they were mentioned, and everyone else watching the thread gets one notification. Nobody gets two.
 */
export async function notifyNewAnswer(tx: DbOrTx, { questionId, answerId, authorId, mentionedIds }: { questionId: number; answerId: number; authorId: number; mentionedIds: number[] }) {
  await watchAutomatically(tx, { userId: authorId, questionId })
  // The thread with its watchers and mutes, and who muted its whole category (a category mute
  // silences the threads in it that they only watch; answers to their own question still reach
  // them), in one query.
  const [thread] = await tx
    .select({
      id: questions.id,
      title: questions.title,
      askerId: questions.authorId,
      categoryId: questions.categoryId,
      authorName: sql<string>`(select ${users.username} from ${users} where ${users.id} = ${authorId})`,
      watches: sql<string>`(select coalesce(json_agg(json_build_object('userId', w.user_id, 'level', w.level, 'onCategory', w.category_id is not null)), '[]')::text
        from ${watches} w where w.question_id = ${questionId} or (w.category_id = questions.category_id and w.level = 'muted'))`,
    })
    .from(questions)
    .where(eq(questions.id, questionId))
  const threadWatches = JSON.parse(thread.watches) as { userId: number; level: WatchLevel; onCategory: boolean }[]
  const muted = new Set(threadWatches.filter((w) => w.level === 'muted' && !w.onCategory).map((w) => w.userId))
  const categoryMuted = new Set(threadWatches.filter((w) => w.onCategory).map((w) => w.userId))
  const link = answerPath(answerId)
  const target = { questionId, answerId }

  const told = new Set<number>()
  if (!muted.has(thread.askerId)) {
    for (const id of await notify(tx, { kind: 'new-answer', userIds: [thread.askerId], actorId: authorId, text: `${thread.authorName} answered your question “${thread.title}”`, link, target })) told.add(id)
  }
  const mentions = mentionedIds.filter((id) => !told.has(id))
  for (const id of await notify(tx, { kind: 'mention', userIds: mentions, actorId: authorId, text: `${thread.authorName} mentioned you in an answer to “${thread.title}”`, link, target })) told.add(id)
  await notify(tx, {
    kind: 'watched-thread',
    userIds: threadWatches
      .filter((w) => w.level === 'watching' && !w.onCategory && !told.has(w.userId) && w.userId !== thread.askerId && !categoryMuted.has(w.userId))
      .map((w) => w.userId),
    actorId: authorId,
    text: `${thread.authorName} answered “${thread.title}”, a thread you watch`,
    link,
    target,
  })
}

async function answerContext(tx: DbOrTx, answerId: number) {
  const [row] = await tx
    .select({ authorId: answers.authorId, questionId: questions.id, title: questions.title })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(eq(answers.id, answerId))
  return row ?? null
}

export async function notifyAnswerAccepted(tx: DbOrTx, { answerId, actorId }: { answerId: number; actorId: number }) {
  const answer = await answerContext(tx, answerId)
  if (!answer) return
  await notify(tx, {
    kind: 'answer-accepted',
    userIds: [answer.authorId],
    actorId,
    text: `Your answer to “${answer.title}” was accepted`,
    link: answerPath(answerId),
    target: { questionId: answer.questionId, answerId },
  })
}

export async function notifyAnswerOfficial(tx: DbOrTx, { answerId, actorId }: { answerId: number; actorId: number }) {
  const answer = await answerContext(tx, answerId)
  if (!answer) return
  await notify(tx, {
    kind: 'answer-official',
    userIds: [answer.authorId],
    actorId,
    text: `Support staff marked your answer to “${answer.title}” as the official answer`,
    link: answerPath(answerId),
    target: { questionId: answer.questionId, answerId },
  })
}

/**
 * An edit that adds @mentions tells the newly mentioned members (those already mentioned before
 * the edit heard of it then), as Discourse does.
 */
export async function notifyMentionsAddedByEdit(
  tx: DbOrTx,
  { questionId, answerId, editorId, before, after }: { questionId: number; answerId?: number; editorId: number; before: string; after: string },
) {
  const earlier = new Set(mentionedUsernames(before))
  const added = mentionedUsernames(after).filter((name) => !earlier.has(name))
  if (added.length === 0) return
  const ids = (await mentionedMembers(tx, added)).map((m) => m.id)
  const [thread] = await tx
    .select({ id: questions.id, title: questions.title, editorName: sql<string>`(select ${users.username} from ${users} where ${users.id} = ${editorId})` })
    .from(questions)
    .where(eq(questions.id, questionId))
  await notify(tx, {
    kind: 'mention',
    userIds: ids,
    actorId: editorId,
    text: answerId ? `${thread.editorName} mentioned you in an answer to “${thread.title}”` : `${thread.editorName} mentioned you in “${thread.title}”`,
    link: answerId ? answerPath(answerId) : questionPath(thread),
    target: { questionId, answerId },
  })
}
