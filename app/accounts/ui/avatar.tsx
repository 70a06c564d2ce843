/**
 * A member's picture: the uploaded one, or the one generated from their name (initials on a colour
 * from the name, app/routes/avatars.generated.$username.ts). Decorative beside the name it
 * accompanies: no alt text. An image, not inline SVG, so a page of posts carries no drawing code.
 */
export function Avatar({ username, avatarPath, size = 32 }: { username: string; avatarPath?: string | null; size?: number }) {
  const src = avatarPath ? `/avatars/${avatarPath}` : `/avatars/generated/${encodeURIComponent(username)}`
  return <img className="avatar" src={src} alt="" width={size} height={size} loading="lazy" />
}
