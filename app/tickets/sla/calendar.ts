/**
 * The business calendar: when the support team works, and how much counted time lies between two
 * instants. Pure, like the engine that uses it: no I/O, no clock, no database.
 *
 * Business hours are wall-clock hours in the calendar's zone; time zones and DST are left to luxon.
 */
import { DateTime, IANAZone } from 'luxon'

export interface BusinessCalendar {
  /** IANA, e.g. 'America/Los_Angeles' */
  timeZone: string
  /** ISO weekdays the team works, 1 = Monday … 7 = Sunday */
  weekdays: number[]
  /** 'HH:MM' local */
  opensAt: string
  /** 'HH:MM' local, after opensAt ('24:00' means midnight at the end of the day) */
  closesAt: string
  /** 'YYYY-MM-DD' local dates that are closed all day */
  holidays: string[]
}

export const DEFAULT_BUSINESS_CALENDAR: BusinessCalendar = {
  timeZone: 'America/Los_Angeles',
  weekdays: [1, 2, 3, 4, 5],
  opensAt: '09:00',
  closesAt: '18:00',
  holidays: [],
}

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
/** How many days in a row without any opening we accept before giving up on a calendar. */
const MAX_CLOSED_DAYS = 3 * 366

export function isValidTimeZone(zone: string): boolean {
  return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone)
}

// ---------------------------------------------------------------------------------------------
// Open windows, one per local day at most

interface LocalTime {
  hour: number
  minute: number
}

export interface CompiledCalendar {
  zone: string
  weekdays: Set<number>
  holidays: Set<string>
  opens: LocalTime
  closes: LocalTime
  /** Open window per local day (key: UTC midnight of that date), null for closed days. */
  cache: Map<number, [number, number] | null>
}

function parseLocalTime(value: string, field: string): LocalTime {
  const match = /^(\d{2}):(\d{2})$/.exec(value)
  const hour = match ? Number(match[1]) : NaN
  const minute = match ? Number(match[2]) : NaN
  if (!match || minute > 59 || hour > 24 || (hour === 24 && minute !== 0)) {
    throw new Error(`Business calendar: ${field} must be 'HH:MM' (00:00–24:00), got '${value}'`)
  }
  return { hour, minute }
}

/**
 * Compiled calendars are memoised by content, so repeated calls (a sweep over many tickets) share
 * the per-day windows instead of asking luxon again. Purely a cache: results never depend on it.
 */
const compiledCalendars = new Map<string, CompiledCalendar>()
const MAX_COMPILED_CALENDARS = 32
const MAX_CACHED_DAYS = 20_000

export function compileCalendar(calendar: BusinessCalendar): CompiledCalendar {
  const key = JSON.stringify([calendar.timeZone, calendar.weekdays, calendar.opensAt, calendar.closesAt, calendar.holidays])
  const known = compiledCalendars.get(key)
  if (known) {
    if (known.cache.size > MAX_CACHED_DAYS) known.cache.clear()
    return known
  }
  const compiled = buildCalendar(calendar)
  if (compiledCalendars.size >= MAX_COMPILED_CALENDARS) compiledCalendars.clear()
  compiledCalendars.set(key, compiled)
  return compiled
}

function buildCalendar(calendar: BusinessCalendar): CompiledCalendar {
  if (!isValidTimeZone(calendar.timeZone)) {
    throw new Error(`Business calendar: '${calendar.timeZone}' is not a valid IANA time zone`)
  }
  const opens = parseLocalTime(calendar.opensAt, 'opensAt')
  const closes = parseLocalTime(calendar.closesAt, 'closesAt')
  if (closes.hour * 60 + closes.minute <= opens.hour * 60 + opens.minute) {
    throw new Error(`Business calendar: closesAt (${calendar.closesAt}) must be after opensAt (${calendar.opensAt})`)
  }
  for (const day of calendar.weekdays) {
    if (!Number.isInteger(day) || day < 1 || day > 7) {
      throw new Error(`Business calendar: weekdays are ISO weekdays 1 (Monday) to 7 (Sunday), got ${day}`)
    }
  }
  return {
    zone: calendar.timeZone,
    weekdays: new Set(calendar.weekdays),
    holidays: new Set(calendar.holidays),
    opens,
    closes,
    cache: new Map(),
  }
}

