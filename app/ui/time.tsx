import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { formatAge, formatDateTime, formatDay, TIME_ZONE_COOKIE, UTC } from '~/platform/dates'

/** The zone every time on the page is shown in (decision 026). */
const TimeZoneContext = createContext<string>(UTC)

export const useTimeZone = () => useContext(TimeZoneContext)

/** Formatters bound to the page's zone, for text that is not a <time> of its own (labels, sentences). */
export function useDates() {
  const zone = useTimeZone()
  return useMemo(() => ({ zone, dateTime: (value: string | Date) => formatDateTime(value, zone), day: (value: string | Date) => formatDay(value, zone) }), [zone])
}

/**
 * Times in the zone the server chose (the member's setting, else the `tz` cookie, else UTC), so
 * hydration matches. Unless the member chose a zone, the browser's own then takes over and is kept
 * in the cookie, so the next page comes from the server in it already.
 */
export function TimeZoneProvider({ serverZone, chosen, children }: { serverZone: string; chosen: boolean; children: ReactNode }) {
  const [zone, setZone] = useState(serverZone)
  useEffect(() => {
    if (chosen) return setZone(serverZone)
    let browserZone: string | undefined
    try {
      browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone
    } catch {
      return
    }
    if (!browserZone) return
    if (browserZone !== serverZone) document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(browserZone)}; Path=/; Max-Age=31536000; SameSite=Lax`
    setZone(browserZone)
  }, [serverZone, chosen])
  return <TimeZoneContext.Provider value={zone}>{children}</TimeZoneContext.Provider>
}

/** An absolute time, "2 Dec 2025, 18:36 UTC+1", or with `day` the date alone, "2 December 2025". */
export function DateTime({ value, day = false }: { value: string | Date; day?: boolean }) {
  const zone = useTimeZone()
  return <time dateTime={typeof value === 'string' ? value : value.toISOString()}>{day ? formatDay(value, zone) : formatDateTime(value, zone)}</time>
}

/**
 * A relative time, "3 hours ago", with the absolute one as its title. `text` is that age already
 * worked out (formatAge), for a cached fragment whose props must not hold the page's `now`.
 */
export function Age({ value, now, text }: { value: string | Date; now: string | Date; text?: never } | { value: string | Date; now?: never; text: string }) {
  const zone = useTimeZone()
  return (
    <time dateTime={typeof value === 'string' ? value : value.toISOString()} title={formatDateTime(value, zone)}>
      {text ?? formatAge(value, now!)}
    </time>
  )
}

/** Times below in `zone`: for a fragment that must depend on its props alone (~/platform/fragment-cache). */
export const InZone = ({ zone, children }: { zone: string; children: ReactNode }) => <TimeZoneContext.Provider value={zone}>{children}</TimeZoneContext.Provider>
