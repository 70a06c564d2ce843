import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db, prepared, type DbOrTx } from '#db/client.server'
import { answers, answerVotes, categories, postRevisions, questions, questionTags, questionVotes, tags, users, watches, type WatchLevel } from '#db/schema/index'
import { isoText } from '#db/schema/columns'
import { touchThread } from './thread.server'
import { answerPublicSql, answerStateVisibleSql, answerVisibleSql, questionPublicSql, questionVisibleTo } from './visibility.server'
import { requestReviewAfterEdit } from '~/moderation/edit-review.server'
import type { PostGate } from '~/moderation/posting-gate.server'
import { flagPost, queuePostForApproval } from '~/moderation/queued-post.server'
import { censorPost } from '~/moderation/watched-words.server'
import { questionPublished } from './publishing.server'
import { notifyMentionsAddedByEdit, renderPost } from '~/notifications/events.server'
import { encodeCursor, type Cursor } from '~/platform/cursor'
import { threadPagePath } from '~/platform/misc'
import { answerDraftKeySql, draftColumn, readDraftColumn } from '~/composer/drafts.server'

export const MAX_TAGS = 5
export const TAG_PATTERN = /^[a-z0-9][a-z0-9.+#-]{0,29}$/
export const PAGE_SIZE = 30
/** Answers on one page of a thread (NodeBB shows 20 posts a page). */
export const ANSWERS_PER_PAGE = 20

/** "Billing, login  Two-Factor" → ['billing', 'login', 'two-factor'], deduplicated, order kept. */
export function parseTagNames(input: string): string[] {
  const names = input
    .split(/[\s,]+/)
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean)
  return [...new Set(names)]
}

export function tagProblem(names: string[]): string | null {
  if (names.length > MAX_TAGS) return `Use at most ${MAX_TAGS} tags.`
  const bad = names.find((n) => !TAG_PATTERN.test(n))
  if (bad) return `“${bad}” is not a valid tag: use up to 30 lowercase letters, digits, dots, plus signs, hashes or hyphens.`
  return null
}

/**
 * A question's tag names as one column, so lists need no second query. Written with explicit
 * aliases: in a single-table select drizzle leaves column names unqualified, and an unqualified
 * "id" inside this subquery would mean tags.id.
 */
const tagNamesOf = sql<string[]>`coalesce((select array_agg(t.name order by t.name) from question_tags qt join tags t on t.id = qt.tag_id where qt.question_id = "questions"."id"), '{}')`

async function setQuestionTags(tx: DbOrTx, questionId: number, names: string[]) {
  await tx.delete(questionTags).where(eq(questionTags.questionId, questionId))
  if (names.length === 0) return
  await tx
    .insert(tags)
    .values(names.map((name) => ({ name })))
    .onConflictDoNothing({ target: tags.name })
  const rows = await tx.select({ id: tags.id }).from(tags).where(inArray(tags.name, names))
  await tx.insert(questionTags).values(rows.map((r) => ({ questionId, tagId: r.id })))
}

export type QuestionInput = { title: string; bodySource: string; categoryId: number; tagNames: string[] }

/**
 * Stores a new question. `gate` is the posting gate's verdict (decision 031): published at once (and
 * flagged if a watched word says so), or stored waiting for approval, seen only by its author and
 * moderators, with no notification, no search entry and nothing counted until it is approved.
 */
export async function createQuestion({ authorId, gate = { action: 'publish', flags: [] }, ...input }: QuestionInput & { authorId: number; gate?: PostGate }, tx?: DbOrTx) {
  const run = async (t: DbOrTx) => {
    const { html, mentionedIds } = await renderPost(t, input.bodySource)
    const censored = await censorPost(t, { html, title: input.title.trim() })
    const [question] = await t
      .insert(questions)
      .values({
        authorId,
        categoryId: input.categoryId,
        title: censored.title,
        bodySource: input.bodySource,
        bodyHtml: censored.html,
        queuedAt: gate.action === 'queue' ? new Date() : null,
      })
      .returning({ id: questions.id, title: questions.title })
    await setQuestionTags(t, question.id, input.tagNames)
    if (gate.action === 'queue') {
      await queuePostForApproval(t, { kind: 'question', id: question.id, authorId, reasons: [...gate.reasons, ...gate.flags], score: gate.score })
      return { ...question, queued: true }
    }
    // A new thread has no cached page to drop yet: only search needs telling.
    await questionPublished(t, { question, authorId, categoryId: input.categoryId, mentionedIds })
    await flagPost(t, { kind: 'question', id: question.id, authorId, flags: gate.flags })
    return { ...question, queued: false }
  }
  return tx ? run(tx) : db.transaction(run)
}

