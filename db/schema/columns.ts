import { timestamp } from 'drizzle-orm/pg-core'

/**
 * Every timestamp is `timestamp with time zone` at millisecond precision: JavaScript dates carry
 * milliseconds, so keyset cursors built from them compare exactly with the stored values.
 */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' })
