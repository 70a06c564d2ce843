import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { claimUnansweredQuestion, listUnansweredQuestions } from '~/forum/unanswered.server'
import { decodeCursor } from '~/platform/cursor'
import { idOrNull, invariantResponse, questionPath } from '~/platform/misc'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { readFields } from '~/platform/request-input.server'
import { EmptyState } from '~/ui/empty-state'
import { Age } from '~/ui/time'
import { DataTable } from '~/ui/data-table'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const agent = requireUserWithPermission(request, context, 'watch:unanswered:any')
  const after = decodeCursor(new URL(request.url).searchParams.get('after'))
  return json({ ...(await listUnansweredQuestions({ after })), viewerId: agent.id, now: new Date().toISOString() })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const agent = requireUserWithPermission(request, context, 'watch:unanswered:any')
  const formData = await readFields(request)
  const questionId = idOrNull(String(formData.get('questionId')))
  const intent = formData.get('intent')
  invariantResponse(questionId && (intent === 'claim' || intent === 'release'), 'Choose a question.', { status: 400 })
  const done = await claimUnansweredQuestion({ questionId, agentId: agent.id, release: intent === 'release' })
  invariantResponse(done, 'That question is no longer waiting for an answer.')
  return redirect('/staff/unanswered')
}

export default function UnansweredWatch() {
  const { questions, nextCursor, viewerId, now } = useLoaderData<typeof loader>()
  return (
    <section>
      <div className="page-heading">
        <h1>Unanswered questions</h1>
        <Link to="/staff">Staff dashboard</Link>
      </div>
      <p className="lede">Questions the community left without an answer, longest waiting first. Take one, answer it, or convert it to a ticket from the thread.</p>
      {questions.length === 0 ? <EmptyState title="Every question has an answer. Nice." /> : null}
      <DataTable
        rows={questions}
        rowKey={(q) => q.id}
        columns={[
          {
            label: 'Question',
            cell: (q) => (
              <>
                <Link to={questionPath(q)}>{q.title}</Link> <span className="muted">by {q.authorUsername}</span>
              </>
            ),
          },
          { label: 'Waiting', cell: (q) => <Age value={q.createdAt} now={now} /> },
          { label: 'Category', cell: (q) => <Link to={`/c/${q.categorySlug}`}>{q.categoryName}</Link> },
          { label: 'Taken by', cell: (q) => q.claimedByUsername ?? '—' },
          {
            label: 'Actions',
            cell: (q) => (
              <Form method="post" className="inline-form">
                <input type="hidden" name="questionId" value={q.id} />
                {q.claimedById === viewerId ? (
                  <button type="submit" name="intent" value="release" className="secondary" aria-label={`Release ${q.title}`}>
                    Release
                  </button>
                ) : (
                  <button type="submit" name="intent" value="claim" className="secondary" aria-label={`I'll take ${q.title}`}>
                    I’ll take this
                  </button>
                )}
                <Link to={`${questionPath(q)}#your-answer-heading`}>Answer</Link>
                <Link to={`${questionPath(q)}#convert-priority`}>Convert to ticket</Link>
              </Form>
            ),
          },
        ]}
      />
      {nextCursor ? (
        <p className="pagination">
          <Link to={`?after=${nextCursor}`}>More</Link>
        </p>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Unanswered questions · Parley' }]
