/**
 * What the forum shows to search engines and feed readers: sitemap pages and Atom feed entries.
 * Only public content (visibility.server.ts, as a visitor sees it), and every query is bounded
 * however large the forum: sitemap pages are id ranges of the primary key (decision 026), feeds the
 * newest few by id.
 */
import { and, asc, desc, eq, gt, inArray, lte, max, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { categories, questions, questionTags, tags, users } from '#db/schema/index'
import { questionPath } from '~/platform/misc'
import type { AtomEntry } from '~/platform/syndication.server'
import { questionPublicSql } from './visibility.server'

/** URLs a sitemap file lists at most (the protocol allows 50,000; smaller files are cheaper to build). */
export const SITEMAP_PAGE_SIZE = 10_000
/** Entries in an Atom feed. */
export const FEED_SIZE = 30

/** How many question and tag sitemap files there are: one per id range, so a file costs one range scan. */
export async function sitemapPageCounts(pageSize = SITEMAP_PAGE_SIZE) {
  const [[q], [t]] = await Promise.all([db.select({ maxId: max(questions.id) }).from(questions), db.select({ maxId: max(tags.id) }).from(tags)])
  return { questions: Math.ceil((q?.maxId ?? 0) / pageSize), tags: Math.ceil((t?.maxId ?? 0) / pageSize) }
}

/** The public questions with ids in the page's range, oldest first, with when each last changed. */
export async function sitemapQuestions({ page, pageSize = SITEMAP_PAGE_SIZE }: { page: number; pageSize?: number }) {
  return db
    .select({ id: questions.id, title: questions.title, lastActivityAt: questions.lastActivityAt, editedAt: questions.editedAt })
    .from(questions)
    .where(and(gt(questions.id, (page - 1) * pageSize), lte(questions.id, page * pageSize), questionPublicSql()))
    .orderBy(asc(questions.id))
}

/** The tags in the page's id range that carry at least one public question (the others' pages are empty). */
export async function sitemapTags({ page, pageSize = SITEMAP_PAGE_SIZE }: { page: number; pageSize?: number }) {
  const carried = db
    .select({ one: sql`1` })
    .from(questionTags)
    .innerJoin(questions, eq(questions.id, questionTags.questionId))
    .where(and(eq(questionTags.tagId, tags.id), questionPublicSql()))
  return db
    .select({ name: tags.name })
    .from(tags)
    .where(and(gt(tags.id, (page - 1) * pageSize), lte(tags.id, page * pageSize), sql`exists (${carried})`))
    .orderBy(asc(tags.id))
}

export async function sitemapCategories() {
  return db.select({ slug: categories.slug }).from(categories).orderBy(asc(categories.position), asc(categories.id))
}

export type FeedEntry = Awaited<ReturnType<typeof feedEntries>>[number]

/**
 * The newest public questions, of a category or with a tag when given: each with its stored,
 * sanitized HTML, author, category and tags. Two queries whatever the forum's size.
 */
export async function feedEntries({ categoryId, tagName, limit = FEED_SIZE }: { categoryId?: number; tagName?: string; limit?: number } = {}) {
  const tagged = tagName
    ? sql`exists (select 1 from ${questionTags} join ${tags} on ${tags.id} = ${questionTags.tagId} where ${questionTags.questionId} = ${questions.id} and ${tags.name} = ${tagName})`
    : undefined
  const rows = await db
    .select({
      id: questions.id,
      title: questions.title,
      bodyHtml: questions.bodyHtml,
      createdAt: questions.createdAt,
      editedAt: questions.editedAt,
      authorUsername: users.username,
      authorDisplayName: users.displayName,
      categoryName: categories.name,
    })
    .from(questions)
    .innerJoin(users, eq(users.id, questions.authorId))
    .innerJoin(categories, eq(categories.id, questions.categoryId))
    .where(and(questionPublicSql(), categoryId === undefined ? undefined : eq(questions.categoryId, categoryId), tagged))
    .orderBy(desc(questions.id))
    .limit(limit)
  const tagRows = rows.length
    ? await db
        .select({ questionId: questionTags.questionId, name: tags.name })
        .from(questionTags)
        .innerJoin(tags, eq(tags.id, questionTags.tagId))
        .where(inArray(questionTags.questionId, rows.map((r) => r.id)))
        .orderBy(asc(tags.name))
    : []
  return rows.map((row) => ({ ...row, tagNames: tagRows.filter((t) => t.questionId === row.id).map((t) => t.name) }))
}

/** Feed entries as Atom wants them: absolute addresses, the author's name, the category and tags as terms. */
export function atomEntriesOf(entries: FeedEntry[], origin: string): AtomEntry[] {
  return entries.map((e) => ({
    // The id-only address never changes with the title (it redirects to the current one).
    id: `${origin}/questions/${e.id}`,
    title: e.title,
    url: `${origin}${questionPath(e)}`,
    published: e.createdAt,
    updated: e.editedAt ?? e.createdAt,
    author: { name: e.authorDisplayName || e.authorUsername, url: `${origin}/u/${encodeURIComponent(e.authorUsername)}` },
    categories: [e.categoryName, ...e.tagNames],
    html: e.bodyHtml,
  }))
}

/** When a feed last changed: its newest entry's time, or a fixed early date for an empty one. */
export const feedUpdatedAt = (entries: AtomEntry[]) =>
  entries.reduce((latest, e) => (new Date(e.updated) > latest ? new Date(e.updated) : latest), new Date('2000-01-01T00:00:00Z'))