/** The fields the edit form needs; null unless the question exists. */
export async function getQuestionForEdit({ questionId }: { questionId: number }) {
  const [question] = await db
    .select({
      id: questions.id,
      authorId: questions.authorId,
      title: questions.title,
      bodySource: questions.bodySource,
      categoryId: questions.categoryId,
      tagNames: tagNamesOf,
      hiddenAt: questions.hiddenAt,
      reviewEditUsed: questions.reviewEditUsed,
      removedAt: questions.removedAt,
      lockedAt: questions.lockedAt,
      queuedAt: questions.queuedAt,
    })
    .from(questions)
    .where(eq(questions.id, questionId))
    .limit(1)
  return question ?? null
}

/**
 * Keeps the previous version as a revision, then writes the new one: both or neither. With
 * `asksForReview` (the author editing their hidden question) the edit also claims their one request
 * for another review, in the same transaction: 'review-edit-used' when it was already claimed.
 */
export async function updateQuestion({
  questionId,
  editorId,
  asksForReview = false,
  flags = [],
  ...input
}: QuestionInput & { questionId: number; editorId: number; asksForReview?: boolean; /** Watched words the edit added that open a queue item on the question. */ flags?: string[] }) {
  return db.transaction(async (tx) => {
    if (asksForReview && !(await requestReviewAfterEdit(tx, 'question', questionId))) return 'review-edit-used' as const
    const [previous] = await tx
      .select({ title: questions.title, bodySource: questions.bodySource, bodyHtml: questions.bodyHtml, authorId: questions.authorId })
      .from(questions)
      .where(eq(questions.id, questionId))
      .for('update')
    if (!previous) return null
    const { authorId, ...revision } = previous
    await tx.insert(postRevisions).values({ postKind: 'question', postId: questionId, questionId, editorId, ...revision })
    await flagPost(tx, { kind: 'question', id: questionId, authorId, flags })
    const now = new Date()
    const censored = await censorPost(tx, { html: (await renderPost(tx, input.bodySource)).html, title: input.title.trim() })
    // Tags are written after the touch; the index job runs after the commit, so it sees them.
    await touchThread(tx, questionId, {
      set: {
        title: censored.title,
        bodySource: input.bodySource,
        bodyHtml: censored.html,
        categoryId: input.categoryId,
        editedAt: now,
        lastActivityAt: now,
      },
    })
    await setQuestionTags(tx, questionId, input.tagNames)
    await notifyMentionsAddedByEdit(tx, { questionId, editorId, before: previous.bodySource, after: input.bodySource })
    return { id: questionId }
  })
}

