/**
 * The browser's side of the realtime transport (app/routes/events.ts): one EventSource per page,
 * for every topic the page's components follow, reopened when that set changes. EventSource
 * reconnects by itself and sends Last-Event-ID, so the server replays what was missed.
 * No library: this file is the whole client.
 */
import { useEffect, useRef, useState } from 'react'

export type LivePayload = Record<string, unknown>
type Handler = (payload: LivePayload) => void

const handlers = new Map<string, Set<Handler>>()
let source: EventSource | null = null
let openTopics = ''
let pending = false

function reopen() {
  pending = false
  const topics = [...handlers.keys()].sort().join(',')
  if (topics === openTopics) return
  source?.close()
  source = null
  openTopics = topics
  if (!topics) return
  source = new EventSource(`/events?${new URLSearchParams({ topics })}`)
  source.onmessage = (message: MessageEvent<string>) => {
    const { topic, payload } = JSON.parse(message.data) as { topic: string; payload: LivePayload }
    handlers.get(topic)?.forEach((handler) => handler(payload))
  }
}

/** Components mount and unmount together on a navigation: the stream reopens once, after them. */
function reopenSoon() {
  if (pending) return
  pending = true
  setTimeout(reopen, 0)
}

/** Calls `onEvent` with the payload of every event on `topic` (none when null) while mounted. */
export function useLiveTopic(topic: string | null, onEvent: Handler) {
  const latest = useRef(onEvent)
  useEffect(() => {
    latest.current = onEvent
  })
  useEffect(() => {
    if (!topic) return
    const handler: Handler = (payload) => latest.current(payload)
    const set = handlers.get(topic) ?? new Set()
    handlers.set(topic, set)
    set.add(handler)
    reopenSoon()
    return () => {
      set.delete(handler)
      if (set.size === 0) handlers.delete(topic)
      reopenSoon()
    }
  }, [topic])
}

/** The signed-in user with the bell's count kept live (the server's count again after each load). */
export function useLiveBell<U extends { id: number; unreadNotificationCount: number } | null>(user: U): U {
  const [live, setLive] = useState<{ from: number; unread: number } | null>(null)
  const fromServer = user?.unreadNotificationCount ?? 0
  useLiveTopic(user ? `user:${user.id}` : null, (payload) => {
    if (typeof payload.unread === 'number') setLive({ from: fromServer, unread: payload.unread })
  })
  // A newer page load brings the server's count, which wins over an older live one.
  if (!user || !live || live.from !== fromServer) return user
  return { ...user, unreadNotificationCount: live.unread }
}
