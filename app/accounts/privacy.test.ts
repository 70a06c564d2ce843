import { describe, expect, test } from 'vitest'
import { mayContact } from './privacy'

describe('mayContact', () => {
  test.each([
    ['everyone', 'member', true],
    ['everyone', 'moderator', true],
    ['staff', 'member', false],
    ['staff', 'moderator', true],
    ['staff', 'agent', true],
    ['staff', 'admin', true],
    ['nobody', 'member', false],
    ['nobody', 'moderator', false],
    ['nobody', 'admin', false],
  ] as const)('%s lets a %s through: %s', (policy, senderRole, expected) => {
    expect(mayContact({ policy, senderRole })).toBe(expected)
  })
})
