import { sql, type AnyColumn, type SQLWrapper } from 'drizzle-orm'

/**
 * True in SQL when either member blocked the other: then neither may reply to, or be notified
 * about, the other. Takes ids or column expressions, so it fits in any query's select or where.
 */
export const blockedBetweenSql = (a: number | AnyColumn | SQLWrapper, b: number | AnyColumn | SQLWrapper) =>
  sql<boolean>`exists (select 1 from user_blocks b where (b.blocker_id = ${a} and b.blocked_id = ${b}) or (b.blocker_id = ${b} and b.blocked_id = ${a}))`
