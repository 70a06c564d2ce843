import { describe, expect, test } from 'vitest'
import { currentLink, navLinkState } from './routed-links'

// The header's links must mark the current section as NavLink did: screen readers announce
// aria-current="page", and the stylesheet bolds `.active`.
describe('navLinkState', () => {
  test('a link is current on its own address and below it, not on a sibling that shares a prefix', () => {
    expect(navLinkState('/questions', '/questions')).toEqual({ className: 'active', 'aria-current': 'page' })
    expect(navLinkState('/questions/12/why', '/questions')).toEqual({ className: 'active', 'aria-current': 'page' })
    expect(navLinkState('/questionsx', '/questions')).toEqual({ className: undefined, 'aria-current': undefined })
    expect(navLinkState('/search', '/questions')).toEqual({ className: undefined, 'aria-current': undefined })
  })

  test('`end` keeps a section link from being current on its sub-pages', () => {
    expect(navLinkState('/staff', '/staff', { end: true })['aria-current']).toBe('page')
    expect(navLinkState('/staff/sla', '/staff', { end: true })['aria-current']).toBeUndefined()
    expect(navLinkState('/staff/sla', '/staff/sla')['aria-current']).toBe('page')
  })

  test('addresses compare case-insensitively, and a given class is kept', () => {
    expect(navLinkState('/Notifications', '/notifications', { className: 'bell' })).toEqual({ className: 'bell active', 'aria-current': 'page' })
    expect(navLinkState('/', '/notifications', { className: 'bell' })).toEqual({ className: 'bell', 'aria-current': undefined })
  })
})

describe('currentLink', () => {
  const header = [{ to: '/questions' }, { to: '/questions/new' }, { to: '/tickets' }, { to: '/tickets/new' }, { to: '/staff', end: true }, { to: '/staff/sla' }]

  test('one link of a group is current: the longest that matches, so a page is never under two', () => {
    expect(currentLink('/questions/new', header)).toBe('/questions/new')
    expect(currentLink('/questions/12/why', header)).toBe('/questions')
    expect(currentLink('/tickets/new', header)).toBe('/tickets/new')
    expect(currentLink('/tickets/1001', header)).toBe('/tickets')
    expect(currentLink('/staff/sla', header)).toBe('/staff/sla')
    expect(currentLink('/help', header)).toBeNull()
  })
})
