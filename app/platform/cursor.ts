import { MAX_ID } from '~/platform/misc'

/**
 * The keyset cursor every list pages with: the last row's timestamp and id, as `ms_id` in the URL.
 * Anything else a visitor types decodes to null (the first page).
 */
export type Cursor = { at: Date; id: number }
/** For a list sorted on a timestamp that may be null: such a row's cursor is `none_id`. */
export type NullableCursor = { at: Date | null; id: number }
export const encodeCursor = (c: NullableCursor) => `${c.at ? c.at.getTime() : 'none'}_${c.id}`
/** The last millisecond of 9999: later dates print as "+010000-…", which PostgreSQL refuses (a 500). */
export const MAX_CURSOR_MS = 253_402_300_799_999
export function decodeNullableCursor(value: string | null | undefined): NullableCursor | null {
  const match = value?.match(/^(\d{1,15}|none)_(\d{1,10})$/)
  if (!match || Number(match[2]) > MAX_ID || (match[1] !== 'none' && Number(match[1]) > MAX_CURSOR_MS)) return null
  return { at: match[1] === 'none' ? null : new Date(Number(match[1])), id: Number(match[2]) }
}
export function decodeCursor(value: string | null | undefined): Cursor | null {
  const cursor = decodeNullableCursor(value)
  return cursor?.at ? { at: cursor.at, id: cursor.id } : null
}
