import { json } from '@remix-run/node'

/** Throws a JSON response with the given status unless `condition` holds (404 by default). */
export function invariantResponse(condition: unknown, message: string, init: ResponseInit = { status: 404 }): asserts condition {
  if (!condition) throw json({ message }, init)
}

export function slugify(text: string) {
  let slug = slugs.get(text)
  if (slug === undefined) {
    slug = text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
    if (slugs.size >= 2000) slugs.clear()
    slugs.set(text, slug)
  }
  return slug
}
/** A thread page asks for its title's slug half a dozen times (links, canonical, meta); Unicode normalisation is not cheap. */
const slugs = new Map<string, string>()

/** A thread's slug: its title in URL form, or `question` for a title with no letters a–z or digits. */
export const questionSlug = (title: string) => slugify(title) || 'question'
/** A thread's one address (decision 026): any other slug, or none, is answered with a 301 to it. */
export const questionPath = (q: { id: number; title: string }) => `/questions/${q.id}/${questionSlug(q.title)}`
/** Page `page` of a thread's answers: page 1 is the thread's own address, later ones `…/page/N`. */
export const threadPagePath = (q: { id: number; title: string }, page: number) => (page > 1 ? `${questionPath(q)}/page/${page}` : questionPath(q))
/** An answer's permanent address: it redirects to the page of the thread the answer is on now. */
export const answerPath = (answerId: number) => `/answers/${answerId}`

/** The largest id an `integer` column holds: a larger one makes PostgreSQL fail the whole query. */
export const MAX_ID = 2_147_483_647

/** A positive integer id written plainly (not `1e5`, `0x10`, `1.5`, `-1`) that the database can hold, else null. */
export function idOrNull(value: string | null | undefined): number | null {
  const id = Number(value)
  return Number.isSafeInteger(id) && id > 0 && id <= MAX_ID && String(id) === value ? id : null
}

/** Parses a positive integer route param; anything else is a 404, not a crash. */
export function requireId(value: string | undefined): number {
  const id = idOrNull(value)
  invariantResponse(id, 'Not found')
  return id
}

/** A query-string value if it is one of the allowed ones, else null (the filter's default). */
export const oneOf = <const T extends string>(value: string | null, allowed: readonly T[]) => (allowed.includes(value as T) ? (value as T) : null)
