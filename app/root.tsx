import { json, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node'
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
} from '@remix-run/react'
import type { ReactNode } from 'react'
import { getUser } from '~/utils/auth.server'
import { can } from '~/utils/permissions'
import { useOptionalUser } from '~/utils/user'
import stylesHref from '~/styles/app.css'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ context }: LoaderFunctionArgs) {
  const user = getUser(context)
  return json({ user: user ? { id: user.id, username: user.username, role: user.role, suspendedUntil: user.suspendedUntil, bannedAt: user.bannedAt } : null })
}

function Layout({ children }: { children: ReactNode }) {
  const user = useOptionalUser()
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <nav aria-label="Main">
            <Link to="/" className="brand">
              Parley
            </Link>
            <NavLink to="/questions">Questions</NavLink>
            <NavLink to="/questions/new">Ask a question</NavLink>
            <NavLink to="/search">Search</NavLink>
            <NavLink to="/help">Help center</NavLink>
            {user ? <NavLink to="/tickets">{can(user, 'work:ticket:any') ? 'Ticket queue' : 'My requests'}</NavLink> : null}
            {user && !can(user, 'work:ticket:any') ? <NavLink to="/tickets/new">Contact support</NavLink> : null}
            {can(user, 'watch:unanswered:any') || can(user, 'moderate:content:any') ? <NavLink to="/staff" end>Staff</NavLink> : null}
            {can(user, 'read:sla-report:any') ? <NavLink to="/staff/sla">SLA</NavLink> : null}
            {can(user, 'moderate:content:any') ? <NavLink to="/mod/queue">Moderation queue</NavLink> : null}
            {user?.role === 'admin' ? (
              <>
                <NavLink to="/admin/users">Users</NavLink>
                <NavLink to="/admin/sla">SLA policies</NavLink>
                <NavLink to="/admin/outbox">Outbox</NavLink>
              </>
            ) : null}
          </nav>
          <div className="account">
            {user ? (
              <>
                <Link to={`/u/${user.username}`}>{user.username}</Link>
                <NavLink to="/me/moderation">My moderation</NavLink>
                <Form method="post" action="/logout">
                  <button type="submit" className="link-button">
                    Log out
                  </button>
                </Form>
              </>
            ) : (
              <>
                <NavLink to="/login">Log in</NavLink>
                <NavLink to="/register">Sign up</NavLink>
              </>
            )}
          </div>
        </header>
        <main id="main">{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

export default function App() {
  useLoaderData<typeof loader>()
  return (
    <Layout>
      <Outlet />
    </Layout>
  )
}

const statusTitles: Record<number, string> = {
  400: 'That request was not right',
  401: 'Please log in',
  403: 'You can’t do that',
  404: 'Page not found',
  429: 'Too many attempts',
}

export function ErrorBoundary() {
  const error = useRouteError()
  let status = 500
  let message = 'Something went wrong on our side. Please try again in a moment.'
  if (isRouteErrorResponse(error)) {
    status = error.status
    const data = error.data as { message?: string } | string | undefined
    message =
      (typeof data === 'object' && data?.message) ||
      (status === 404 ? 'There is nothing at this address. It may have been moved or deleted.' : typeof data === 'string' && data ? data : message)
  }
  return (
    <Layout>
      <section className="error-page">
        <h1>{statusTitles[status] ?? 'Something went wrong'}</h1>
        <p>{message}</p>
        <p className="muted">Error {status}</p>
        <p>
          <Link to="/">Back to the latest questions</Link>
        </p>
      </section>
    </Layout>
  )
}
