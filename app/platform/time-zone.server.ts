import { TIME_ZONE_COOKIE, UTC } from './dates'

const known = new Map<string, string | null>()
let listed: Map<string, string> | null = null

/**
 * The IANA name of a time zone Intl knows, or null: as listed by Intl when it is listed in another
 * case ("europe/berlin" → "Europe/Berlin"), else as given. Not Intl's own canonical form, which
 * turns the browser's "Asia/Kolkata" into "Asia/Calcutta". Remembered, since every request with a
 * `tz` cookie asks.
 */
export function canonicalTimeZone(name: string | null | undefined): string | null {
  if (!name || name.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(name)) return null
  let zone = known.get(name)
  if (zone === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name })
      listed ??= new Map(selectableTimeZones().map((z) => [z.toLowerCase(), z]))
      zone = listed.get(name.toLowerCase()) ?? name
    } catch {
      zone = null
    }
    if (known.size > 1_000) known.clear()
    known.set(name, zone)
  }
  return zone
}

/** Every zone a member may choose in their settings, UTC first. */
let selectable: string[] | null = null
export function selectableTimeZones(): string[] {
  selectable ??= [UTC, ...Intl.supportedValuesOf('timeZone').filter((z) => z !== UTC)]
  return selectable
}

/** The zone the browser reported in the `tz` cookie (set by the root route's script), if valid. */
export function timeZoneFromCookie(cookieHeader: string | null | undefined): string | null {
  const match = cookieHeader?.match(new RegExp(`(?:^|;\\s*)${TIME_ZONE_COOKIE}=([^;]*)`))
  if (!match) return null
  try {
    return canonicalTimeZone(decodeURIComponent(match[1]))
  } catch {
    return null
  }
}

/**
 * The zone times are shown in: the member's setting, else the browser's (from the cookie), else
 * UTC (a first visit without JavaScript).
 */
export function viewerTimeZone(request: Request, user: { timeZone: string | null } | null): { timeZone: string; chosen: boolean } {
  const chosen = canonicalTimeZone(user?.timeZone)
  if (chosen) return { timeZone: chosen, chosen: true }
  return { timeZone: timeZoneFromCookie(request.headers.get('cookie')) ?? UTC, chosen: false }
}
