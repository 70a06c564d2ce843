import { THEMES, type Theme } from '#db/enums'

// The colour scheme: a member's choice is a column on their row (read with the session, so no
// query); a visitor's is this cookie. 'system' follows prefers-color-scheme in the stylesheet.
export { THEMES, type Theme }
export const THEME_COOKIE = 'parley_theme'
export const THEME_LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' }

export const isTheme = (value: unknown): value is Theme => typeof value === 'string' && (THEMES as readonly string[]).includes(value)

/** The visitor's theme from a Cookie header; anything unknown is 'system'. */
export function themeFromCookie(cookieHeader: string | null | undefined): Theme {
  const match = cookieHeader?.match(new RegExp(`(?:^|;\\s*)${THEME_COOKIE}=([a-z]+)`))
  return isTheme(match?.[1]) ? match[1] : 'system'
}

/** Set-Cookie for a visitor's choice; 'system' clears it. A year: it is a preference, not a secret. */
export function themeCookie(theme: Theme, { secure }: { secure: boolean }) {
  const attributes = `Path=/; SameSite=Lax${secure ? '; Secure' : ''}`
  return theme === 'system' ? `${THEME_COOKIE}=; Max-Age=0; ${attributes}` : `${THEME_COOKIE}=${theme}; Max-Age=31536000; ${attributes}`
}
