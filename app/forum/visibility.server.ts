/**
 * THE rule for who may see forum content, written once, in SQL and in JavaScript:
 *
 * - Moderators and admins (the roles holding `moderate:content:any`) see every question and answer,
 *   hidden or removed, so they can review and restore them.
 * - Everyone else (members, support agents, visitors) sees a question unless it is removed, or it is
 *   hidden and not theirs: a hidden post still reaches its author, with the reason, so they can edit
 *   it once and ask for another review.
 * - An answer, by the same rule on the answer itself, and only while its question is visible to
 *   them: removing (or hiding) a question takes its answers with it.
 * - A post waiting in the approval queue (queued_at set, decision 031) is treated as hidden: its
 *   author sees it (marked "Awaiting approval") and so do moderators; nobody else, until approved.
 * - Lists, search and other public surfaces show what a visitor sees: no hidden or removed content,
 *   not even to its author or to moderators.
 *
 * A lock changes nothing here (it only stops new answers), nor do blocks (they refuse answers and
 * silence notifications between two members, see answers.server.ts and notify.server.ts). Agents
 * hold no moderation right, so they see what members see.
 *
 * Every read and every write that names a question or answer goes through these functions: a
 * write on content the actor may not see is refused as if the content did not exist.
 */
import { and, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { alias, QueryBuilder } from 'drizzle-orm/pg-core'
import { db, rowsOf, type DbOrTx } from '#db/client.server'
import { answers, questions, users } from '#db/schema/index'
import type { UserRole } from '#db/schema/users'
import { rolesWith } from '~/platform/auth/permissions'

/** Who is looking: `id` null for a visitor; `moderates` for the roles that see hidden and removed content. */
export type Viewer = { id: number | null; moderates: boolean }

export const VISITOR: Viewer = { id: null, moderates: false }

const moderatorRoles: readonly UserRole[] = rolesWith('moderate:content:any')

export const roleModerates = (role: UserRole) => moderatorRoles.includes(role)

export function viewerOf(user: { id: number; role: UserRole } | null | undefined): Viewer {
  return user ? { id: user.id, moderates: roleModerates(user.role) } : VISITOR
}

// ---------------------------------------------------------------------------------------------
// JavaScript, for rows already loaded

/** The moderation state of a question or answer as loaded (dates may have travelled as strings). */
export type PostState = { authorId: number; hiddenAt: Date | string | null; removedAt: Date | string | null; queuedAt: Date | string | null }

function postVisibleTo(post: PostState, viewer: Viewer) {
  if (viewer.moderates) return true
  if (post.removedAt) return false
  return (!post.hiddenAt && !post.queuedAt) || (viewer.id !== null && post.authorId === viewer.id)
}

export function questionVisibleTo(question: PostState, viewer: Viewer) {
  return postVisibleTo(question, viewer)
}

export function answerVisibleTo(answer: PostState, question: PostState, viewer: Viewer) {
  return postVisibleTo(question, viewer) && postVisibleTo(answer, viewer)
}

/** The answer's own state only: the twin of answerStateVisibleSql. */
export function answerStateVisibleTo(answer: PostState, viewer: Viewer) {
  return postVisibleTo(answer, viewer)
}

// ---------------------------------------------------------------------------------------------
// SQL, for queries and statements (drizzle builders and raw `sql` templates alike)

/**
 * A viewer inside SQL: plain values, or SQL when the check runs over many members at once
 * (notifications), in a prepared statement (placeholders), or for a member known only by id.
 */
export type SqlViewer = { id: number | null | SQLWrapper; moderates: boolean | SQLWrapper }

/** The columns the rule reads: the questions or answers table, or an alias of either. */
export type PostColumns = { authorId: SQLWrapper; hiddenAt: SQLWrapper; removedAt: SQLWrapper; queuedAt: SQLWrapper }

/** True in SQL when a role (a column or an expression of type user_role) moderates. */
export const roleModeratesSql = (role: SQLWrapper) => sql`${role} in (${sql.join(moderatorRoles.map((r) => sql`${r}`), sql`, `)})`

/**
 * The viewer for a member known by id (a column or a number), whose role is read in the same
 * statement: a write that checks visibility this way cannot be raced by a role change.
 */
export function memberViewerSql(userId: number | SQLWrapper): SqlViewer {
  const viewer = alias(users, 'viewer')
  const role = new QueryBuilder().select({ role: viewer.role }).from(viewer).where(sql`${viewer.id} = ${userId}`)
  return { id: userId, moderates: sql`coalesce(${roleModeratesSql(sql`(${role})`)}, false)` }
}

function postVisibleSql(viewer: SqlViewer, post: PostColumns): SQL {
  if (viewer.moderates === true) return sql`true`
  // A visitor's rule is written without the author clause, so it reads as lists have always read it.
  const shown = sql`${post.hiddenAt} is null and ${post.queuedAt} is null`
  const hidden = viewer.id === null ? shown : sql`((${shown}) or ${post.authorId} = ${viewer.id})`
  const rule = sql`${hidden} and ${post.removedAt} is null`
  return viewer.moderates === false ? sql`(${rule})` : sql`(${viewer.moderates} or (${rule}))`
}

/** The question row `q` (the questions table by default, or an alias) is visible to the viewer. */
export function questionVisibleSql(viewer: SqlViewer, q: PostColumns = questions): SQL {
  return postVisibleSql(viewer, q)
}

/** The answer row `a` is visible to the viewer; `q` must be its question, joined in the same query. */
export function answerVisibleSql(viewer: SqlViewer, a: PostColumns = answers, q: PostColumns = questions): SQL {
  return sql`(${postVisibleSql(viewer, q)} and ${postVisibleSql(viewer, a)})`
}

/**
 * The answer's own state only, for a query that has already established that the viewer may see
 * the question (the thread page loads the question first).
 */
export function answerStateVisibleSql(viewer: SqlViewer, a: PostColumns = answers): SQL {
  return postVisibleSql(viewer, a)
}

/** What everyone may see, and so what lists, search and other public surfaces show. */
export const questionPublicSql = (q: PostColumns = questions) => questionVisibleSql(VISITOR, q)
export const answerPublicSql = (a: PostColumns = answers, q: PostColumns = questions) => answerVisibleSql(VISITOR, a, q)
export const answerStatePublicSql = (a: PostColumns = answers) => answerStateVisibleSql(VISITOR, a)

/** True in SQL when the question with this id (a column, an expression or a number) exists and is visible. */
export function questionIdVisibleSql(viewer: SqlViewer, questionId: number | SQLWrapper): SQL {
  const q = alias(questions, 'visible_question')
  const found = new QueryBuilder()
    .select({ one: sql`1` })
    .from(q)
    .where(and(sql`${q.id} = ${questionId}`, questionVisibleSql(viewer, q)))
  return sql`exists (${found})`
}

/**
 * True in SQL when the answer with this id exists and is visible, its question included; with
 * `questionId`, also only when the answer belongs to that question.
 */
export function answerIdVisibleSql(viewer: SqlViewer, answerId: number | SQLWrapper, questionId?: number | SQLWrapper): SQL {
  const a = alias(answers, 'visible_answer')
  const q = alias(questions, 'visible_answer_question')
  const found = new QueryBuilder()
    .select({ one: sql`1` })
    .from(a)
    .innerJoin(q, eq(q.id, a.questionId))
    .where(and(sql`${a.id} = ${answerId}`, questionId === undefined ? undefined : sql`${a.questionId} = ${questionId}`, answerVisibleSql(viewer, a, q)))
  return sql`exists (${found})`
}

// ---------------------------------------------------------------------------------------------
// Checks for routes that must answer 404 before they act

/** May this viewer see this question (or this answer, on this question when given)? One query. */
export async function contentVisible(
  { kind, id, questionId, viewer }: { kind: 'question' | 'answer'; id: number; questionId?: number; viewer: SqlViewer },
  tx: DbOrTx = db,
) {
  const visible = kind === 'question' ? questionIdVisibleSql(viewer, id) : answerIdVisibleSql(viewer, id, questionId)
  const [row] = rowsOf<{ visible: boolean }>(await tx.execute(sql`select ${visible} as visible`))
  return row?.visible === true
}
