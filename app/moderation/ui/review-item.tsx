import { Form, Link } from '@remix-run/react'
import type { SerializeFrom } from '@remix-run/node'
import { ConversationMessage } from '~/ui/conversation-message'
import { Field, FormErrors } from '~/ui/field'
import { formStateFor } from '~/platform/form-state'
import type { ReviewItemData } from '../queue.server'
import { conflictMessage, Decision } from './decision-form'
import { DateTime } from '~/ui/time'
import { DeleteSpammerForm } from './delete-spammer-form'

export type ReviewItemPageData = SerializeFrom<ReviewItemData> & { viewerId: number; decisions: { actions: string[]; notice: string | null }; templates: { id: number; name: string }[] }

/** A queue item as a moderator sees it: what it is about, its reports and history, and what they may decide. */
export function ReviewItem({ data, actionData }: { data: ReviewItemPageData; actionData: unknown }) {
  const { item, target, reports, history, appealedAction, parties, messages, viewerId, decisions, templates } = data
  const pending = item.status === 'pending'
  const conflict = conflictMessage(actionData)
  return (
    <article aria-labelledby="item-title">
      <p>
        <Link to="/mod/queue">Back to the queue</Link>
      </p>
      <h1 id="item-title">
        {item.kind === 'report' ? 'Report' : item.kind === 'appeal' ? 'Appeal' : item.kind === 'queued-post' ? 'Post awaiting approval' : 'Conflict case'} #{item.id}
      </h1>
      <p className="meta">
        <span>{pending ? 'Pending' : `Resolved: ${item.resolution}`}</span>
        <span>opened <DateTime value={item.createdAt} /></span>
        {item.reasons.length ? <span>reasons: {item.reasons.join(', ')}</span> : null}
        {item.kind === 'report' ? <span>score {item.score}</span> : null}
      </p>
      {!pending ? (
        <p className="notice">
          Decided by {item.resolvedByUsername ?? 'Parley'} {item.resolvedAt ? <>on <DateTime value={item.resolvedAt} /></> : ''}: {item.resolutionReason}
        </p>
      ) : null}
      {conflict ? (
        <div role="alert" className="form-errors">
          <p>{conflict}</p>
        </div>
      ) : null}

      {pending ? (
        <Form method="post" className="inline-form">
          <span>{item.claimedByUsername ? `Claimed by ${item.claimedByUsername}` : 'No one has claimed this item.'}</span>
          {item.claimedById === viewerId ? (
            <button type="submit" name="intent" value="release" className="secondary">
              Release
            </button>
          ) : (
            <button type="submit" name="intent" value="claim" className="secondary">
              {item.claimedByUsername ? 'Take over' : 'Claim'}
            </button>
          )}
        </Form>
      ) : null}

      {item.statement ? (
        <section aria-labelledby="statement-heading">
          <h2 id="statement-heading">{item.kind === 'appeal' ? `Statement by ${item.openedByUsername}` : item.kind === 'queued-post' ? 'Why it waits' : 'Description'}</h2>
          {item.kind === 'queued-post' ? (
            <ul>
              {item.statement.split('\n').map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          ) : (
            <p className="post-body">{item.statement}</p>
          )}
        </section>
      ) : null}

      {appealedAction ? (
        <section aria-labelledby="appealed-heading">
          <h2 id="appealed-heading">The decision under appeal</h2>
          <p>
            {appealedAction.action} by {appealedAction.moderatorUsername ?? 'Parley'} on <DateTime value={appealedAction.createdAt} />: {appealedAction.reason}
          </p>
        </section>
      ) : null}

      {target ? (
        <section aria-labelledby="content-heading">
          <h2 id="content-heading">{target.kind === 'user' ? 'The member' : 'The content'}</h2>
          <p className="meta">
            <Link to={target.path}>{target.kind === 'user' ? target.username : target.title}</Link>
            <span>by {target.username}</span>
            {target.hiddenAt ? <span className="badge badge-flag">Hidden</span> : null}
            {target.removedAt ? <span className="badge badge-flag">Removed</span> : null}
            {target.queuedAt ? <span className="badge">Awaiting approval</span> : null}
            {target.lockedAt ? <span className="badge">Locked thread</span> : null}
          </p>
          {target.bodyHtml ? <div className="post-body" dangerouslySetInnerHTML={{ __html: target.bodyHtml }} /> : null}
        </section>
      ) : null}

      {reports.length ? (
        <section aria-labelledby="reports-heading">
          <h2 id="reports-heading">Reports</h2>
          <ul>
            {reports.map((r) => (
              <li key={r.id}>
                {r.reporterUsername}: {r.reason} (weight {r.weight}, {r.status}) {r.note ? `— “${r.note}”` : ''} <span className="muted"><DateTime value={r.createdAt} /></span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {item.kind === 'conflict' ? <CaseThread pending={pending} parties={parties} messages={messages} actionData={actionData} /> : null}

      {pending ? (
        <Decision
          kind={item.kind}
          version={item.version}
          allowed={decisions.actions}
          notice={decisions.notice}
          parties={parties}
          actionData={actionData}
          templates={templates}
          post={target && target.kind !== 'user' ? { kind: target.kind, title: target.title, bodySource: target.bodySource } : null}
        />
      ) : null}
      {pending && item.kind === 'report' ? (
        <Form method="post" noValidate className="convert-form">
          <Field label="Note to open a conflict case with the reporters (optional)" name="note" id="conflict-note" />
          <button type="submit" name="intent" value="open-conflict" className="secondary">
            Open a conflict case
          </button>
        </Form>
      ) : null}

      {!pending && item.resolution === 'remove' && item.removalActionId ? <RestoreForm actionId={item.removalActionId} actionData={actionData} /> : null}

      {pending && item.kind === 'report' && target && target.userRole === 'member' ? <DeleteSpammerForm userId={target.userId} username={target.username} reviewItemId={item.id} /> : null}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Moderation history of {target?.username ?? 'this member'}</h2>
        {target ? (
          <p>
            <Link to={`/mod/users/${encodeURIComponent(target.username)}`}>Everything about {target.username}: counts, notes, linked accounts</Link>
          </p>
        ) : null}
        {history.length === 0 ? <p className="muted">No earlier actions.</p> : null}
        <ol className="history">
          {history.map((h) => (
            <li key={h.id}>
              <DateTime value={h.createdAt} />: {h.action} by {h.moderatorUsername ?? 'Parley'} — {h.reason}
            </li>
          ))}
        </ol>
      </section>
    </article>
  )
}

function CaseThread({ pending, parties, messages, actionData }: Pick<ReviewItemPageData, 'parties' | 'messages'> & { pending: boolean; actionData: unknown }) {
  const message = formStateFor(actionData, 'message')
  return (
    <section aria-labelledby="case-heading">
      <h2 id="case-heading">Private thread with {parties.map((p) => p.username).join(' and ')}</h2>
      {messages.map((m) => (
        <ConversationMessage key={m.id} author={m.authorUsername} createdAt={m.createdAt} bodyHtml={m.bodyHtml} />
      ))}
      {pending ? (
        <Form method="post" noValidate>
          <Field as="textarea" label="Message to the parties" name="body" rows={3} defaultValue={message.value('body')} errors={message.errorsFor('body')} />
          <button type="submit" name="intent" value="message" className="secondary">
            Send message
          </button>
        </Form>
      ) : null}
    </section>
  )
}

function RestoreForm({ actionId, actionData }: { actionId: number; actionData: unknown }) {
  const reverse = formStateFor(actionData, 'reverse')
  return (
    <Form method="post" noValidate aria-labelledby="restore-heading">
      <h2 id="restore-heading">Restore</h2>
      <FormErrors errors={reverse.formErrors} />
      <input type="hidden" name="actionId" value={actionId} />
      <Field label="Reason for restoring" name="reason" id="restore-reason" defaultValue={reverse.value('reason')} errors={reverse.errorsFor('reason')} />
      <button type="submit" name="intent" value="reverse" className="secondary">
        Restore content
      </button>
    </Form>
  )
}
