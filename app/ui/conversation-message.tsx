import type { ReactNode } from 'react'
import { formatDateTime } from '~/platform/dates'

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
        <time dateTime={createdAt}>{formatDateTime(createdAt)}</time>
      </p>
      <div className="post-body" dangerouslySetInnerHTML={{ __html: bodyHtml }} />
    </article>
  )
}
