import { useEffect, useState } from 'react'

type Live = typeof import('./ticket-presence-live')

/**
 * Who else is on this ticket (collision detection). The region is in the page from the start, so
 * screen readers hear what appears in it; what fills it (ticket-presence-live.tsx) is a dynamic
 * import after hydration, no part of the page's first JavaScript (decision 034). Without
 * JavaScript nothing is sent or shown.
 */
export function TicketPresence({ number }: { number: number }) {
  const [live, setLive] = useState<Live | null>(null)
  useEffect(() => {
    let mounted = true
    void import('./ticket-presence-live').then((module) => mounted && setLive(module))
    return () => {
      mounted = false
    }
  }, [])
  return (
    <div aria-live="polite" className="ticket-presence">
      {live ? <live.PresenceNotice number={number} /> : null}
    </div>
  )
}
