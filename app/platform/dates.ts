// Formatting happens identically on the server and in the browser (fixed locale, the zone the root
// loader chose), so hydration never sees a different string. The zone's offset is computed here
// rather than asked of Intl (`timeZoneName`), whose wording differs between ICU versions.
export const UTC = 'UTC'
/** The cookie the browser's zone travels in (set by the root route, read by the server). */
export const TIME_ZONE_COOKIE = 'tz'

type Formats = { dateTime: Intl.DateTimeFormat; day: Intl.DateTimeFormat; weekdayTime: Intl.DateTimeFormat; wallClock: Intl.DateTimeFormat }
const formats = new Map<string, Formats>()
/** Intl formatters are costly to create: one set per zone, for the life of the process. */
function formatsFor(zone: string): Formats {
  let set = formats.get(zone)
  if (!set) {
    set = {
      dateTime: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }),
      day: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: zone }),
      weekdayTime: new Intl.DateTimeFormat('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }),
      wallClock: new Intl.DateTimeFormat('en-US', { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', timeZone: zone }),
    }
    formats.set(zone, set)
  }
  return set
}

/** "UTC", "UTC+1", "UTC−3:30": the zone's offset from UTC at that instant. */
export function utcOffsetLabel(date: Date, zone: string): string {
  if (zone === UTC) return 'UTC'
  const parts: Record<string, number> = {}
  for (const part of formatsFor(zone).wallClock.formatToParts(date)) if (part.type !== 'literal') parts[part.type] = Number(part.value)
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute)
  const minutes = Math.round((wall - Math.floor(date.getTime() / 60_000) * 60_000) / 60_000)
  if (minutes === 0) return 'UTC'
  const abs = Math.abs(minutes)
  return `UTC${minutes < 0 ? '−' : '+'}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`
}

/**
 * Texts Intl made once, by what they were made from: a page formats the same instants, ages and
 * opening times on every view. Forgotten all at once when full.
 */
const formatted = new Map<string, string>()
function remembered(key: string, format: () => string) {
  let text = formatted.get(key)
  if (text === undefined) {
    text = format()
    if (formatted.size >= 10_000) formatted.clear()
    formatted.set(key, text)
  }
  return text
}
const isoOf = (value: string | Date) => (typeof value === 'string' ? value : value.toISOString())

/** "2 Dec 2025, 17:36 UTC", or "2 Dec 2025, 18:36 UTC+1" in Europe/Berlin. */
export function formatDateTime(value: string | Date, zone: string = UTC) {
  return remembered(`${zone} ${isoOf(value)}`, () => {
    const date = new Date(value)
    return `${formatsFor(zone).dateTime.format(date)} ${utcOffsetLabel(date, zone)}`
  })
}
export const formatDay = (value: string | Date, zone: string = UTC) => formatsFor(zone).day.format(new Date(value))
/** "Mon 09:00": a time within the coming week, short enough for a header link (the chat's opening time, on every page). */
export const formatWeekdayTime = (value: string | Date, zone: string = UTC) =>
  remembered(`weekday ${zone} ${isoOf(value)}`, () => formatsFor(zone).weekdayTime.format(new Date(value)).replace(',', ''))

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
const AGE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
]
/** "3 hours ago", relative to `now` passed from the loader so server and browser agree. */
export function formatAge(value: string | Date, now: string | Date) {
  const seconds = Math.round((timeOf(value) - nowTime(now)) / 1000)
  for (const [unit, size] of AGE_UNITS) {
    if (Math.abs(seconds) < size) continue
    const amount = Math.round(seconds / size)
    return remembered(`age ${amount} ${unit}`, () => relative.format(amount, unit))
  }
  return 'just now'
}
const timeOf = (value: string | Date) => (typeof value === 'string' ? new Date(value).getTime() : value.getTime())
/** A page's posts are all dated against its one `now`: its text is read once, not once per post. */
let lastNow: string | null = null
let lastNowTime = 0
function nowTime(now: string | Date) {
  if (typeof now !== 'string') return now.getTime()
  if (now !== lastNow) {
    lastNowTime = timeOf(now)
    lastNow = now
  }
  return lastNowTime
}
