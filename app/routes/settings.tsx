import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { NavLink, Outlet } from '@remix-run/react'
import { requireUser } from '~/platform/auth/auth.server'

/**
 * The member's settings, one page per concern so each form stays short. Every child route checks
 * the session itself too: a layout's loader does not guard its children's actions.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context)
  return json({})
}

const SECTIONS = [
  { to: '/settings', label: 'Profile', end: true },
  { to: '/settings/account', label: 'Email and password' },
  { to: '/settings/notifications', label: 'Notifications' },
  { to: '/settings/privacy', label: 'Privacy' },
  { to: '/settings/sessions', label: 'Sessions' },
  { to: '/settings/data', label: 'Your data and account' },
]

export default function Settings() {
  return (
    <div className="settings">
      <nav aria-label="Settings" className="settings-nav">
        <h1>Settings</h1>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.to}>
              <NavLink to={s.to} end={s.end}>
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-section">
        <Outlet />
      </div>
    </div>
  )
}
