import { describe, expect, test } from 'vitest'
import { groupByThread } from './grouping'

const n = (id: number, about: { questionId?: number; ticketNumber?: number } = {}) => ({
  id,
  questionId: about.questionId ?? null,
  questionTitle: about.questionId ? `Question ${about.questionId}` : null,
  ticketNumber: about.ticketNumber ?? null,
  ticketSubject: about.ticketNumber ? `Ticket ${about.ticketNumber}` : null,
})

describe('groupByThread', () => {
  test('one group per thread or ticket, ordered by its newest notification; others stand alone', () => {
    const groups = groupByThread([n(9, { questionId: 1 }), n(8, { ticketNumber: 1001 }), n(7), n(6, { questionId: 2 }), n(5, { questionId: 1 }), n(4)])
    expect(groups.map((g) => [g.title, g.href, g.notifications.map((x) => x.id)])).toEqual([
      ['Question 1', '/questions/1', [9, 5]],
      ['Request #1001: Ticket 1001', '/tickets/1001', [8]],
      [null, null, [7]],
      ['Question 2', '/questions/2', [6]],
      [null, null, [4]],
    ])
  })

  test('no notifications, no groups', () => {
    expect(groupByThread([])).toEqual([])
  })
})
