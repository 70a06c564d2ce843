import { asc, eq, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { spamSettings, users, watchedWords } from '#db/schema/index'
import { DEFAULT_SPAM_SETTINGS, SPAM_SETTINGS, type SpamSettingName, type SpamSettings } from './spam-rules'
import { censorHtml, censorText, compileWatchedWords, foldWord, type WatchedWordAction, type WordMatcher } from './watched-words'

/** Every watched word, compiled into one matcher; one query. */
export async function loadWatchedWords(tx: DbOrTx = db): Promise<WordMatcher> {
  const rows = await tx.select({ word: watchedWords.word, action: watchedWords.action }).from(watchedWords)
  return compileWatchedWords(rows)
}

/** The admin page's list, alphabetical within each action. */
export async function listWatchedWords() {
  return db
    .select({ id: watchedWords.id, word: watchedWords.word, action: watchedWords.action, createdAt: watchedWords.createdAt, createdBy: users.username })
    .from(watchedWords)
    .leftJoin(users, eq(users.id, watchedWords.createdById))
    .orderBy(asc(watchedWords.action), asc(watchedWords.word))
}

/** Adds a word, or changes the action of a word already watched (one row per folded word). */
export async function saveWatchedWord({ word, action, adminId }: { word: string; action: WatchedWordAction; adminId: number }) {
  const folded = foldWord(word)
  await db
    .insert(watchedWords)
    .values({ word: folded, action, createdById: adminId })
    .onConflictDoUpdate({ target: watchedWords.word, set: { action, createdById: adminId, createdAt: new Date() } })
  return folded
}

export async function deleteWatchedWord({ id }: { id: number }) {
  const rows = await db.delete(watchedWords).where(eq(watchedWords.id, id)).returning({ word: watchedWords.word })
  return rows[0]?.word ?? null
}

/**
 * Masks censored words in a post as it is written: in the rendered HTML and the title. The source
 * keeps what the member typed, so an edit (or a new censored word and a re-render) applies the list
 * again. One query; none of the other actions change the stored text.
 */
export async function censorPost<T extends { html: string; title?: string }>(tx: DbOrTx, post: T): Promise<T> {
  const matcher = await loadWatchedWords(tx)
  return { ...post, html: censorHtml(post.html, matcher), ...(post.title === undefined ? {} : { title: censorText(post.title, matcher) }) }
}

/** The spam rules' settings: defaults, with admins' changes over them. One query. */
export async function loadSpamSettings(tx: DbOrTx = db): Promise<SpamSettings> {
  const rows = await tx.select({ name: spamSettings.name, value: spamSettings.value }).from(spamSettings)
  const settings = { ...DEFAULT_SPAM_SETTINGS }
  for (const row of rows) if (row.name in settings) settings[row.name as SpamSettingName] = row.value
  return settings
}

/** The admin page's rows: each setting with its default and current value. */
export async function listSpamSettings() {
  const current = await loadSpamSettings()
  return SPAM_SETTINGS.map((s) => ({ ...s, value: current[s.name], overridden: current[s.name] !== s.defaultValue }))
}

/** Saves every setting in one transaction: a value equal to its default drops the override. */
export async function updateSpamSettings({ values, adminId }: { values: SpamSettings; adminId: number }) {
  await db.transaction(async (tx) => {
    for (const s of SPAM_SETTINGS) {
      const value = values[s.name]
      if (value === s.defaultValue) await tx.delete(spamSettings).where(eq(spamSettings.name, s.name))
      else
        await tx
          .insert(spamSettings)
          .values({ name: s.name, value, updatedById: adminId })
          .onConflictDoUpdate({ target: spamSettings.name, set: { value, updatedById: adminId, updatedAt: sql`now()` } })
    }
  })
}
