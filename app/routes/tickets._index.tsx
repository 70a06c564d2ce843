import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { SelectField } from '~/ui/field'
import { PRIORITY_OPTIONS, SLA_OPTIONS } from '~/tickets/constants'
import { PriorityBadge, SlaBadge, StatusBadge, TicketLink } from '~/tickets/ui/badges'
import { listTicketQueue, type QueueFilters } from '~/tickets/queue.server'
import { listRequesterTickets } from '~/tickets/read.server'
import { chatsOfMember } from '~/tickets/chat/chats.server'
import { CHAT_STATE_LABELS, chatPath } from '~/tickets/chat/constants'
import { requireUser } from '~/platform/auth/auth.server'
import { decodeNullableCursor } from '~/platform/cursor'
import { oneOf } from '~/platform/misc'
import { can } from '~/platform/auth/permissions'
import { LiveQueueNotice } from '~/ui/live-queue-notice'
import { EmptyState } from '~/ui/empty-state'
import { DateTime } from '~/ui/time'
import { CallBackBadge } from '~/tickets/ui/call-back'
import callBackStyles from '~/tickets/ui/call-back.css'
import { DataTable } from '~/ui/data-table'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: callBackStyles }]

/** Reads the queue's filters from the query string; anything unknown falls back to the default. */
function queueFilters(url: URL, agentTier: number | null) {
  const p = url.searchParams
  const tierParam = p.get('tier')
  // Agents see their own tier's queue unless they ask for another.
  const tier = tierParam === 'all' ? null : (Number(oneOf(tierParam, ['1', '2', '3'])) || agentTier || null)
  const assigneeParam = p.get('assignee')
  const filters: QueueFilters = {
    tier: tier as QueueFilters['tier'],
    priority: oneOf(p.get('priority'), PRIORITY_OPTIONS.map((o) => o.value)),
    status: oneOf(p.get('status'), ['active', 'open', 'pending', 'solved', 'closed', 'all']) ?? 'active',
    assignee: assigneeParam === 'me' || assigneeParam === 'unassigned' ? assigneeParam : null,
    sla: oneOf(p.get('sla'), SLA_OPTIONS.map((o) => o.value)),
  }
  return { filters, form: { tier: tier ? String(tier) : 'all', priority: filters.priority ?? '', status: filters.status ?? 'active', assignee: filters.assignee ?? '', sla: filters.sla ?? '' } }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const url = new URL(request.url)
  const after = decodeNullableCursor(url.searchParams.get('after'))
  if (can(user, 'work:ticket:any')) {
    const { filters, form } = queueFilters(url, user.supportTier)
    const queue = await listTicketQueue({ viewer: user, filters, after })
    return json({ view: 'queue' as const, ...queue, form, mine: null, chats: [], now: new Date().toISOString() })
  }
  // Chats sit beside the tickets on the first page: the newest few, newest first.
  const [mine, chats] = await Promise.all([listRequesterTickets({ requesterId: user.id, after }), after ? Promise.resolve([]) : chatsOfMember({ memberId: user.id })])
  return json({ view: 'mine' as const, mine, chats, tickets: null, nextCursor: null, form: null, now: null })
}

