import { and, asc, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { categories, watches } from '#db/schema/index'

const columns = { id: categories.id, slug: categories.slug, name: categories.name, description: categories.description }

export async function listCategories() {
  return db.select(columns).from(categories).orderBy(asc(categories.position), asc(categories.id))
}

/** A category, with the viewer's watch or mute of it (visitors pass no viewer) in the same query. */
export async function getCategoryBySlug({ slug, viewerId = 0 }: { slug: string; viewerId?: number }) {
  const [category] = await db
    .select({ ...columns, viewerWatch: watches.level })
    .from(categories)
    .leftJoin(watches, and(eq(watches.categoryId, categories.id), eq(watches.userId, viewerId)))
    .where(eq(categories.slug, slug))
    .limit(1)
  return category ?? null
}
