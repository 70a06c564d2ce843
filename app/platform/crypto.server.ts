import { timingSafeEqual } from 'node:crypto'

/** Compares a secret someone gave with the real one in constant time, so timing reveals nothing of it. */
export function secretsMatch(given: string, expected: string) {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