const threadStatements = prepared((database) => {
  const marker = alias(users, 'marker')
  const question = database
    .select({
      id: questions.id,
      title: questions.title,
      bodyHtml: questions.bodyHtml,
      authorId: questions.authorId,
      authorUsername: users.username,
      authorRole: users.role,
      authorAvatarPath: users.avatarPath,
      authorDisplayName: users.displayName,
      authorJoinedAt: isoText(users.createdAt),
      score: questions.score,
      viewerVote: sql<number | null>`(select ${questionVotes.value} from ${questionVotes} where ${questionVotes.questionId} = ${questions.id} and ${questionVotes.userId} = ${sql.placeholder('viewerId')})`,
      categoryId: questions.categoryId,
      categorySlug: categories.slug,
      categoryName: categories.name,
      answerCount: questions.answerCount,
      acceptedAnswerId: questions.acceptedAnswerId,
      officialAnswerId: questions.officialAnswerId,
      officialMarkedBy: marker.username,
      createdAt: isoText(questions.createdAt),
      editedAt: isoText(questions.editedAt),
      tagNames: tagNamesOf,
      hiddenAt: isoText(questions.hiddenAt),
      hiddenReason: questions.hiddenReason,
      reviewEditUsed: questions.reviewEditUsed,
      removedAt: isoText(questions.removedAt),
      removedReason: questions.removedReason,
      lockedAt: isoText(questions.lockedAt),
      lockedReason: questions.lockedReason,
      queuedAt: isoText(questions.queuedAt),
      // The viewer's watch or mute (visitors pass user id 0), so the watch button costs no query.
      viewerWatch: sql<WatchLevel | null>`(select ${watches.level} from ${watches} where ${watches.questionId} = ${questions.id} and ${watches.userId} = ${sql.placeholder('viewerId')})`,
      // The viewer's unposted answer, for the answer box, at no query of its own either.
      viewerDraft: draftColumn(sql.placeholder('viewerId'), answerDraftKeySql(questions.id)),
    })
    .from(questions)
    .innerJoin(users, eq(users.id, questions.authorId))
    .innerJoin(categories, eq(categories.id, questions.categoryId))
    .leftJoin(marker, eq(marker.id, questions.officialMarkedById))
    .where(eq(questions.id, sql.placeholder('questionId')))
    .limit(1)
    .prepare('thread_question')
  // One statement for moderators and one for everyone else, the rule written with that known rather
  // than as a parameter: PostgreSQL then settles on one generic plan for each after its first few
  // runs, where `$n::boolean or (…)` had it plan every execution afresh (0.13 ms of a page's 0.5 ms
  // of database time; decision 038).
  const answerRows = (moderates: boolean) =>
    database
      .select({
        id: answers.id,
        bodyHtml: answers.bodyHtml,
        authorId: answers.authorId,
        authorUsername: users.username,
        authorRole: users.role,
        authorAvatarPath: users.avatarPath,
        authorDisplayName: users.displayName,
        authorJoinedAt: isoText(users.createdAt),
        score: answers.score,
        createdAt: isoText(answers.createdAt),
        editedAt: isoText(answers.editedAt),
        hiddenAt: isoText(answers.hiddenAt),
        hiddenReason: answers.hiddenReason,
        reviewEditUsed: answers.reviewEditUsed,
        removedAt: isoText(answers.removedAt),
        removedReason: answers.removedReason,
        queuedAt: isoText(answers.queuedAt),
        // Visitors pass user id 0, which no vote row has.
        viewerVote: sql<number | null>`(select ${answerVotes.value} from ${answerVotes} where ${answerVotes.answerId} = ${answers.id} and ${answerVotes.userId} = ${sql.placeholder('viewerId')})`,
        // All the answers this viewer may see, whichever page this is: the page count costs no query.
        total: sql<number>`count(*) over ()`.mapWith(Number),
      })
      .from(answers)
      .innerJoin(users, eq(users.id, answers.authorId))
      // getThread has checked the question already; each answer by its own state.
      .where(
        and(
          eq(answers.questionId, sql.placeholder('questionId')),
          answerStateVisibleSql({ id: sql.placeholder('viewerId'), moderates }),
        ),
      )
      .orderBy(
        // Official first, then accepted, then score, then oldest: the order readers expect.
        sql`${answers.id} = ${sql.placeholder('officialAnswerId')} desc`,
        sql`${answers.id} = ${sql.placeholder('acceptedAnswerId')} desc`,
        desc(answers.score),
        answers.createdAt,
        answers.id,
      )
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(moderates ? 'thread_answers_moderating' : 'thread_answers')
  const revisions = database
    .select({
      id: postRevisions.id,
      postKind: postRevisions.postKind,
      postId: postRevisions.postId,
      title: postRevisions.title,
      bodyHtml: postRevisions.bodyHtml,
      editorUsername: users.username,
      createdAt: isoText(postRevisions.createdAt),
    })
    .from(postRevisions)
    .innerJoin(users, eq(users.id, postRevisions.editorId))
    .where(eq(postRevisions.questionId, sql.placeholder('questionId')))
    .orderBy(desc(postRevisions.createdAt), desc(postRevisions.id))
    .prepare('thread_revisions')
  const revision = database
    .select({ revision: questions.revision, title: questions.title, isPublic: sql<boolean>`${questionPublicSql()}` })
    .from(questions)
    .where(eq(questions.id, sql.placeholder('questionId')))
    .prepare('thread_revision')
  return { question, answers: answerRows(false), answersModerating: answerRows(true), revisions, revision }
})

