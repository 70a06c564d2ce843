// Formatting happens identically on the server and in the browser (fixed locale and zone), so
// hydration never sees a different string.
const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
const dayFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' })
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

const formatted = new Map<string, string>()
/** "2 Dec 2025, 17:36 UTC"; remembered per timestamp (a thread formats the same ones on every view). */
export function formatDateTime(value: string | Date) {
  const key = typeof value === 'string' ? value : value.toISOString()
  let text = formatted.get(key)
  if (text === undefined) {
    text = `${dateFormat.format(new Date(value))} UTC`
    if (formatted.size >= 10_000) formatted.clear()
    formatted.set(key, text)
  }
  return text
}
export const formatDay = (value: string | Date) => dayFormat.format(new Date(value))

/** "3 hours ago", relative to `now` passed from the loader so server and browser agree. */
export function formatAge(value: string | Date, now: string | Date) {
  const seconds = Math.round((new Date(value).getTime() - new Date(now).getTime()) / 1000)
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ]
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit)
  return 'just now'
}
