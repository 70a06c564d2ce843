import { and, eq, sql, type AnyColumn, type Placeholder, type SQL } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { drafts } from '#db/schema/index'
import { ANSWER_DRAFT_PREFIX, TICKET_REPLY_DRAFT_PREFIX, type Draft } from './keys'

/**
 * Drafts: what a member is writing, kept on the server per member and composer (keys.ts), so it
 * survives a reload, another tab or another device. Only ever read for its own member: every
 * function takes the member's id and filters on it.
 */

/** Saves (or replaces) the member's draft; an empty one is a discarded one. Returns when it was saved. */
export async function saveDraft({ userId, key, title = null, body, tx = db }: { userId: number; key: string; title?: string | null; body: string; tx?: DbOrTx }) {
  if (!body.trim() && !title?.trim()) {
    await discardDraft({ userId, key, tx })
    return { saved: false as const }
  }
  const now = new Date()
  await tx
    .insert(drafts)
    .values({ userId, key, title, body, updatedAt: now })
    .onConflictDoUpdate({ target: [drafts.userId, drafts.key], set: { title, body, updatedAt: now } })
  return { saved: true as const, updatedAt: now }
}

export async function getDraft({ userId, key, tx = db }: { userId: number; key: string; tx?: DbOrTx }): Promise<Draft | null> {
  const [row] = await tx
    .select({ title: drafts.title, body: drafts.body, updatedAt: drafts.updatedAt })
    .from(drafts)
    .where(and(eq(drafts.userId, userId), eq(drafts.key, key)))
  return row ? { title: row.title, body: row.body, updatedAt: row.updatedAt.toISOString() } : null
}

/** Deletes the draft; called when the post or ticket it was for is created, or by "Discard draft". */
export async function discardDraft({ userId, key, tx = db }: { userId: number; key: string; tx?: DbOrTx }) {
  const deleted = await tx
    .delete(drafts)
    .where(and(eq(drafts.userId, userId), eq(drafts.key, key)))
    .returning({ id: drafts.id })
  return deleted.length > 0
}

/** Every draft of a member goes with their account's content (deletion anonymises, decision 011). */
export async function discardAllDrafts({ userId, tx = db }: { userId: number; tx?: DbOrTx }) {
  await tx.delete(drafts).where(eq(drafts.userId, userId))
}

/**
 * The member's draft as a column of another page query, so loading it costs no query of its own
 * (the thread and ticket pages). JSON text, read back with `readDraftColumn`; null without one.
 */
export function draftColumn(userId: SQL | Placeholder | number, key: SQL) {
  return sql<string | null>`(select json_build_object('title', d.title, 'body', d.body, 'updatedAt', d.updated_at)::text from ${drafts} d where d.user_id = ${userId} and d.key = ${key})`
}

/** The key of the answer draft for a question id column (the thread page's query). */
export const answerDraftKeySql = (questionId: SQL | AnyColumn) => sql`${ANSWER_DRAFT_PREFIX}::text || ${questionId}`
/** The key of the reply draft for a ticket number column (the ticket page's query). */
export const ticketReplyDraftKeySql = (ticketNumber: SQL | AnyColumn) => sql`${TICKET_REPLY_DRAFT_PREFIX}::text || ${ticketNumber}`

export function readDraftColumn(text: string | null): Draft | null {
  if (!text) return null
  const row = JSON.parse(text) as { title: string | null; body: string; updatedAt: string }
  return { title: row.title, body: row.body, updatedAt: new Date(row.updatedAt).toISOString() }
}
