import { useRouteLoaderData } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { useLiveTopic } from '~/ui/live-updates'
import { PRESENCE_EVERY_SECONDS, type PresenceState } from '../presence'

type Present = { username: string; state: PresenceState; until: number }
/** Typing in the reply box within this long counts as replying. */
const REPLYING_FOR_MS = 30_000

/**
 * Collision detection on a ticket: tells the ticket's other readers that this one is viewing or
 * replying (a small POST every ~20 s, and at once when they start typing), and shows who else is.
 * Loaded after hydration by TicketPresence (ticket-presence.tsx), inside its live region.
 */
export function PresenceNotice({ number }: { number: number }) {
  const viewerId = (useRouteLoaderData('root') as { user?: { id: number } | null } | undefined)?.user?.id ?? null
  const [others, setOthers] = useState<Record<number, Present>>({})
  const typedAt = useRef(0)

  useLiveTopic(`ticket:${number}`, ({ kind, userId, username, state, ttlSeconds }) => {
    if (kind !== 'presence' || typeof userId !== 'number' || userId === viewerId) return
    const until = Date.now() + Number(ttlSeconds) * 1000
    setOthers((now) => ({ ...now, [userId]: { username: String(username), state: state === 'replying' ? 'replying' : 'viewing', until } }))
  })

  useEffect(() => {
    let said: PresenceState | null = null
    const say = (state: PresenceState) => {
      said = state
      void fetch(`/tickets/${number}/presence`, { method: 'POST', body: new URLSearchParams({ state }) }).catch(() => {})
    }
    const current = (): PresenceState => (Date.now() - typedAt.current < REPLYING_FOR_MS ? 'replying' : 'viewing')
    const onInput = (event: Event) => {
      if (!(event.target instanceof HTMLTextAreaElement)) return
      typedAt.current = Date.now()
      if (said !== 'replying') say('replying')
    }
    say(current())
    const every = setInterval(() => say(current()), PRESENCE_EVERY_SECONDS * 1000)
    // Forgets those whose word has run out.
    const sweep = setInterval(() => setOthers((now) => Object.fromEntries(Object.entries(now).filter(([, p]) => p.until > Date.now()))), 5_000)
    document.addEventListener('input', onInput)
    return () => {
      clearInterval(every)
      clearInterval(sweep)
      document.removeEventListener('input', onInput)
    }
  }, [number])

  const present = Object.values(others).filter((p) => p.until > Date.now())
  return present.length > 0 ? (
    <p className="notice ticket-presence-notice">
      {present.map((p) => `${p.username} is also ${p.state === 'replying' ? 'replying to' : 'viewing'} this ticket.`).join(' ')}
    </p>
  ) : null
}
