import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Field } from '~/ui/field'
import { SearchResults } from '~/forum/ui/search-results'
import { listCategories } from '~/forum/categories.server'
import { listHelpArticles, searchQuestions } from '#search/queries.server'
import { questionPath } from '~/platform/misc'
import { EmptyState } from '~/ui/empty-state'
import { pageMeta } from '~/platform/seo'

/** The help center: answers support has made official, by category, and searchable among themselves. */
export async function loader({ request }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 200)
  if (q) {
    const [categories, result] = await Promise.all([listCategories(), searchQuestions({ text: q, status: 'official', limit: 20 })])
    return json({ q, result, categoryNames: Object.fromEntries(categories.map((c) => [c.id, { name: c.name, slug: c.slug }])), groups: null })
  }
  return json({ q, result: null, categoryNames: {}, groups: await listHelpArticles() })
}

export default function HelpCenter() {
  const { q, result, categoryNames, groups } = useLoaderData<typeof loader>()
  return (
    <section>
      <h1>Help center</h1>
      <p className="lede">Answers our support team has checked and marked official. Can’t find yours? <Link to="/questions/new">Ask the community</Link> or <Link to="/tickets/new">contact support</Link>.</p>
      <Form method="get" className="search-form" role="search">
        <Field label="Search the help center" name="q" type="search" defaultValue={q} />
        <button type="submit">Search</button>
      </Form>
      {result ? (
        result.hits.length === 0 ? (
          <EmptyState title={`No official answer matches “${q}”.`} icon="search">
            <p>
              Try the <Link to={`/search?q=${encodeURIComponent(q)}`}>whole forum</Link>.
            </p>
          </EmptyState>
        ) : (
          <SearchResults hits={result.hits} categoryNames={categoryNames} />
        )
      ) : null}
      {groups?.length === 0 ? <EmptyState title="No official answers yet." /> : null}
      {groups?.map((g) => (
        <section key={g.slug} aria-labelledby={`help-${g.slug}`}>
          <h2 id={`help-${g.slug}`}>{g.name}</h2>
          <ul className="question-links">
            {g.articles.map((a) => (
              <li key={a.id}>
                <Link to={questionPath(a)}>{a.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta({ matches, title: 'Help center · Parley', description: 'Answers our support team has made official, by category, and searchable.', path: '/help', card: true })
