import { asc, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { categories } from '#db/schema/index'

const columns = { id: categories.id, slug: categories.slug, name: categories.name, description: categories.description }

export async function listCategories() {
  return db.select(columns).from(categories).orderBy(asc(categories.position), asc(categories.id))
}

export async function getCategoryBySlug({ slug }: { slug: string }) {
  const [category] = await db.select(columns).from(categories).where(eq(categories.slug, slug)).limit(1)
  return category ?? null
}
