/**
 * Shared by the engine and calendar tests: times written as local wall-clock strings and
 * converted with luxon, and the calendars the tables use besides the default.
 */
import { DateTime } from 'luxon'
import { DEFAULT_BUSINESS_CALENDAR, type BusinessCalendar } from './calendar'

export const LA = 'America/Los_Angeles'
export const BERLIN = 'Europe/Berlin'

function at(zone: string, local: string): Date {
  const format = local.length > 16 ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm'
  const value = DateTime.fromFormat(local, format, { zone })
  if (!value.isValid) throw new Error(`bad test time '${local}' in ${zone}: ${value.invalidExplanation}`)
  return value.toJSDate()
}
/** A Los Angeles wall-clock time, e.g. la('2026-03-09 10:00'). */
export const la = (local: string) => at(LA, local)
export const berlin = (local: string) => at(BERLIN, local)
/** An exact UTC instant, for the DST cases where the offset is the point. */
export const utc = (iso: string) => new Date(iso)

export const BERLIN_CALENDAR: BusinessCalendar = {
  timeZone: BERLIN,
  weekdays: [1, 2, 3, 4, 5, 6],
  opensAt: '08:00',
  closesAt: '16:00',
  holidays: [],
}
export const THANKSGIVING_CALENDAR: BusinessCalendar = { ...DEFAULT_BUSINESS_CALENDAR, holidays: ['2026-11-26'] }
