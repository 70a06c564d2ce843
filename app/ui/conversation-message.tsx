import type { ReactNode } from 'react'
import { DateTime } from '~/ui/time'

/** One message of a private conversation (a ticket, a conflict case): who, when, the stored HTML. */
export function ConversationMessage({
  author,
  createdAt,
  bodyHtml,
  label = 'Message',
  badges,
  internal = false,
}: {
  author: string
  createdAt: string
  bodyHtml: string
  label?: string
  badges?: ReactNode
  internal?: boolean
}) {
  return (
    <article className={`ticket-message${internal ? ' internal' : ''}`} aria-label={`${label} from ${author}`}>
      <p className="meta">
        <strong>{author}</strong>
        {badges}
        <DateTime value={createdAt} />
      </p>
      <div className="post-body" dangerouslySetInnerHTML={{ __html: bodyHtml }} />
    </article>
  )
}
