import { useRevalidator } from '@remix-run/react'
import { useState } from 'react'
import { useLiveTopic } from './live-updates'

/**
 * On a queue page (agents' tickets, moderators' review items): when the queue changes, says so and
 * offers to refresh it, rather than moving rows under the reader's pointer. Nothing without JS.
 */
export function LiveQueueNotice({ topic }: { topic: string }) {
  const [changed, setChanged] = useState(false)
  const revalidator = useRevalidator()
  useLiveTopic(topic, () => setChanged(true))
  return (
    <div aria-live="polite" className="live-queue">
      {changed ? (
        <p className="notice live-queue-notice">
          This queue has changed.{' '}
          <button
            type="button"
            onClick={() => {
              setChanged(false)
              revalidator.revalidate()
            }}
          >
            Refresh the queue
          </button>
        </p>
      ) : null}
    </div>
  )
}
