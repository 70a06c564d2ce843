import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Field, SelectField } from '~/ui/field'
import { SearchResults } from '~/forum/ui/search-results'
import { listCategories } from '~/forum/categories.server'
import { searchQuestions } from '#search/queries.server'
import { oneOf } from '~/platform/misc'
import { EmptyState } from '~/ui/empty-state'

const PAGE_SIZE = 20
const STATUSES = ['solved', 'unsolved', 'official'] as const

/** /search?q=…&category=&tag=&status=&author=&page= */
export async function loader({ request }: LoaderFunctionArgs) {
  const p = new URL(request.url).searchParams
  const q = (p.get('q') ?? '').trim().slice(0, 200)
  const categories = await listCategories()
  const category = categories.find((c) => c.slug === p.get('category')) ?? null
  const status = oneOf(p.get('status'), STATUSES)
  const tag = p.get('tag')?.trim().toLowerCase().slice(0, 30) || null
  const author = p.get('author')?.trim().slice(0, 40) || null
  const page = Math.min(Math.max(Number(p.get('page') ?? 0) || 0, 0), 50)
  const filters = { q, category: category?.slug ?? '', status: status ?? '', tag: tag ?? '', author: author ?? '' }
  const categoryNames = Object.fromEntries(categories.map((c) => [c.id, { name: c.name, slug: c.slug }]))
  if (!q) return json({ filters, categories, categoryNames, result: null, page })
  const result = await searchQuestions({ text: q, categoryId: category?.id ?? null, status, tag, authorUsername: author, limit: PAGE_SIZE, offset: page * PAGE_SIZE })
  return json({ filters, categories, categoryNames, result, page })
}

export default function Search() {
  const { filters, categories, categoryNames, result, page } = useLoaderData<typeof loader>()
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][])
  return (
    <section>
      <h1>Search</h1>
      <Form method="get" className="search-form" role="search">
        <Field label="Search questions and answers" name="q" type="search" defaultValue={filters.q} hint={'Use "quotes" for a phrase and -word to leave a word out.'} />
        <SelectField label="Category" name="category" defaultValue={filters.category} options={[{ value: '', label: 'Any category' }, ...categories.map((c) => ({ value: c.slug, label: c.name }))]} />
        <SelectField
          label="Status"
          name="status"
          defaultValue={filters.status}
          options={[
            { value: '', label: 'Any status' },
            { value: 'solved', label: 'Solved' },
            { value: 'unsolved', label: 'Unsolved' },
            { value: 'official', label: 'Has an official answer' },
          ]}
        />
        <Field label="Tag" name="tag" defaultValue={filters.tag} />
        <Field label="Author" name="author" defaultValue={filters.author} />
        <button type="submit">Search</button>
      </Form>
      {result ? (
        <>
          {result.correctedText ? (
            <p className="notice" role="status">
              No results for “{filters.q}”. Showing results for <strong>{result.correctedText}</strong>.
            </p>
          ) : null}
          <p className="muted" role="status">
            {result.totalIsEstimate ? `More than ${result.total.toLocaleString('en-US')} results` : `${result.total} ${result.total === 1 ? 'result' : 'results'}`}
          </p>
          {result.hits.length === 0 ? (
            <EmptyState title="Nothing found." icon="search">
              <p>
                Try other words, or <Link to="/questions/new">ask the community</Link>.
              </p>
            </EmptyState>
          ) : (
            <SearchResults hits={result.hits} categoryNames={categoryNames} />
          )}
          <p className="pagination">
            {page > 0 ? <Link to={`?${query.toString()}&page=${page - 1}`}>Previous page</Link> : null}{' '}
            {(page + 1) * PAGE_SIZE < result.total && result.hits.length === PAGE_SIZE ? <Link to={`?${query.toString()}&page=${page + 1}`}>Next page</Link> : null}
          </p>
        </>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.filters.q ? `${data.filters.q} · Search · Parley` : 'Search · Parley' },
  { name: 'description', content: 'Search the questions and answers of the Parley community.' },
]