export default function Tickets() {
  const data = useLoaderData<typeof loader>()
  if (data.view === 'mine' && data.mine) {
    const { tickets, nextCursor } = data.mine
    return (
      <section>
        <div className="page-heading">
          <h1>My support requests</h1>
          <Link to="/tickets/new">Contact support</Link>
        </div>
        {tickets.length === 0 ? <EmptyState title="You have no support requests yet." /> : null}
        {tickets.length > 0 ? (
          <DataTable
            rows={tickets}
            rowKey={(t) => t.number}
            columns={[
              { label: 'Request', cell: (t) => <TicketLink ticket={t} /> },
              { label: 'Status', cell: (t) => <StatusBadge status={t.status} /> },
              { label: 'Updated', cell: (t) => <DateTime value={t.updatedAt} /> },
            ]}
          />
        ) : null}
        {nextCursor ? (
          <p className="pagination">
            <Link to={`?after=${nextCursor}`}>Older requests</Link>
          </p>
        ) : null}
        {data.chats.length > 0 ? (
          <section aria-labelledby="my-chats-title">
            <h2 id="my-chats-title">Chats</h2>
            <DataTable
              rows={data.chats}
              rowKey={(c) => c.id}
              columns={[
                {
                  label: 'Chat',
                  cell: (c) => (
                    <>
                      <Link to={chatPath(c.id)}>{c.firstMessage || `Chat #${c.id}`}</Link>
                      {c.ticketNumber ? <> (ticket <Link to={`/tickets/${c.ticketNumber}`}>#{c.ticketNumber}</Link>)</> : null}
                    </>
                  ),
                },
                { label: 'State', cell: (c) => CHAT_STATE_LABELS[c.state] },
                { label: 'Started', cell: (c) => <DateTime value={c.startedAt} /> },
              ]}
            />
          </section>
        ) : null}
      </section>
    )
  }
  const { tickets, nextCursor, form } = data
  const query = new URLSearchParams(Object.entries(form ?? {}).filter(([, v]) => v) as [string, string][])
  return (
    <section>
      <div className="page-heading">
        <h1>Ticket queue</h1>
        <Link to="/staff/sla">SLA report</Link>
      </div>
      <LiveQueueNotice topic="queue:tickets" />
      <Form method="get" className="filters" aria-label="Filter the queue">
        <SelectField label="Tier" name="tier" defaultValue={form?.tier} options={[{ value: 'all', label: 'All tiers' }, { value: '1', label: 'Tier 1' }, { value: '2', label: 'Tier 2' }, { value: '3', label: 'Tier 3' }]} />
        <SelectField label="Priority" name="priority" defaultValue={form?.priority} options={[{ value: '', label: 'Any priority' }, ...PRIORITY_OPTIONS]} />
        <SelectField
          label="Status"
          name="status"
          defaultValue={form?.status}
          options={[
            { value: 'active', label: 'Open or pending' },
            { value: 'open', label: 'Open' },
            { value: 'pending', label: 'Pending' },
            { value: 'solved', label: 'Solved' },
            { value: 'closed', label: 'Closed' },
            { value: 'all', label: 'Any status' },
          ]}
        />
        <SelectField label="Assignee" name="assignee" defaultValue={form?.assignee} options={[{ value: '', label: 'Anyone' }, { value: 'me', label: 'Me' }, { value: 'unassigned', label: 'Unassigned' }]} />
        <SelectField label="SLA" name="sla" defaultValue={form?.sla} options={[{ value: '', label: 'Any SLA state' }, ...SLA_OPTIONS]} />
        <button type="submit">Filter</button>
      </Form>
      {tickets?.length === 0 ? <EmptyState title="No tickets match these filters." /> : null}
      {tickets && tickets.length > 0 ? (
        <DataTable
          rows={tickets}
          rowKey={(t) => t.number}
          columns={[
            {
              label: 'Ticket',
              cell: (t) => (
                <>
                  <TicketLink ticket={t} />{' '}
                  {t.escalationRequested ? <span className="badge badge-flag">Escalation requested</span> : null}
                  {t.needsTriage ? <span className="badge badge-flag">Unknown sender</span> : null}
                  {t.callBackDueAt ? <CallBackBadge dueAt={t.callBackDueAt} overdue={!!data.now && t.callBackDueAt < data.now} /> : null}
                </>
              ),
            },
            { label: 'SLA', cell: (t) => <SlaBadge state={t.slaBadge} /> },
            { label: 'Next due', cell: (t) => (t.nextDueAt ? <DateTime value={t.nextDueAt} /> : '—') },
            { label: 'Priority', cell: (t) => <PriorityBadge priority={t.priority} /> },
            { label: 'Status', cell: (t) => <StatusBadge status={t.status} /> },
            { label: 'Tier', cell: (t) => t.tier },
            { label: 'Requester', cell: (t) => t.requester },
            { label: 'Assignee', cell: (t) => t.assigneeUsername ?? 'Unassigned' },
          ]}
        />
      ) : null}
      {nextCursor ? (
        <p className="pagination">
          <Link to={`?${query.toString()}&after=${nextCursor}`}>Next page</Link>
        </p>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Tickets · Parley' }, { name: 'description', content: 'Your support requests and their status.' }]
