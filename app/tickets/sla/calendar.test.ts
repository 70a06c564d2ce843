import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { addCountedMinutes, countedMinutesBetween, DEFAULT_BUSINESS_CALENDAR, isValidTimeZone, type BusinessCalendar } from './calendar'
import { computeSla, DEFAULT_SLA_POLICIES } from './engine'
import { BERLIN_CALENDAR, la, THANKSGIVING_CALENDAR } from './test-helpers'

// ---------------------------------------------------------------------------------------------
// Counting business time

/** Small seeded PRNG (mulberry32), so the "random" cases are the same on every run. */
function mulberry32(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('addCountedMinutes / countedMinutesBetween', () => {
  const calendars: BusinessCalendar[] = [DEFAULT_BUSINESS_CALENDAR, BERLIN_CALENDAR, THANKSGIVING_CALENDAR]
  const yearStart = Date.UTC(2026, 0, 1)
  const yearMs = 366 * 86_400_000

  it('round-trips on 300 seeded random pairs (counted time to the result equals the minutes added, and it is the earliest such instant)', () => {
    const random = mulberry32(20260309)
    const failures: string[] = []
    for (let i = 0; i < 300; i++) {
      const calendar = calendars[i % calendars.length]
      const businessHours = i % 4 !== 3
      const from = new Date(yearStart + Math.floor(random() * yearMs))
      // Whole and half minutes, up to about a business week and a half.
      const minutes = Math.floor(random() * 6000) / 2
      const to = addCountedMinutes(calendar, businessHours, from, minutes)
      const back = countedMinutesBetween(calendar, businessHours, from, to)
      if (back !== minutes) failures.push(`#${i} ${from.toISOString()} +${minutes} → ${to.toISOString()} counts ${back}`)
      if (to < from) failures.push(`#${i} went backwards`)
      if (minutes > 0 && countedMinutesBetween(calendar, businessHours, from, new Date(to.getTime() - 1)) >= minutes) {
        failures.push(`#${i} ${to.toISOString()} is not the earliest instant`)
      }
    }
    expect(failures).toEqual([])
  })

  it('counting is additive over seeded random triples and antisymmetric', () => {
    const random = mulberry32(42)
    const failures: string[] = []
    for (let i = 0; i < 100; i++) {
      const calendar = calendars[i % calendars.length]
      const [a, b, c] = [random(), random(), random()].map((x) => yearStart + Math.floor(x * yearMs)).sort((x, y) => x - y).map((ms) => new Date(ms))
      const ab = countedMinutesBetween(calendar, true, a, b)
      const bc = countedMinutesBetween(calendar, true, b, c)
      const ac = countedMinutesBetween(calendar, true, a, c)
      if (Math.abs(ab + bc - ac) > 1e-9) failures.push(`#${i} ${ab} + ${bc} ≠ ${ac}`)
      if (countedMinutesBetween(calendar, true, b, a) !== -ab) failures.push(`#${i} not antisymmetric`)
    }
    expect(failures).toEqual([])
  })

  it('adding zero minutes returns the same instant, in or out of hours', () => {
    const saturday = la('2026-03-14 11:00')
    const monday = la('2026-03-09 10:00')
    expect(addCountedMinutes(DEFAULT_BUSINESS_CALENDAR, true, saturday, 0).toISOString()).toBe(saturday.toISOString())
    expect(addCountedMinutes(DEFAULT_BUSINESS_CALENDAR, true, monday, 0).toISOString()).toBe(monday.toISOString())
    expect(addCountedMinutes(DEFAULT_BUSINESS_CALENDAR, false, saturday, 0).toISOString()).toBe(saturday.toISOString())
    expect(countedMinutesBetween(DEFAULT_BUSINESS_CALENDAR, true, saturday, saturday)).toBe(0)
  })

  it('handles known values across weekends and DST', () => {
    const cal = DEFAULT_BUSINESS_CALENDAR
    expect(addCountedMinutes(cal, true, la('2026-03-13 17:30'), 60).toISOString()).toBe(la('2026-03-16 09:30').toISOString())
    expect(addCountedMinutes(cal, true, la('2026-03-13 17:00'), 60).toISOString()).toBe(la('2026-03-13 18:00').toISOString())
    expect(countedMinutesBetween(cal, true, la('2026-03-13 17:00'), la('2026-03-16 10:00'))).toBe(120)
    expect(countedMinutesBetween(cal, true, la('2026-03-16 10:00'), la('2026-03-13 17:00'))).toBe(-120)
    // 24/7 counts real elapsed time: the spring-forward night is an hour short, the fall-back night an hour long.
    expect(countedMinutesBetween(cal, false, la('2026-03-08 00:00'), la('2026-03-08 04:00'))).toBe(180)
    expect(countedMinutesBetween(cal, false, la('2026-11-01 00:00'), la('2026-11-01 04:00'))).toBe(300)
    // Business hours are wall-clock hours: a working day is 9 hours on both sides of a DST change.
    expect(countedMinutesBetween(cal, true, la('2026-03-06 00:00'), la('2026-03-10 00:00'))).toBe(18 * 60)
    expect(addCountedMinutes(cal, true, la('2026-03-06 09:00'), 0.5).toISOString()).toBe(la('2026-03-06 09:00:30').toISOString())
  })

  it('jumps day by day: a year of business minutes is quick and exact', () => {
    const started = Date.now()
    const from = la('2026-01-05 09:00')
    const to = addCountedMinutes(DEFAULT_BUSINESS_CALENDAR, true, from, 260 * 540)
    expect(countedMinutesBetween(DEFAULT_BUSINESS_CALENDAR, true, from, to)).toBe(260 * 540)
    expect(to.getTime()).toBeGreaterThan(la('2026-12-31 00:00').getTime())
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('throws a clear Error for a calendar with no working weekdays, instead of looping forever', () => {
    const closed: BusinessCalendar = { ...DEFAULT_BUSINESS_CALENDAR, weekdays: [] }
    expect(() => addCountedMinutes(closed, true, la('2026-03-09 10:00'), 1)).toThrow(/no opening hours within 3 years/)
    // Counting needs no opening, and 24/7 targets ignore the calendar's days.
    expect(countedMinutesBetween(closed, true, la('2026-03-09 00:00'), la('2026-03-16 00:00'))).toBe(0)
    expect(addCountedMinutes(closed, false, la('2026-03-09 10:00'), 60).toISOString()).toBe(la('2026-03-09 11:00').toISOString())
    const base = { policies: DEFAULT_SLA_POLICIES, calendar: closed, startedAt: la('2026-03-09 10:00'), premium: false, events: [], now: la('2026-03-09 10:00') }
    expect(() => computeSla({ ...base, priority: 'medium' })).toThrow(/no opening hours/)
    expect(computeSla({ ...base, priority: 'critical' }).targets[1].dueAt!.toISOString()).toBe(la('2026-03-09 14:00').toISOString())
  })

  it('finds an opening after two years of holidays (the cap is on consecutive closed days, not on the budget)', () => {
    const holidays: string[] = []
    for (let day = DateTime.fromISO('2026-01-01'); day.year < 2028; day = day.plus({ days: 1 })) holidays.push(day.toISODate()!)
    const calendar: BusinessCalendar = { ...DEFAULT_BUSINESS_CALENDAR, holidays }
    expect(addCountedMinutes(calendar, true, la('2026-01-01 00:00'), 30).toISOString()).toBe(la('2028-01-03 09:30').toISOString())
  })

  it('rejects malformed calendars and negative durations with clear errors', () => {
    const from = la('2026-03-09 10:00')
    expect(() => addCountedMinutes({ ...DEFAULT_BUSINESS_CALENDAR, closesAt: '08:00' }, true, from, 1)).toThrow(/closesAt/)
    expect(() => addCountedMinutes({ ...DEFAULT_BUSINESS_CALENDAR, opensAt: '9am' }, true, from, 1)).toThrow(/opensAt/)
    expect(() => addCountedMinutes({ ...DEFAULT_BUSINESS_CALENDAR, weekdays: [0] }, true, from, 1)).toThrow(/weekdays/)
    expect(() => addCountedMinutes(DEFAULT_BUSINESS_CALENDAR, true, from, -5)).toThrow(/cannot add/)
  })

  it('isValidTimeZone accepts IANA zones only', () => {
    expect(isValidTimeZone('America/Los_Angeles')).toBe(true)
    expect(isValidTimeZone('Europe/Berlin')).toBe(true)
    expect(isValidTimeZone('UTC')).toBe(true)
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(isValidTimeZone('')).toBe(false)
  })
})
