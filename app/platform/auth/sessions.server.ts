import { createHash } from 'node:crypto'
import { and, desc, eq, gt, ne, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { sessions } from '#db/schema/index'

/**
 * A session id is the cookie itself, so pages name a session by a hash of its id instead: the
 * list of devices never puts another device's credential into the HTML.
 */
export const sessionHandle = (sessionId: string) => createHash('sha256').update(sessionId, 'utf8').digest('hex')
const handleOf = sql<string>`encode(sha256(convert_to(${sessions.id}, 'UTF8')), 'hex')`

/** The member's sessions that can still be used, newest first. */
export async function listSessions({ userId, currentSessionId, now = new Date() }: { userId: number; currentSessionId: string; now?: Date }, tx: DbOrTx = db) {
  const rows = await tx
    .select({ id: sessions.id, createdAt: sessions.createdAt, userAgent: sessions.userAgent, ipAddress: sessions.ipAddress })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
  return rows.map(({ id, ...row }) => ({ ...row, handle: sessionHandle(id), isCurrent: id === currentSessionId }))
}

/** "Log out everywhere else": every session of the member's but this one. Returns how many ended. */
export async function endOtherSessions({ userId, keepSessionId }: { userId: number; keepSessionId: string }, tx: DbOrTx = db) {
  const ended = await tx
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)))
    .returning({ id: sessions.id })
  return ended.length
}

/** Logs the member out everywhere (in the caller's transaction, so no request slips in between). */
export async function endAllSessions({ userId }: { userId: number }, tx: DbOrTx = db) {
  await tx.delete(sessions).where(eq(sessions.userId, userId))
}

/**
 * Ends one of the member's other sessions, named by its handle; false when they have no such
 * session (someone else's, the current one, or already ended).
 */
export async function endOtherSession({ userId, handle, currentSessionId }: { userId: number; handle: string; currentSessionId: string }, tx: DbOrTx = db) {
  const ended = await tx
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, currentSessionId), eq(handleOf, handle)))
    .returning({ id: sessions.id })
  return ended.length > 0
}