/** UTC midnight of the local date (in the calendar's zone) that contains `ms`. */
function localDayKey(cal: CompiledCalendar, ms: number): number {
  const local = DateTime.fromMillis(ms, { zone: cal.zone })
  return Date.UTC(local.year, local.month - 1, local.day)
}

/** The instant of a local wall-clock time on a local date; luxon resolves DST gaps and overlaps. */
function localInstant(cal: CompiledCalendar, dayKey: number, time: LocalTime): number {
  const date = new Date(dayKey + (time.hour === 24 ? DAY_MS : 0))
  return DateTime.fromObject(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: time.hour === 24 ? 0 : time.hour,
      minute: time.minute,
    },
    { zone: cal.zone },
  ).toMillis()
}

/** The open window [start, end) of one local day, or null when the team does not work then. */
function dayWindow(cal: CompiledCalendar, dayKey: number): [number, number] | null {
  const cached = cal.cache.get(dayKey)
  if (cached !== undefined) return cached
  const date = new Date(dayKey)
  const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay()
  const isoDate = date.toISOString().slice(0, 10)
  let window: [number, number] | null = null
  if (cal.weekdays.has(isoWeekday) && !cal.holidays.has(isoDate)) {
    const start = localInstant(cal, dayKey, cal.opens)
    const end = localInstant(cal, dayKey, cal.closes)
    if (end > start) window = [start, end]
  }
  cal.cache.set(dayKey, window)
  return window
}

/** Counted milliseconds in [from, to); negative when `to` is before `from`. */
export function countedMs(cal: CompiledCalendar, businessHours: boolean, from: number, to: number): number {
  if (to < from) return -countedMs(cal, businessHours, to, from)
  if (!businessHours || to === from) return to - from
  if (to === Infinity) throw new Error('SLA engine: cannot count business time up to infinity')
  let total = 0
  const lastDay = localDayKey(cal, to)
  for (let day = localDayKey(cal, from); day <= lastDay; day += DAY_MS) {
    const window = dayWindow(cal, day)
    if (!window) continue
    const start = Math.max(window[0], from)
    const end = Math.min(window[1], to)
    if (end > start) total += end - start
  }
  return total
}

/** The earliest instant at which `ms` counted milliseconds have passed since `from`. */
export function addMs(cal: CompiledCalendar, businessHours: boolean, from: number, ms: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`SLA engine: cannot add ${ms} ms of counted time`)
  if (ms === 0) return from
  if (!businessHours) return from + ms
  let remaining = ms
  let closedDays = 0
  for (let day = localDayKey(cal, from); ; day += DAY_MS) {
    const window = dayWindow(cal, day)
    if (!window || window[1] <= from) {
      if (!window && ++closedDays > MAX_CLOSED_DAYS) {
        throw new Error(
          `Business calendar (${cal.zone}) has no opening hours within 3 years after ` +
            `${new Date(day - (closedDays - 1) * DAY_MS).toISOString().slice(0, 10)}: check its weekdays and holidays`,
        )
      }
      continue
    }
    closedDays = 0
    const start = Math.max(window[0], from)
    const available = window[1] - start
    if (available >= remaining) return start + remaining
    remaining -= available
  }
}

export function addCountedMinutes(calendar: BusinessCalendar, businessHours: boolean, from: Date, minutes: number): Date {
  const cal = compileCalendar(calendar)
  return new Date(addMs(cal, businessHours, from.getTime(), Math.round(minutes * MINUTE_MS)))
}

/** Counted minutes between two instants; negative when `to` is before `from`. */
export function countedMinutesBetween(calendar: BusinessCalendar, businessHours: boolean, from: Date, to: Date): number {
  const cal = compileCalendar(calendar)
  return countedMs(cal, businessHours, from.getTime(), to.getTime()) / MINUTE_MS
}

/**
 * The first instant at or after `at` when the team works: `at` itself while open (live chat asks
 * "is support open now, and if not, when?").
 */
export function nextOpening(calendar: BusinessCalendar, at: Date): Date {
  const cal = compileCalendar(calendar)
  // One counted millisecond after `at` ends one millisecond after the opening.
  return new Date(addMs(cal, true, at.getTime(), 1) - 1)
}
