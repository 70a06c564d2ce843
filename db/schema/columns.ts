import { sql, type SQL } from 'drizzle-orm'
import { timestamp, type PgColumn } from 'drizzle-orm/pg-core'

/**
 * Every timestamp is `timestamp with time zone` at millisecond precision: JavaScript dates carry
 * milliseconds, so keyset cursors built from them compare exactly with the stored values.
 */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' })

/**
 * A timestamptz column selected as the text `Date#toISOString` gives (`2026-12-02T10:00:00.000Z`),
 * written by PostgreSQL: for rows that go straight into a page's loader data, which holds dates as
 * that text. Reading a Date and writing it out again cost 1.5 % of a signed-in thread view.
 */
export function isoText<C extends PgColumn>(column: C): SQL<C['_']['notNull'] extends true ? string : string | null> {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
}
