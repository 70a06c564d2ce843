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
  children,
}: {
  author: string
  createdAt: string
  bodyHtml: string
  label?: string
  badges?: ReactNode
  internal?: boolean
  /** Shown after the body, e.g. the message's attachments. */
  children?: ReactNode
}) {
  return (
    <article className={`ticket-message${internal ? ' internal' : ''}`} aria-label={`${label} from ${author}`}>
      <p className="meta">
        <strong>{author}</strong>
        {badges}
        <DateTime value={createdAt} />
      </p>
      <div className="post-body" dangerouslySetInnerHTML={{ __html: bodyHtml }} />
      {children}
    </article>
  )
}
