import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listOutbox } from '~/platform/mail.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { EmptyState } from '~/ui/empty-state'
import { DateTime } from '~/ui/time'

/** Mail kept instead of sent because no SMTP_URL is configured, newest first. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'read:outbox:any')
  const before = new URL(request.url).searchParams.get('before')
  return json(await listOutbox({ before }))
}

export default function Outbox() {
  const { mails, nextCursor } = useLoaderData<typeof loader>()
  return (
    <section>
      <h1>Outbox</h1>
      <p className="lede">No SMTP server is configured (SMTP_URL), so mail is kept here instead of being sent.</p>
      {mails.length === 0 ? <EmptyState title="No mail yet." /> : null}
      {mails.map((m) => (
        <article key={m.id} className="ticket-message" aria-label={`Mail to ${m.to}: ${m.subject}`}>
          <h2 className="mail-subject">{m.subject}</h2>
          <p className="meta">
            <span>To {m.to}</span>
            <DateTime value={m.createdAt} />
            <span>{m.messageId}</span>
          </p>
          <pre className="post-body mail-text">{m.text}</pre>
        </article>
      ))}
      {nextCursor ? (
        <p className="pagination">
          <Link to={`?before=${nextCursor}`}>Older mail</Link>
        </p>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Outbox · Parley' }]
