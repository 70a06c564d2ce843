import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from '@remix-run/node'
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
  useFetcher,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from '@remix-run/react'
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react'
import { getUser } from '~/platform/auth/auth.server'
import { can } from '~/platform/auth/permissions'
import { useCspNonce } from '~/platform/csp-nonce'
import { THEME_LABELS, THEMES, themeFromCookie, type Theme } from '~/platform/theme'
import { publicOrigin } from '~/platform/public-origin.server'
import { viewerTimeZone } from '~/platform/time-zone.server'
import { pageData } from '~/platform/page-data.server'
import { DateTime, TimeZoneProvider, useTimeZone } from '~/ui/time'
import { formatWeekdayTime } from '~/platform/dates'
import { chatOpennessForHeader, type ChatOpenness } from '~/tickets/chat/availability.server'
import stylesHref from '~/ui/app.css'
import { Icon } from '~/ui/icons'
import { currentLink, useRoutedClicks, useRoutedSubmits } from '~/ui/routed-links'
import { useLiveBell } from '~/ui/live-updates'
import { CachedElement, type Texts } from '~/platform/fragment-cache'
import type { UserRole } from '#db/schema/index'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = getUser(context)
  const zone = viewerTimeZone(request, user)
  // All of it comes with the session lookup the server already made: the bell costs no query.
  // Plain JSON values (dates as text): a document's render takes this object as it is (pageData).
  return pageData(request, {
    user: user
      ? {
          id: user.id,
          username: user.username,
          role: user.role,
          suspendedUntil: user.suspendedUntil?.toISOString() ?? null,
          bannedAt: user.bannedAt?.toISOString() ?? null,
          silencedUntil: user.silencedUntil?.toISOString() ?? null,
          unreadNotificationCount: user.unreadNotificationCount,
          emailVerified: user.emailVerifiedAt !== null,
        }
      : null,
    // The member's choice comes with the session row; a visitor's is a cookie. No query either way.
    theme: user ? user.theme : themeFromCookie(request.headers.get('Cookie')),
    // Absolute addresses in meta tags (~/platform/seo), and the zone times are shown in.
    origin: publicOrigin(request),
    timeZone: zone.timeZone,
    timeZoneChosen: zone.chosen,
    // The header's "Live chat" link says when chat opens while it is closed (remembered for 20 s, no query per page).
    chat: can(user, 'work:ticket:any') ? null : chatForHeader(await chatOpennessForHeader()),
  })
}

/** The chat's state with its opening time as text, as the browser gets it. */
const chatForHeader = (chat: ChatOpenness) => ('opensAt' in chat ? { ...chat, opensAt: chat.opensAt.toISOString() } : chat)

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

/** False during the server render and the hydrating render, true after: for parts that only work with JavaScript. */
function useHydrated() {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}

/**
 * The header's menus are <details>, so they open without JavaScript. With it they also close as
 * menus do: on a click elsewhere, on Escape (focus back on the toggle), and after a navigation.
 */
function useMenusClose(header: RefObject<HTMLElement>, pathname: string) {
  useEffect(() => {
    const openMenus = () => [...(header.current?.querySelectorAll<HTMLDetailsElement>('details[open]') ?? [])]
    const onPointerDown = (event: PointerEvent) => {
      for (const menu of openMenus()) if (!menu.contains(event.target as Node)) menu.open = false
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      for (const menu of openMenus()) {
        const hadFocus = menu.contains(document.activeElement)
        menu.open = false
        if (hadFocus) menu.querySelector('summary')?.focus()
      }
    }
    document.addEventListener('pointerdown', onPointerDown)
    document.addEventListener('keydown', onKeyDown)
    return () => {
      document.removeEventListener('pointerdown', onPointerDown)
      document.removeEventListener('keydown', onKeyDown)
    }
  }, [header])
  useEffect(() => {
    for (const menu of header.current?.querySelectorAll<HTMLDetailsElement>('details[open]') ?? []) menu.open = false
  }, [header, pathname])
}

type RecentNotification = { id: number; text: string; readAt: string | null; createdAt: string }

/**
 * Without JavaScript the bell is a link to /notifications. With it, it opens a menu of the recent
 * notifications, loaded when the menu opens (never with every page: the count alone comes with the
 * session). The server and the hydrating render show the link (so the header's markup can be cached).
 */
