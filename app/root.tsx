import { json, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from '@remix-run/react'
import type { ReactNode } from 'react'
import { getUser } from '~/platform/auth/auth.server'
import { can } from '~/platform/auth/permissions'
import { useCspNonce } from '~/platform/csp-nonce'
import { publicOrigin } from '~/platform/public-origin.server'
import { viewerTimeZone } from '~/platform/time-zone.server'
import { TimeZoneProvider } from '~/ui/time'
import stylesHref from '~/ui/app.css'
import { navLinkState, useRoutedClicks, useRoutedSubmits } from '~/ui/routed-links'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = getUser(context)
  const zone = viewerTimeZone(request, user)
  // All of it comes with the session lookup the server already made: the bell costs no query.
  return json({
    user: user
      ? {
          id: user.id,
          username: user.username,
          role: user.role,
          suspendedUntil: user.suspendedUntil,
          bannedAt: user.bannedAt,
          unreadNotificationCount: user.unreadNotificationCount,
          emailVerified: user.emailVerifiedAt !== null,
        }
      : null,
    // Absolute addresses in meta tags (~/platform/seo), and the zone times are shown in.
    origin: publicOrigin(request),
    timeZone: zone.timeZone,
    timeZoneChosen: zone.chosen,
  })
}

/**
 * The bell's count must be current on every page, so the root's data is fetched again whenever the
 * page changes, not only after a form is sent. That is not free: the loader runs no query of its
 * own, but each client navigation costs one extra request for it, and the server looks up the
 * session for that request as for any other.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, defaultShouldRevalidate }) =>
  defaultShouldRevalidate || currentUrl.pathname !== nextUrl.pathname

/** The signed-in user as the root loader saw it, or null; for showing and hiding UI only. */
export function useOptionalUser() {
  return useRouteLoaderData<typeof loader>('root')?.user ?? null
}

type LayoutUser = ReturnType<typeof useOptionalUser>

/**
 * The header is on every page, so it is plain links and a plain form (no per-link path resolution,
 * see ~/ui/routed-links); "active" and aria-current come from the location, read once. With
 * JavaScript its clicks and the log-out submit go through Remix as <Link>/<Form> would.
 */
function SiteHeader({ user }: { user: LayoutUser }) {
  const { pathname } = useLocation()
  const onClick = useRoutedClicks()
  const onSubmit = useRoutedSubmits()
  const nav = (to: string, label: ReactNode, options?: { end?: boolean; className?: string; 'aria-label'?: string }) => (
    <a href={to} aria-label={options?.['aria-label']} {...navLinkState(pathname, to, options)}>
      {label}
    </a>
  )
  const worksTickets = can(user, 'work:ticket:any')
  return (
    <header className="site-header" onClick={onClick} onSubmit={onSubmit}>
      <nav aria-label="Main">
        <a href="/" className="brand">
          Parley
        </a>
        {nav('/questions', 'Questions')}
        {nav('/questions/new', 'Ask a question')}
        {nav('/search', 'Search')}
        {nav('/help', 'Help center')}
        {user ? nav('/tickets', worksTickets ? 'Ticket queue' : 'My requests') : null}
        {user && !worksTickets ? nav('/tickets/new', 'Contact support') : null}
        {can(user, 'watch:unanswered:any') || can(user, 'moderate:content:any') ? nav('/staff', 'Staff', { end: true }) : null}
        {can(user, 'read:sla-report:any') ? nav('/staff/sla', 'SLA') : null}
        {can(user, 'moderate:content:any') ? nav('/mod/queue', 'Moderation queue') : null}
        {user?.role === 'admin' ? (
          <>
            {nav('/admin/users', 'Users')}
            {nav('/admin/sla', 'SLA policies')}
            {nav('/admin/outbox', 'Outbox')}
            {nav('/admin/rate-limits', 'Rate limits')}
          </>
        ) : null}
      </nav>
      <div className="account">
        {user ? (
          <>
            {nav(
              '/notifications',
              <>
                <span aria-hidden="true">🔔</span>
                {user.unreadNotificationCount > 0 ? (
                  <span className="bell-count" aria-hidden="true">
                    {user.unreadNotificationCount > 99 ? '99+' : user.unreadNotificationCount}
                  </span>
                ) : null}
              </>,
              { className: 'bell', 'aria-label': `Notifications, ${user.unreadNotificationCount} unread` },
            )}
            <a href={`/u/${encodeURIComponent(user.username)}`}>{user.username}</a>
            {nav('/settings', 'Settings')}
            {nav('/me/moderation', 'My moderation')}
            <form method="post" action="/logout">
              <button type="submit" className="link-button">
                Log out
              </button>
            </form>
          </>
        ) : (
          <>
            {nav('/login', 'Log in')}
            {nav('/register', 'Sign up')}
          </>
        )}
      </div>
    </header>
  )
}

function Layout({ children }: { children: ReactNode }) {
  const user = useOptionalUser()
  const nonce = useCspNonce()
  const root = useRouteLoaderData<typeof loader>('root')
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
        <SiteHeader user={user} />
        {user && !user.emailVerified ? (
          <p className="notice site-notice" role="status">
            Please confirm your email address with the link we mailed you; until then your posts are limited. <Link to="/settings/account">Resend it or change the address</Link>
          </p>
        ) : null}
        <TimeZoneProvider serverZone={root?.timeZone ?? 'UTC'} chosen={root?.timeZoneChosen ?? false}>
          <main id="main">{children}</main>
        </TimeZoneProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
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
  503: 'We’ll be right back',
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
