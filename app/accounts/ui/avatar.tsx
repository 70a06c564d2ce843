import { DELETED_MEMBER_NAME } from '~/accounts/rules'

/** Where an uploaded avatar is served (app/routes/avatars.$file.ts). */
export const avatarSrc = (fileName: string) => `/avatars/${fileName}`

/** "Ada Lovelace" → "AL", "sam_k" → "SK", "bob" → "B": what a generated avatar shows. */
export function initialsOf(name: string): string {
  const words = name.split(/[\s._-]+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words
  return letters.map((w) => [...w][0] ?? '').join('').toUpperCase() || '?'
}

/**
 * A hue from the name (FNV-1a), so one member has one colour everywhere, on every page and after
 * every reload, with nothing stored. Saturation and lightness are fixed so white initials read on
 * every hue.
 */
export function hueOf(name: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193)
  return (hash >>> 0) % 360
}

/**
 * A member's picture: the uploaded one, or a generated one (initials on a colour from the name)
 * drawn inline, so it costs no request. Decorative beside the name it accompanies: no alt text.
 */
export function Avatar({ username, displayName, avatarPath, size = 32 }: { username: string; displayName?: string | null; avatarPath: string | null; size?: number }) {
  if (avatarPath) return <img className="avatar" src={avatarSrc(avatarPath)} alt="" width={size} height={size} loading="lazy" />
  const deleted = username === DELETED_MEMBER_NAME
  return (
    <svg className="avatar avatar-generated" viewBox="0 0 40 40" width={size} height={size} aria-hidden="true" focusable="false">
      <circle cx="20" cy="20" r="20" fill={deleted ? '#8a8f99' : `hsl(${hueOf(username.toLowerCase())} 45% 38%)`} />
      <text x="20" y="20" dy=".35em" textAnchor="middle" fontSize={16} fontWeight={600} fill="#fff" fontFamily="system-ui, sans-serif">
        {deleted ? '?' : initialsOf(displayName || username)}
      </text>
    </svg>
  )
}
