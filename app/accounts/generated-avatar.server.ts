import { DELETED_MEMBER_NAME, USERNAME_PATTERN } from '~/accounts/rules'

/** "ada_lovelace" → "AL", "sam-k" → "SK", "bob" → "B": what a generated avatar shows. */
export function initialsOf(name: string): string {
  const words = name.split(/[\s._-]+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words
  return letters.map((w) => [...w][0] ?? '').join('').toUpperCase() || '?'
}

/**
 * A hue from the name (FNV-1a), so one member has one colour everywhere, with nothing stored.
 * Saturation and lightness are fixed so that white initials read on every hue.
 */
export function hueOf(name: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193)
  return (hash >>> 0) % 360
}

/**
 * The avatar of a member who uploaded none: their initials on a colour from their username, as an
 * SVG document. Null for a name no account can have, so nothing else is ever drawn. Case-insensitive
 * (usernames are), so "Alice" and "alice" get the same picture.
 */
export function generatedAvatarSvg(username: string): string | null {
  const deleted = username === DELETED_MEMBER_NAME
  if (!deleted && !USERNAME_PATTERN.test(username)) return null
  const fill = deleted ? '#8a8f99' : `hsl(${hueOf(username.toLowerCase())} 45% 38%)`
  // Usernames are letters, digits, _ and -: the initials need no escaping.
  const text = deleted ? '?' : initialsOf(username)
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40"><circle cx="20" cy="20" r="20" fill="${fill}"/><text x="20" y="20" dy=".35em" text-anchor="middle" font-size="16" font-weight="600" fill="#fff" font-family="system-ui, sans-serif">${text}</text></svg>`
}
