/**
 * The keyset cursor every list pages with: the last row's timestamp and id, as `ms_id` in the URL.
 * Anything else a visitor types decodes to null (the first page).
 */
export type Cursor = { at: Date; id: number }
export const encodeCursor = (c: Cursor) => `${c.at.getTime()}_${c.id}`
export function decodeCursor(value: string | null | undefined): Cursor | null {
  const match = value?.match(/^(\d{1,15})_(\d{1,10})$/)
  return match ? { at: new Date(Number(match[1])), id: Number(match[2]) } : null
}
