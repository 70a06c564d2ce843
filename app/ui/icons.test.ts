import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ICON_NAMES } from './icon-names'

const sprite = readFileSync(new URL('./icons.svg', import.meta.url), 'utf8')
const symbolIds = [...sprite.matchAll(/<symbol id="([^"]+)"/g)].map((m) => m[1])

describe('the icon sprite', () => {
  it('has a symbol for every icon name the code may ask for, and no other', () => {
    expect([...symbolIds].sort()).toEqual([...ICON_NAMES].sort())
  })

  it('draws every symbol in currentColor on the 24×24 grid, so icons follow the theme', () => {
    for (const symbol of sprite.match(/<symbol [^>]*>/g) ?? []) {
      expect(symbol).toContain('viewBox="0 0 24 24"')
      expect(symbol).toContain('stroke="currentColor"')
      expect(symbol).toContain('fill="none"')
    }
  })
})
