import { censorPost } from '~/moderation/watched-words.server'
import { flagPost } from '~/moderation/queued-post.server'
import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { users, type MessagePolicy } from '#db/schema/index'
import type { Theme } from '#db/enums'
import { deleteAvatarFile, writeAvatarFile, type ImageType } from '~/accounts/avatar.server'
import { logger } from '~/platform/logger.server'
import { renderMarkdown } from '~/platform/markdown.server'

/** What /settings shows the member about their own profile and privacy. */
export async function getProfileSettings({ userId }: { userId: number }) {
  const [row] = await db
    .select({
      displayName: users.displayName,
      bioSource: users.bioSource,
      avatarPath: users.avatarPath,
      hideActivity: users.hideActivity,
      messagePolicy: users.messagePolicy,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1)
  return row ?? null
}

/** The display name and bio as the member last saved them, for the watched-word gate. */
export async function profileTexts(userId: number) {
  const [row] = await db.select({ displayName: users.displayName, bio: users.bioSource }).from(users).where(eq(users.id, userId))
  return row ?? { displayName: null, bio: '' }
}

/**
 * Saves the display name and bio. The bio is rendered once, here, so every profile view shows
 * stored, sanitized HTML; `flags` (watched words the change added, from gateProfile) open a
 * queue item on the profile in the same transaction.
 */
export async function updateProfile({ userId, displayName, bioSource, flags = [] }: { userId: number; displayName: string | null; bioSource: string; flags?: string[] }) {
  // Censored watched words are masked as the bio is rendered and the name stored (decision 031).
  const censored = await censorPost(db, { html: bioSource.trim() ? renderMarkdown(bioSource) : '', title: displayName ?? '' })
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ displayName: censored.title || null, bioSource, bioHtml: censored.html })
      .where(eq(users.id, userId))
      .returning({ id: users.id })
    if (row) await flagPost(tx, { kind: 'user', id: userId, authorId: userId, flags })
    return row ?? null
  })
}

/** The member's colour scheme; read back with their session on every page. */
export async function updateTheme({ userId, theme }: { userId: number; theme: Theme }) {
  const [row] = await db.update(users).set({ theme }).where(eq(users.id, userId)).returning({ id: users.id })
  return row ?? null
}

export async function updatePrivacy({ userId, hideActivity, messagePolicy }: { userId: number; hideActivity: boolean; messagePolicy: MessagePolicy }) {
  const [row] = await db.update(users).set({ hideActivity, messagePolicy }).where(eq(users.id, userId)).returning({ id: users.id })
  return row ?? null
}

/**
 * The old file goes only after the row points at the new one, and the new file goes if the row
 * could not be updated: at worst a file is left over, never a profile pointing at nothing.
 */
async function discardReplacedAvatar(fileName: string | null) {
  try {
    await deleteAvatarFile(fileName)
  } catch (error) {
    logger.warn({ err: error, fileName }, 'could not delete the replaced avatar')
  }
}

/** Stores the image as the member's avatar, in place of any previous one; returns the new file name. */
export async function replaceAvatar({ userId, bytes, type }: { userId: number; bytes: Uint8Array; type: ImageType }) {
  const fileName = await writeAvatarFile(bytes, type)
  let previous: string | null
  try {
    previous = await db.transaction(async (tx) => {
      const [row] = await tx.select({ avatarPath: users.avatarPath }).from(users).where(eq(users.id, userId)).for('update')
      if (!row) throw new Error(`no user ${userId}`)
      await tx.update(users).set({ avatarPath: fileName }).where(eq(users.id, userId))
      return row.avatarPath
    })
  } catch (error) {
    await deleteAvatarFile(fileName)
    throw error
  }
  await discardReplacedAvatar(previous)
  return fileName
}

/** Back to the default avatar; false when there was none to remove. */
export async function removeAvatar({ userId }: { userId: number }) {
  const previous = await db.transaction(async (tx) => {
    const [row] = await tx.select({ avatarPath: users.avatarPath }).from(users).where(eq(users.id, userId)).for('update')
    if (!row?.avatarPath) return null
    await tx.update(users).set({ avatarPath: null }).where(eq(users.id, userId))
    return row.avatarPath
  })
  await discardReplacedAvatar(previous)
  return previous !== null
}

/** The zone times are shown in for this member; null follows their browser's (decision 026). */
export async function updateTimeZone({ userId, timeZone }: { userId: number; timeZone: string | null }) {
  const [row] = await db.update(users).set({ timeZone }).where(eq(users.id, userId)).returning({ id: users.id })
  return row ?? null
}