/**
 * Everything one page of a thread shows, in at most three prepared queries whatever the thread's
 * size: the question (with author, category, tags and who marked the official answer), one page of
 * answers (with authors, the viewer's own vote and how many answers the viewer may see in all), and,
 * when a post on the page was edited, the thread's revision history. Answers come official first, then accepted, then by score, then
 * oldest, so the official and accepted answers are always on page 1. Without `page` every answer
 * comes (for callers that are not the page). Dates come as ISO text (isoText), as the page's data holds them.
 */
export async function getThread({ questionId, viewerId, canModerate = false, page }: { questionId: number; viewerId: number | null; canModerate?: boolean; page?: number }) {
  const statements = threadStatements()
  const [question] = await statements.question.execute({ questionId, viewerId: viewerId ?? 0 })
  if (!question) return null
  if (!questionVisibleTo(question, { id: viewerId, moderates: canModerate })) return null
  const answerRows = await (canModerate ? statements.answersModerating : statements.answers).execute({
    questionId,
    viewerId: viewerId ?? 0,
    officialAnswerId: question.officialAnswerId ?? 0,
    acceptedAnswerId: question.acceptedAnswerId ?? 0,
    limit: page === undefined ? null : ANSWERS_PER_PAGE,
    offset: page === undefined ? 0 : (page - 1) * ANSWERS_PER_PAGE,
  })
  // An edit writes the earlier version and sets editedAt in one transaction, and a post shows its
  // versions only when edited: a page where nothing shown was edited (most) needs no third query.
  const anyEdited = question.editedAt !== null || answerRows.some((a) => a.editedAt !== null)
  const revisionRows = anyEdited ? await statements.revisions.execute({ questionId }) : []
  // Earlier versions of answers on other pages, or that the viewer may not see, stay behind.
  const shownAnswers = new Set(answerRows.map((a) => a.id))
  const revisions = revisionRows.filter((r) => r.postKind === 'question' || shownAnswers.has(r.postId))
  const answerTotal = answerRows[0]?.total ?? 0
  return {
    question: { ...question, viewerDraft: readDraftColumn(question.viewerDraft) },
    answers: answerRows.map(withoutTotal),
    revisions,
    answerTotal,
    page: page ?? 1,
    pageCount: page === undefined ? 1 : Math.max(1, Math.ceil(answerTotal / ANSWERS_PER_PAGE)),
  }
}

/** An answer row without the count that came with it, copied key by key: object rest takes V8's slow path (0.5 % of a signed-in thread view). */
function withoutTotal<T extends { total: number }>(row: T): Omit<T, 'total'> {
  const answer: Partial<T> = {}
  for (const key in row) if (key !== 'total') answer[key] = row[key]
  return answer as Omit<T, 'total'>
}

/**
 * Where an answer is for this viewer: its question (id and title, for the address) and the page of
 * the thread it is on. Null when the answer, or its question, does not exist for them. One query.
 */
export async function findAnswerPage({ answerId, viewerId, canModerate = false }: { answerId: number; viewerId: number | null; canModerate?: boolean }) {
  const viewer = { id: viewerId ?? 0, moderates: canModerate }
  const ranked = db
    .select({
      answerId: sql<number>`${answers.id}`.as('answer_id'),
      questionId: sql<number>`${questions.id}`.as('question_id'),
      title: questions.title,
      // The thread page's order, written against the question's own marks.
      position: sql<number>`row_number() over (order by coalesce(${answers.id} = ${questions.officialAnswerId}, false) desc, coalesce(${answers.id} = ${questions.acceptedAnswerId}, false) desc, ${answers.score} desc, ${answers.createdAt}, ${answers.id})`
        .mapWith(Number)
        .as('position'),
    })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(and(sql`${answers.questionId} = (select a2.question_id from answers a2 where a2.id = ${answerId})`, answerVisibleSql(viewer)))
    .as('ranked')
  const [row] = await db.select().from(ranked).where(eq(ranked.answerId, answerId)).limit(1)
  if (!row) return null
  const page = Math.ceil(row.position / ANSWERS_PER_PAGE)
  return { questionId: row.questionId, title: row.title, page, path: `${threadPagePath({ id: row.questionId, title: row.title }, page)}#answer-${answerId}` }
}

