import { describe, expect, test } from 'vitest'
import { formatAge, formatDateTime, formatDay, formatWeekdayTime, utcOffsetLabel } from './dates'

describe('times in a zone', () => {
  test('the same instant reads differently per zone, each with its offset from UTC', () => {
    const at = '2025-12-02T17:36:40.123Z'
    expect(formatDateTime(at)).toBe('2 Dec 2025, 17:36 UTC')
    expect(formatDateTime(at, 'Europe/Berlin')).toBe('2 Dec 2025, 18:36 UTC+1')
    expect(formatDateTime(at, 'Asia/Kolkata')).toBe('2 Dec 2025, 23:06 UTC+5:30')
    expect(formatDateTime(at, 'America/St_Johns')).toBe('2 Dec 2025, 14:06 UTC−3:30')
    expect(formatDateTime(new Date(at), 'Pacific/Chatham')).toBe('3 Dec 2025, 07:21 UTC+13:45')
  })

  test('daylight saving time changes the offset, and the date can change with the zone', () => {
    expect(formatDateTime('2025-07-02T23:59:59Z', 'Europe/Berlin')).toBe('3 Jul 2025, 01:59 UTC+2')
    expect(formatDateTime('2025-07-02T23:59:59Z', 'America/New_York')).toBe('2 Jul 2025, 19:59 UTC−4')
    expect(formatDay('2025-07-02T23:59:59Z', 'Europe/Berlin')).toBe('3 July 2025')
    expect(formatDay('2025-07-02T23:59:59Z')).toBe('2 July 2025')
    expect(utcOffsetLabel(new Date('2025-01-15T12:00:00Z'), 'Europe/London')).toBe('UTC')
  })

  test('a remembered text is never served for another zone', () => {
    const at = '2025-03-01T10:00:00.000Z'
    expect(formatDateTime(at, 'Asia/Tokyo')).toBe('1 Mar 2025, 19:00 UTC+9')
    expect(formatDateTime(at, 'UTC')).toBe('1 Mar 2025, 10:00 UTC')
    expect(formatDateTime(at, 'Asia/Tokyo')).toBe('1 Mar 2025, 19:00 UTC+9')
  })

  test('relative ages do not depend on the zone', () => {
    expect(formatAge('2025-03-01T07:00:00Z', '2025-03-01T10:00:00Z')).toBe('3 hours ago')
    expect(formatAge('2025-03-01T09:59:30Z', '2025-03-01T10:00:00Z')).toBe('just now')
    // Each call is dated against its own now, whichever came before.
    expect(formatAge('2025-03-01T07:00:00Z', '2025-03-01T12:00:00Z')).toBe('5 hours ago')
    expect(formatAge('2025-03-01T07:00:00Z', new Date('2025-03-01T08:00:00Z'))).toBe('1 hour ago')
    expect(formatAge('2025-03-01T07:00:00Z', '2025-03-01T10:00:00Z')).toBe('3 hours ago')
  })

  test('remembered ages and weekday times are each the text of their own amount, unit and zone', () => {
    expect(formatAge('2025-03-01T07:00:00Z', '2025-03-01T10:00:00Z')).toBe('3 hours ago')
    expect(formatAge('2025-03-01T13:00:00Z', '2025-03-01T10:00:00Z')).toBe('in 3 hours')
    expect(formatAge('2025-02-28T10:00:00Z', '2025-03-01T10:00:00Z')).toBe('yesterday')
    expect(formatAge('2025-02-27T10:00:00Z', '2025-03-01T10:00:00Z')).toBe('2 days ago')
    expect(formatAge('2025-03-01T07:00:00Z', '2025-03-01T10:00:00Z')).toBe('3 hours ago')
    const opens = '2025-03-03T08:00:00.000Z'
    expect(formatWeekdayTime(opens, 'UTC')).toBe('Mon 08:00')
    expect(formatWeekdayTime(opens, 'America/New_York')).toBe('Mon 03:00')
    expect(formatWeekdayTime(new Date(opens), 'UTC')).toBe('Mon 08:00')
    // The weekday-time text is kept apart from formatDateTime's texts of the same instant.
    expect(formatDateTime(opens, 'UTC')).toBe('3 Mar 2025, 08:00 UTC')
    expect(formatWeekdayTime(opens, 'UTC')).toBe('Mon 08:00')
  })
})
