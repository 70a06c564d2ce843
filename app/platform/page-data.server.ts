import { json, type TypedResponse } from '@remix-run/node'

/** What loader data can hold and still be the same in the browser: JSON's values, nothing JSON would change. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined }

const DOCUMENT_REQUEST = Symbol.for('parley.documentRequest')
const PLAIN_LOADER_DATA = Symbol.for('parley.plainLoaderData')

/**
 * A page's loader data (decision 037). Remix sends loader data through JSON text even to the render
 * of a document on the same server: the loader's `json()` writes it out and the router reads it back
 * before the page renders, then Remix writes it once more into the page. For a document request
 * (marked by our patch to @remix-run/server-runtime) this hands the object to the render as it is;
 * data requests, and loaders called any other way, get `json()` as before. So the object must
 * already be what JSON would make of it: the type allows JSON values only, and outside production
 * every call checks it (a Date, an `undefined` in an array or a NaN would render differently on the
 * server than after hydration).
 */
export function pageData<T extends { [key: string]: JsonValue | undefined }>(request: Request, data: T): TypedResponse<T> {
  if (process.env.NODE_ENV !== 'production') assertJsonValues(data, 'loader data')
  if ((request as unknown as Record<symbol, unknown>)[DOCUMENT_REQUEST] !== true) return json(data)
  Object.defineProperty(data, PLAIN_LOADER_DATA, { value: true })
  return data as unknown as TypedResponse<T>
}

/** A row with its dates as ISO text, as JSON would give them to the browser. */
export type WithIsoDates<T> = { [K in keyof T]: Date extends T[K] ? Exclude<T[K], Date> | string : T[K] }

/**
 * A row from a query with its `Date` columns turned into ISO text (the others as they are), for
 * pageData. `omitted` leaves one column out of the same copy (a post's body, which goes under
 * htmlOnce): `({ bodyHtml, ...rest }) => isoDates(rest)` copied every answer twice, the first time
 * through V8's slow path for object rest (2 % of a signed-in thread view).
 */
export function isoDates<T extends object>(row: T): WithIsoDates<T>
export function isoDates<T extends object, K extends keyof T & string>(row: T, omitted: K): WithIsoDates<Omit<T, K>>
export function isoDates(row: object, omitted?: string) {
  const out: Record<string, unknown> = {}
  for (const key in row) {
    if (key === omitted) continue
    const value: unknown = (row as Record<string, unknown>)[key]
    out[key] = value instanceof Date ? value.toISOString() : value
  }
  return out
}

function assertJsonValues(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}, which JSON turns into null`)
    return
  }
  if (Array.isArray(value)) return value.forEach((item, i) => (item === undefined ? fail(`${path}[${i}]`) : assertJsonValues(item, `${path}[${i}]`)))
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) if (item !== undefined) assertJsonValues(item, `${path}.${key}`)
    return
  }
  throw new Error(`${path} is a ${value?.constructor?.name ?? typeof value}, not a JSON value: convert it in the loader (dates with toISOString())`)
}

const fail = (path: string) => {
  throw new Error(`${path} is undefined, which JSON turns into null`)
}
