import { and, asc, desc, eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { categories, questions } from '#db/schema/index'
import type { SearchHit, SearchQuery } from '#search/engine'
import { getSearchEngine } from '#search/index.server'
import { questionPublicSql } from '~/forum/visibility.server'
import { logger } from '~/platform/logger.server'

/**
 * The app's door to the search engine. Search is a convenience on pages that must still work
 * when a Meilisearch server is down, so the helpers used inside other pages degrade to "nothing
 * found" (logged) instead of failing the page.
 */
export async function searchQuestions(query: SearchQuery) {
  return getSearchEngine().search(query)
}

export async function findSimilarQuestions(title: string, { excludeId, limit = 5 }: { excludeId?: number; limit?: number } = {}): Promise<SearchHit[]> {
  if (title.trim().length < 4) return []
  try {
    return await getSearchEngine().similar(title, { excludeId, limit })
  } catch (error) {
    logger.warn({ err: error }, 'similar questions are unavailable: the search engine failed')
    return []
  }
}

type RelatedQuestion = Pick<SearchHit, 'questionId' | 'title' | 'hasAcceptedAnswer' | 'hasOfficialAnswer' | 'answerCount'>
const RELATED_TTL_MS = 5 * 60 * 1000
const RELATED_MAX_ENTRIES = 5000
const relatedCache = new Map<number, { at: number; title: string; related: RelatedQuestion[] }>()

/**
 * A thread's related questions. They are the same for every reader and need not be to the
 * second, so each thread's list is kept for five minutes (or until its title changes): a signed-in
 * thread view, which the page cache does not serve, then skips the search.
 */
export async function findRelatedQuestions({ id, title }: { id: number; title: string }, now = Date.now()): Promise<RelatedQuestion[]> {
  const cached = relatedCache.get(id)
  if (cached && cached.title === title && now - cached.at < RELATED_TTL_MS) return cached.related
  const related = (await findSimilarQuestions(title, { excludeId: id, limit: 5 })).map(({ questionId, title, hasAcceptedAnswer, hasOfficialAnswer, answerCount }) => ({
    questionId,
    title,
    hasAcceptedAnswer,
    hasOfficialAnswer,
    answerCount,
  }))
  if (relatedCache.size >= RELATED_MAX_ENTRIES) relatedCache.delete(relatedCache.keys().next().value!)
  relatedCache.set(id, { at: now, title, related })
  return related
}

export type HelpArticle = { id: number; title: string; categoryId: number; lastActivityAt: Date }

/**
 * The help center's front page: per category, the latest questions with an official answer
 * (what support points customers to first). One query with a window, however many there are.
 */
export async function listHelpArticles({ perCategory = 8 }: { perCategory?: number } = {}) {
  const ranked = db
    .select({
      id: questions.id,
      title: questions.title,
      categoryId: questions.categoryId,
      lastActivityAt: questions.lastActivityAt,
      rank: sql<number>`row_number() over (partition by ${questions.categoryId} order by ${questions.lastActivityAt} desc, ${questions.id} desc)`.as('rank'),
    })
    .from(questions)
    .where(and(sql`${questions.officialAnswerId} is not null`, questionPublicSql()))
    .as('ranked')
  const rows = await db
    .select({ id: ranked.id, title: ranked.title, categoryId: ranked.categoryId, lastActivityAt: ranked.lastActivityAt, categoryName: categories.name, categorySlug: categories.slug })
    .from(ranked)
    .innerJoin(categories, eq(categories.id, ranked.categoryId))
    .where(sql`${ranked.rank} <= ${perCategory}`)
    .orderBy(asc(categories.position), asc(categories.name), desc(ranked.lastActivityAt))
  const byCategory = new Map<number, { name: string; slug: string; articles: { id: number; title: string }[] }>()
  for (const row of rows) {
    const group = byCategory.get(row.categoryId) ?? { name: row.categoryName, slug: row.categorySlug, articles: [] }
    group.articles.push({ id: row.id, title: row.title })
    byCategory.set(row.categoryId, group)
  }
  return [...byCategory.values()]
}
