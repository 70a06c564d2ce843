import { expect, test } from 'vitest'
import { replacementDelay } from './supervision.server'

test('the crash-loop guard replaces the first three crashes of a minute at once, then waits twice as long each time, up to 30 s', () => {
  expect([1, 2, 3].map(replacementDelay)).toEqual([0, 0, 0])
  expect([4, 5, 6, 7, 8, 9].map(replacementDelay)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000])
  expect(replacementDelay(50)).toBe(30_000)
})