/** The thread's current revision and title, or null when the question does not exist (the page cache's check). */
export async function getThreadRevision({ questionId }: { questionId: number }) {
  const [row] = await threadStatements().revision.execute({ questionId })
  return row ?? null
}

export type QuestionFilter = 'all' | 'unanswered' | 'unsolved' | 'solved'

/**
 * One page of questions by latest activity, keyset-paginated on (last_activity_at, id), so page
 * 1000 costs what page 1 does. One query per page.
 */
export async function listQuestions({
  filter = 'all',
  categoryId,
  tagName,
  after,
}: {
  filter?: QuestionFilter
  categoryId?: number
  tagName?: string
  after?: Cursor | null
}) {
  // Hidden and removed questions stay out of every list.
  const conditions: SQL[] = [questionPublicSql()]
  // These match the partial indexes' predicates word for word, so the planner can use them.
  if (filter === 'unanswered') conditions.push(sql`${questions.answerCount} = 0`)
  if (filter === 'unsolved') conditions.push(sql`${questions.acceptedAnswerId} is null and ${questions.officialAnswerId} is null`)
  if (filter === 'solved') conditions.push(sql`(${questions.acceptedAnswerId} is not null or ${questions.officialAnswerId} is not null)`)
  if (categoryId !== undefined) conditions.push(eq(questions.categoryId, categoryId))
  if (tagName !== undefined)
    conditions.push(
      sql`exists (select 1 from ${questionTags} join ${tags} on ${tags.id} = ${questionTags.tagId} where ${questionTags.questionId} = ${questions.id} and ${tags.name} = ${tagName})`,
    )
  if (after) conditions.push(sql`(${questions.lastActivityAt}, ${questions.id}) < (${after.at.toISOString()}::timestamptz, ${after.id})`)

  const rows = await db
    .select({
      id: questions.id,
      title: questions.title,
      authorUsername: users.username,
      authorAvatarPath: users.avatarPath,
      categorySlug: categories.slug,
      categoryName: categories.name,
      answerCount: questions.answerCount,
      hasAcceptedAnswer: sql<boolean>`${questions.acceptedAnswerId} is not null`,
      hasOfficialAnswer: sql<boolean>`${questions.officialAnswerId} is not null`,
      createdAt: questions.createdAt,
      lastActivityAt: questions.lastActivityAt,
      tagNames: tagNamesOf,
    })
    .from(questions)
    .innerJoin(users, eq(users.id, questions.authorId))
    .innerJoin(categories, eq(categories.id, questions.categoryId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(questions.lastActivityAt), desc(questions.id))
    .limit(PAGE_SIZE + 1)
  const page = rows.slice(0, PAGE_SIZE)
  const last = page[page.length - 1]
  return {
    questions: page,
    nextCursor: rows.length > PAGE_SIZE && last ? encodeCursor({ at: last.lastActivityAt, id: last.id }) : null,
  }
}

/** A member's latest questions and answers for their profile: two queries. */
export async function listUserActivity({ userId, limit = PAGE_SIZE }: { userId: number; limit?: number }) {
  const [questionRows, answerRows] = await Promise.all([
    db
      .select({
        id: questions.id,
        title: questions.title,
        answerCount: questions.answerCount,
        hasAcceptedAnswer: sql<boolean>`${questions.acceptedAnswerId} is not null`,
        hasOfficialAnswer: sql<boolean>`${questions.officialAnswerId} is not null`,
        createdAt: questions.createdAt,
      })
      .from(questions)
      .where(and(eq(questions.authorId, userId), questionPublicSql()))
      .orderBy(desc(questions.createdAt), desc(questions.id))
      .limit(limit),
    db
      .select({
        id: answers.id,
        questionId: answers.questionId,
        questionTitle: questions.title,
        score: answers.score,
        isAccepted: sql<boolean>`coalesce(${questions.acceptedAnswerId} = ${answers.id}, false)`,
        isOfficial: sql<boolean>`coalesce(${questions.officialAnswerId} = ${answers.id}, false)`,
        createdAt: answers.createdAt,
      })
      .from(answers)
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(and(eq(answers.authorId, userId), answerPublicSql()))
      .orderBy(desc(answers.createdAt), desc(answers.id))
      .limit(limit),
  ])
  return { questions: questionRows, answers: answerRows }
}