function Bell({ count, current }: { count: number; current: boolean }) {
  const hydrated = useHydrated()
  const label = `Notifications, ${count} unread`
  const face = (
    <>
      <Icon name="bell" size={20} />
      {count > 0 ? (
        <span className="bell-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </>
  )
  if (!hydrated)
    return (
      <a href="/notifications" className={current ? 'bell active' : 'bell'} aria-current={current ? 'page' : undefined} aria-label={label}>
        {face}
      </a>
    )
  return <BellMenu label={label} face={face} current={current} />
}

/** The bell once the page has JavaScript: a menu that loads the recent notifications when it opens. */
function BellMenu({ label, face, current }: { label: string; face: ReactNode; current: boolean }) {
  const recent = useFetcher<{ notifications: RecentNotification[] }>({ key: 'bell' })
  const items = recent.data?.notifications
  return (
    <details
      className="menu bell-menu"
      onToggle={(event) => {
        if (event.currentTarget.open) recent.load('/notifications/recent')
      }}
    >
      <summary className={current ? 'bell active' : 'bell'} aria-label={label}>
        {face}
      </summary>
      <div className="menu-panel menu-panel-wide">
        <p className="menu-heading">Recent notifications</p>
        {!items ? (
          <p className="menu-note" role="status">
            Loading…
          </p>
        ) : items.length === 0 ? (
          <p className="menu-note">Nothing yet.</p>
        ) : (
          <ul className="bell-list">
            {items.map((n) => (
              <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
                <a href={`/notifications/${n.id}`}>
                  {n.readAt ? null : <span className="visually-hidden">Unread: </span>}
                  {n.text}
                </a>
                <DateTime value={n.createdAt} />
              </li>
            ))}
          </ul>
        )}
        <a href="/notifications" className="menu-footer-link">
          All notifications
        </a>
      </div>
    </details>
  )
}

/** Light, dark, or the device's choice; a plain form, so it works without JavaScript too. */
function ThemeMenu({ theme, returnTo }: { theme: Theme; returnTo: string }) {
  const effective = theme === 'dark' ? 'moon' : theme === 'light' ? 'sun' : 'monitor'
  return (
    <details className="menu theme-menu">
      <summary>
        <Icon name={effective} size={18} />
        <span className="summary-text">Theme</span>
        <Icon name="chevron" className="chevron" />
      </summary>
      <div className="menu-panel">
        <form method="post" action="/theme" data-keep-scroll>
          <input type="hidden" name="redirectTo" value={returnTo} />
          <fieldset className="theme-choices">
            <legend className="menu-heading">Theme</legend>
            {THEMES.map((value) => (
              <button key={value} type="submit" name="theme" value={value} className="menu-item" aria-pressed={theme === value}>
                <Icon name={value === 'dark' ? 'moon' : value === 'light' ? 'sun' : 'monitor'} />
                {THEME_LABELS[value]}
                {theme === value ? <Icon name="check" className="menu-item-check" /> : null}
              </button>
            ))}
          </fieldset>
        </form>
      </div>
    </details>
  )
}

/** The chat link's note: when chat opens, or that nobody can take one now (the page offers a ticket). */
function ChatNote({ chat, zone }: { chat: ChatLinkState; zone: string }) {
  if (!chat || chat.open) return null
  if (chat.reason === 'no-agents') return <small className="nav-note">agents away</small>
  return (
    <small className="nav-note">
      opens <time dateTime={chat.opensAt}>{formatWeekdayTime(chat.opensAt, zone)}</time>
    </small>
  )
}

type ChatLinkState = SerializeFrom<ChatOpenness> | null

type HeaderLink = { to: string; label: string; note?: ReactNode; end?: boolean }

/**
 * The header's links for a viewer of this role (none signed in: `null`), in the order they show. A
 * role is enough: they hang on staff permissions, which no restriction of a member takes away.
 */
function headerLinks(role: UserRole | null, chat: ChatLinkState, zone: string, profileHref: string) {
  const user = role ? { role } : null
  const worksTickets = can(user, 'work:ticket:any')
  // On every page; while chat is closed it says when it opens (the chat page offers a ticket).
  const liveChat = { to: '/support/chat', label: 'Live chat', note: <ChatNote chat={chat} zone={zone} /> }
  // A member's ways to reach support are one "Support" menu, so the header stays one row on a
  // laptop; a visitor has only the chat, an agent the queue, each a link of its own.
  const support: HeaderLink[] = user && !worksTickets ? [{ to: '/tickets', label: 'My requests' }, { to: '/tickets/new', label: 'Contact support' }, liveChat] : []
  const main: HeaderLink[] = [
    { to: '/questions', label: 'Questions' },
    { to: '/questions/new', label: 'Ask a question' },
    { to: '/search', label: 'Search' },
    { to: '/help', label: 'Help center' },
    ...(worksTickets ? [{ to: '/tickets', label: 'Ticket queue' }] : []),
    ...(!user ? [liveChat] : []),
  ]
  const staff: HeaderLink[] = [
    ...(can(user, 'watch:unanswered:any') || can(user, 'moderate:content:any') ? [{ to: '/staff', label: 'Staff dashboard', end: true }] : []),
    ...(can(user, 'watch:unanswered:any') ? [{ to: '/staff/unanswered', label: 'Unanswered questions' }] : []),
    ...(can(user, 'work:ticket:any') ? [{ to: '/staff/chats', label: 'Live chats' }] : []),
    ...(can(user, 'read:sla-report:any') ? [{ to: '/staff/sla', label: 'SLA report' }] : []),
    ...(can(user, 'moderate:content:any') ? [{ to: '/mod/queue', label: 'Moderation queue' }] : []),
    ...(can(user, 'read:audit:any') ? [{ to: '/mod/audit', label: 'Moderation log' }] : []),
    ...(role === 'admin'
      ? [
          { to: '/admin/users', label: 'Users' },
          { to: '/admin/sla', label: 'SLA policies' },
          { to: '/admin/outbox', label: 'Outbox' },
          { to: '/admin/rate-limits', label: 'Rate limits' },
          { to: '/admin/chat-replies', label: 'Chat replies' },
          { to: '/admin/spam', label: 'Spam rules' },
          { to: '/admin/watched-words', label: 'Watched words' },
          { to: '/admin/screening', label: 'Screening' },
          { to: '/admin/penalty-templates', label: 'Penalty templates' },
        ]
      : []),
  ]
  const account: HeaderLink[] = user
    ? [
        { to: profileHref, label: 'Your profile' },
        { to: '/settings', label: 'Settings' },
        { to: '/me/moderation', label: 'My moderation' },
      ]
    : []
  return { main, support, staff, account }
}

/**
 * What the header shows, as plain props (decision 039): on the server it comes from the fragment
 * cache, for each role, current link, theme, bell count, chat state and zone, with the username, the
 * profile address and the page to return to filled in as slots. The current link is worked out from
 * the location by SiteHeader, with the profile address as it is for everyone (`/u/…`).
 */
type HeaderProps = { role: UserRole | null; unread: number; theme: Theme; chat: ChatLinkState; zone: string; current: string | null }
type HeaderSlots = { username: string; profileHref: string; returnTo: string }

function HeaderContent({ role, unread, theme, chat, zone, current: currentInKey, slots }: HeaderProps & { slots: Texts }) {
  const { username, profileHref, returnTo } = slots as HeaderSlots
  const { main, support, staff, account } = headerLinks(role, chat, zone, profileHref)
  const current = currentInKey === PROFILE ? profileHref : currentInKey
  const link = ({ to, label, note }: HeaderLink, className?: string) => (
    <a key={to} href={to} className={[className, current === to ? 'active' : null].filter(Boolean).join(' ') || undefined} aria-current={current === to ? 'page' : undefined}>
      {label}
      {note ? <> {note}</> : null}
    </a>
  )
  /** A menu of links (Support, Staff); its toggle is "active" when the current page is one of them. */
  const linkMenu = (title: string, items: HeaderLink[], navLabel?: string) => {
    const links = items.map((item) => link(item, 'menu-item'))
    return (
      <details className={`menu ${title.toLowerCase()}-menu`}>
        <summary className={items.some((s) => s.to === current) ? 'active' : undefined}>
          <span>{title}</span>
          <Icon name="chevron" className="chevron" />
        </summary>
        {navLabel ? (
          <nav aria-label={navLabel} className="menu-panel">
            {links}
          </nav>
        ) : (
          <div className="menu-panel">{links}</div>
        )}
      </details>
    )
  }
  const accountCurrent = account.some((s) => s.to === current)
  return (
    <>
      <a href="/" className="brand">
        Parley
      </a>
      <details className="nav-menu">
        <summary>
          <Icon name="menu" size={18} />
          <span>Menu</span>
        </summary>
        <nav aria-label="Main" className="main-nav">
          {main.map((item) => link(item))}
          {support.length > 0 ? linkMenu('Support', support) : null}
        </nav>
      </details>
      <div className="header-tools">
        {staff.length > 0 ? linkMenu('Staff', staff, 'Staff') : null}
        {role ? (
          <>
            <Bell count={unread} current={current === '/notifications'} />
            <details className="menu user-menu">
              <summary className={accountCurrent ? 'active' : undefined}>
                <Icon name="user" size={18} />
                <span className="summary-text username">{username}</span>
                <Icon name="chevron" className="chevron" />
              </summary>
              <div className="menu-panel">
                <nav aria-label="Account">{account.map((item) => link(item, 'menu-item'))}</nav>
                <form method="post" action="/logout">
                  <button type="submit" className="menu-item">
                    Log out
                  </button>
                </form>
              </div>
            </details>
          </>
        ) : (
          <>
            {link({ to: '/login', label: 'Log in' }, 'header-link')}
            {link({ to: '/register', label: 'Sign up' }, 'button button-secondary button-small')}
          </>
        )}
        <ThemeMenu theme={theme} returnTo={returnTo} />
      </div>
    </>
  )
}

/**
 * The header is on every page, so it is plain links and a plain form (no per-link path resolution,
 * see ~/ui/routed-links); "active" and aria-current come from the location, read once, for the one
 * link the location is under. With JavaScript its clicks and submits go through Remix as
 * <Link>/<Form> would. From 320px up it never scrolls sideways: the main links fold into a "Menu"
 * below 48rem, staff pages sit in one "Staff" menu, the account in one user menu.
 */
function SiteHeader({ user, theme, chat }: { user: LayoutUser; theme: Theme; chat: ChatLinkState }) {
  const { pathname, search } = useLocation()
  const onClick = useRoutedClicks()
  const onSubmit = useRoutedSubmits()
  const ref = useRef<HTMLElement>(null)
  useMenusClose(ref, pathname)
  const zone = useTimeZone()
  const role = user?.role ?? null
  const profileHref = user ? `/u/${encodeURIComponent(user.username)}` : '/u'
  const { main, support, staff, account } = headerLinks(role, chat, zone, profileHref)
  const current = currentLink(pathname, [...main, ...support, ...staff, ...account, { to: '/notifications' }])
  // The profile link is the one link that differs between members: the key names it as everyone's.
  const props: HeaderProps = { role, unread: user?.unreadNotificationCount ?? 0, theme, chat, zone, current: current === profileHref ? PROFILE : current }
  const slots: HeaderSlots = { username: user?.username ?? '-', profileHref, returnTo: pathname + search }
  return (
    <CachedElement
      as="header"
      attributes={{ className: 'site-header', ref, onClick, onSubmit }}
      cacheKey={`header ${role ?? 'visitor'} ${theme} ${props.current ?? ''}`}
      component={HeaderContent}
      props={props}
      texts={NO_TEXTS}
      slots={slots}
    />
  )
}

/** The profile link's place in the key: the same for every member, whose own address is a slot. */
const PROFILE = '/u/*'
const NO_TEXTS: Texts = {}


function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const user = useLiveBell(data?.user ?? null)
  const theme = data?.theme ?? 'system'
  const nonce = useCspNonce()
  const root = useRouteLoaderData<typeof loader>('root')
  return (
    <html lang="en" data-theme={theme}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content={theme === 'system' ? 'light dark' : theme} />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <TimeZoneProvider serverZone={root?.timeZone ?? 'UTC'} chosen={root?.timeZoneChosen ?? false}>
          <SiteHeader user={user} theme={theme} chat={data?.chat ?? null} />
          {user && !user.emailVerified ? (
            <p className="notice site-notice" role="status">
              Please confirm your email address with the link we mailed you; until then your posts are limited. <Link to="/settings/account">Resend it or change the address</Link>
            </p>
          ) : null}
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

function describeError(error: unknown) {
  let status = 500
  let message = 'Something went wrong on our side. Please try again in a moment.'
  if (isRouteErrorResponse(error)) {
    status = error.status
    const data = error.data as { message?: string } | string | undefined
    message =
      (typeof data === 'object' && data?.message) ||
      (status === 404 ? 'There is nothing at this address. It may have been moved or deleted.' : typeof data === 'string' && data ? data : message)
  }
  return { status, title: statusTitles[status] ?? 'Something went wrong', message }
}

/** Pages name themselves; this only titles the error pages the root's boundary renders. */
export const meta: MetaFunction = ({ error }) => (error ? [{ title: `${describeError(error).title} · Parley` }] : [])

export function ErrorBoundary() {
  const { status, title, message } = describeError(useRouteError())
  return (
    <Layout>
      <section className="error-page">
        <p className="error-code">Error {status}</p>
        <h1>{title}</h1>
        <p>{message}</p>
        <p className="error-actions">
          <Link to="/" className="button">
            Back to the latest questions
          </Link>
          <Link to="/search" className="button button-secondary">
            Search the forum
          </Link>
        </p>
      </section>
    </Layout>
  )
}
