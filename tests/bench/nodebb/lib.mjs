// Shared helpers: a tiny cookie-jar HTTP client and NodeBB's browser-style login.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const BASE = process.env.NODEBB_URL || 'http://127.0.0.1:4567'
/** The NodeBB install (README.md); the seeded topic's address and accounts are kept there, not in this checkout. */
export const NODEBB_DIR = path.resolve(process.env.NODEBB_DIR || path.join(fileURLToPath(import.meta.url), '../../../../../nodebb'))
export const STATE_FILE = path.join(NODEBB_DIR, 'parley-bench-state.json')

export class Session {
  constructor() {
    this.cookies = new Map()
  }
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
  store(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const i = pair.indexOf('=')
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim())
    }
  }
  async fetch(path, opts = {}) {
    const headers = { ...(opts.headers || {}) }
    if (this.cookies.size) headers.cookie = this.cookieHeader()
    const res = await fetch(BASE + path, { redirect: 'manual', ...opts, headers })
    this.store(res)
    return res
  }
  async csrf() {
    const res = await this.fetch('/api/config', { headers: { accept: 'application/json' } })
    if (!res.ok) throw new Error(`/api/config -> ${res.status}`)
    return (await res.json()).csrf_token
  }
  // Same as the login form's ajax submit: csrf token from /api/config, then POST /login.
  async login(username, password) {
    const token = await this.csrf()
    const res = await this.fetch('/login', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-csrf-token': token,
        accept: 'application/json',
      },
      body: new URLSearchParams({ username, password, remember: 'on' }).toString(),
    })
    const text = await res.text()
    if (res.status !== 200) throw new Error(`login ${username} -> ${res.status} ${text.slice(0, 200)}`)
    const cfg = await (await this.fetch('/api/config', { headers: { accept: 'application/json' } })).json()
    if (!cfg.loggedIn) throw new Error(`login ${username}: /api/config says not logged in`)
    return cfg
  }
}
