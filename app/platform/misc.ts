import { json } from '@remix-run/node'

/** Throws a JSON response with the given status unless `condition` holds (404 by default). */
export function invariantResponse(condition: unknown, message: string, init: ResponseInit = { status: 404 }): asserts condition {
  if (!condition) throw json({ message }, init)
}

export const slugify = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)

export const questionPath = (q: { id: number; title: string }) => `/questions/${q.id}/${slugify(q.title)}`

/** Parses a positive integer route param; anything else is a 404, not a crash. */
export function requireId(value: string | undefined): number {
  const id = Number(value)
  invariantResponse(Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 && String(id) === value, 'Not found')
  return id
}

/** A query-string value if it is one of the allowed ones, else null (the filter's default). */
export const oneOf = <const T extends string>(value: string | null, allowed: readonly T[]) => (allowed.includes(value as T) ? (value as T) : null)
