import { Form, Link } from '@remix-run/react'
import { RoleBadge } from '~/accounts/ui/role-badge'
import { UserLink } from '~/accounts/ui/user-link'
import { can, canOnTarget } from '~/platform/auth/permissions'
import { formatAge, formatDateTime } from '~/platform/dates'
import { ModerationNotice, RevisionHistory, type Revision, type ThreadAnswer, type ThreadQuestion, type ThreadViewer } from './thread-post'

/** Upvote or downvote; pressed when it is the viewer's current vote, and then it takes the vote back. */
export function VoteButton({ answerId, direction, current }: { answerId: number; direction: 1 | -1; current: number | null }) {
  const pressed = current === direction
  const word = direction === 1 ? 'upvote' : 'downvote'
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="answerId" value={answerId} />
      <input type="hidden" name="value" value={pressed ? 'clear' : direction === 1 ? 'up' : 'down'} />
      <button type="submit" name="intent" value="vote" aria-pressed={pressed} className="vote">
        {pressed ? `Remove ${word}` : word[0].toUpperCase() + word.slice(1)}
      </button>
    </Form>
  )
}

/** One button that sets or takes back a mark on an answer (accepted, official). */
function MarkButton({ answerId, intent, label }: { answerId: number; intent: string; label: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="answerId" value={answerId} />
      <button type="submit" name="intent" value={intent} className="secondary">
        {label}
      </button>
    </Form>
  )
}

/** Accept (the asker or staff) and mark official (agents and admins), each shown only to who may. */
export function AnswerMarkControls({ answerId, isAccepted, isOfficial, mayAccept, mayMarkOfficial }: { answerId: number; isAccepted: boolean; isOfficial: boolean; mayAccept: boolean; mayMarkOfficial: boolean }) {
  return (
    <>
      {mayAccept ? <MarkButton answerId={answerId} intent={isAccepted ? 'unaccept' : 'accept'} label={isAccepted ? 'Remove acceptance' : 'Accept answer'} /> : null}
      {mayMarkOfficial ? <MarkButton answerId={answerId} intent={isOfficial ? 'unmark-official' : 'mark-official'} label={isOfficial ? 'Remove official mark' : 'Mark as official answer'} /> : null}
    </>
  )
}

function AnswerView({ answer: a, question, revisions, now, user }: { answer: ThreadAnswer; question: ThreadQuestion; revisions: Revision[]; now: string; user: ThreadViewer }) {
  const isOfficial = a.id === question.officialAnswerId
  const isAccepted = a.id === question.acceptedAnswerId
  const isOwn = user?.id === a.authorId
  return (
    <article id={`answer-${a.id}`} className={`answer${isOfficial ? ' official' : ''}${isAccepted ? ' accepted' : ''}`} aria-labelledby={`answer-${a.id}-label`}>
      <h3 id={`answer-${a.id}-label`} className="visually-hidden">
        Answer by {a.authorUsername}
      </h3>
      <ModerationNotice kind="answer" hiddenReason={a.hiddenAt ? a.hiddenReason : null} removedReason={a.removedAt ? a.removedReason : null} editPath={isOwn && !a.reviewEditUsed ? `/answers/${a.id}/edit` : null} />
      {isOfficial ? <p className="badge badge-official">Official answer · marked by {question.officialMarkedBy}</p> : null}
      {isAccepted ? <p className="badge badge-solved">Accepted answer</p> : null}
      <div className="answer-layout">
        <div className="votes">
          <span className="score" aria-label={`Score ${a.score}`}>
            {a.score}
          </span>
          {user && !isOwn && can(user, 'vote:answer') ? (
            <>
              <VoteButton answerId={a.id} direction={1} current={a.viewerVote} />
              <VoteButton answerId={a.id} direction={-1} current={a.viewerVote} />
            </>
          ) : null}
        </div>
        <div className="answer-main">
          <div className="post-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
          <p className="meta">
            answered by <UserLink username={a.authorUsername} /> <RoleBadge role={a.authorRole} />{' '}
            <time dateTime={a.createdAt} title={formatDateTime(a.createdAt)}>
              {formatAge(a.createdAt, now)}
            </time>
          </p>
          <RevisionHistory revisions={revisions.filter((r) => r.postKind === 'answer' && r.postId === a.id)} editedAt={a.editedAt} now={now} />
          <div className="answer-actions">
            <AnswerMarkControls answerId={a.id} isAccepted={isAccepted} isOfficial={isOfficial} mayAccept={canOnTarget(user, 'accept:answer', user?.id === question.authorId)} mayMarkOfficial={can(user, 'mark-official:answer:any')} />
            {canOnTarget(user, 'update:post', isOwn) ? <Link to={`/answers/${a.id}/edit`}>Edit answer</Link> : null}
            {user && !isOwn ? (
              <Link to={`/report?target=answer:${a.id}`} className="report-link">
                Report answer
              </Link>
            ) : null}
          </div>
        </div>
      </div>
    </article>
  )
}

/** The thread's answers in the order the server gave them (official, accepted, score, age). */
export function AnswerList({ question, answers, revisions, now, user }: { question: ThreadQuestion; answers: ThreadAnswer[]; revisions: Revision[]; now: string; user: ThreadViewer }) {
  return (
    <section aria-labelledby="answers-heading" className="answers">
      <h2 id="answers-heading">
        {answers.length} {answers.length === 1 ? 'answer' : 'answers'}
      </h2>
      {answers.map((a) => (
        <AnswerView key={a.id} answer={a} question={question} revisions={revisions} now={now} user={user} />
      ))}
    </section>
  )
}
