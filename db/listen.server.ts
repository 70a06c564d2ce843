/**
 * PostgreSQL LISTEN/NOTIFY for the process: `listen(channel, onMessage)` hears every NOTIFY on
 * `channel` from any process, and keeps hearing across a database restart. NOTIFY sent inside a
 * transaction is delivered when it commits (and never if it rolls back), so a message can announce
 * a row that is already there.
 *
 * On PostgreSQL one dedicated connection listens for the whole process. postgres.js's own listen()
 * re-subscribes once after its connection drops and gives up silently if the database is still
 * away, so this module keeps its own connection and subscribes again until the database answers.
 * PGlite delivers notifications in-process.
 */
import postgres from 'postgres'
import { getConnection, onBeforeClose, reconnectBackoff } from './client.server'

type Handler = (payload: string) => void

type ListenerState = {
  handlers: Map<string, Set<Handler>>
  /** The dedicated connection (PostgreSQL) and the channels LISTENed on it now. */
  client: postgres.Sql | null
  listening: Set<string>
  resubscribing: Promise<void> | null
  stopped: boolean
  pgliteUnsubscribe: Map<string, () => Promise<void>>
}

// One per process, like the connection (app/server.ts and the Remix build each load this module).
const stateKey = Symbol.for('parley.database.listen')
type GlobalWithListen = typeof globalThis & { [stateKey]?: ListenerState }

function state(): ListenerState {
  const g = globalThis as GlobalWithListen
  return (g[stateKey] ??= { handlers: new Map(), client: null, listening: new Set(), resubscribing: null, stopped: false, pgliteUnsubscribe: new Map() })
}

const quote = (channel: string) => `"${channel.replace(/"/g, '""')}"`
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function dedicatedClient(s: ListenerState): postgres.Sql {
  if (s.client) return s.client
  s.stopped = false
  s.client = postgres(process.env.DATABASE_URL!, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    connect_timeout: 5,
    backoff: reconnectBackoff,
    fetch_types: false,
    onnotice: () => {},
    onnotify(channel: string, payload: string) {
      for (const handler of s.handlers.get(channel) ?? []) handler(payload)
    },
    onclose() {
      // The session's LISTENs went with it.
      s.listening.clear()
      if (!s.stopped) void resubscribe(s)
    },
  } as postgres.Options<{}>)
  // Closed before the application's connection, with it (closeDatabase runs these hooks first).
  onBeforeClose(() => stopListening())
  return s.client
}

/** Sends LISTEN for every channel with handlers, again and again until the database answers. */
async function subscribeAll(s: ListenerState) {
  for (let wait = 250; !s.stopped; wait = Math.min(wait * 2, 2000)) {
    try {
      for (const channel of s.handlers.keys()) {
        if (s.listening.has(channel)) continue
        await dedicatedClient(s).unsafe(`listen ${quote(channel)}`)
        s.listening.add(channel)
      }
      return
    } catch {
      await pause(wait)
    }
  }
}

/** One subscription round at a time; a call during one waits for it. */
function resubscribe(s: ListenerState): Promise<void> {
  // Cleared in a callback, which always runs after this assignment (an async function that finds
  // nothing to do would otherwise finish before it).
  s.resubscribing ??= subscribeAll(s).finally(() => {
    s.resubscribing = null
  })
  return s.resubscribing
}

/**
 * Calls `onMessage` with the payload of every NOTIFY on `channel`. Resolves once the first LISTEN
 * is in place; returns a function that stops this handler.
 */
export async function listen(channel: string, onMessage: Handler): Promise<() => Promise<void>> {
  const s = state()
  const handlers = s.handlers.get(channel) ?? new Set()
  s.handlers.set(channel, handlers)
  handlers.add(onMessage)
  const connection = getConnection()
  if (connection.driver === 'pglite') {
    if (!s.pgliteUnsubscribe.has(channel)) {
      s.pgliteUnsubscribe.set(channel, await connection.client.listen(channel, (payload) => s.handlers.get(channel)?.forEach((handler) => handler(payload))))
    }
  } else {
    dedicatedClient(s)
    await resubscribe(s)
  }
  return async () => {
    handlers.delete(onMessage)
    if (handlers.size > 0) return
    s.handlers.delete(channel)
    const unsubscribe = s.pgliteUnsubscribe.get(channel)
    s.pgliteUnsubscribe.delete(channel)
    await unsubscribe?.().catch(() => {})
    if (s.listening.delete(channel)) await s.client?.unsafe(`unlisten ${quote(channel)}`).catch(() => {})
  }
}

/** Stops every handler and closes the dedicated connection. */
export async function stopListening() {
  const s = state()
  s.stopped = true
  s.handlers.clear()
  s.listening.clear()
  for (const unsubscribe of s.pgliteUnsubscribe.values()) await unsubscribe().catch(() => {})
  s.pgliteUnsubscribe.clear()
  const client = s.client
  s.client = null
  await client?.end({ timeout: 1 })
}
