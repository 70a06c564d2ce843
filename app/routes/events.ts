import type { LoaderFunctionArgs } from '@remix-run/node'
import { contentVisible, viewerOf } from '~/forum/visibility.server'
import { getUser } from '~/platform/auth/auth.server'
import { can } from '~/platform/auth/permissions'
import { eventStream } from '~/platform/realtime/stream.server'
import { ticketVisibleTo } from '~/tickets/presence.server'
import { chatVisibleTo } from '~/tickets/chat/chats.server'

const MAX_TOPICS = 8
const TOPIC = /^(thread|user|ticket|chat):([1-9]\d{0,9})$|^queue:(tickets|moderation|chats)$/
/** Ticket presence older than this is over; a fresh page hears the rest at once. */
const PRESENCE_REPLAY_SECONDS = 50

type Refusal = { status: 400 | 403 | 404; message: string }

/**
 * Who may hear which topic: the one place that decides it. Each answers with the status the page
 * of the same thing would give (404 for what the viewer may not know exists).
 */
async function refusalFor(topic: string, user: ReturnType<typeof getUser>): Promise<Refusal | null> {
  const match = TOPIC.exec(topic)
  if (!match) return { status: 400, message: `Unknown topic: ${topic.slice(0, 40)}` }
  const [, kind, rawId, queue] = match
  const id = Number(rawId)
  if (kind === 'thread') return (await contentVisible({ kind: 'question', id, viewer: viewerOf(user) })) ? null : { status: 404, message: 'Not found' }
  if (!user) return { status: 403, message: 'Sign in to follow this.' }
  if (kind === 'user') return user.id === id ? null : { status: 403, message: 'Not yours to follow.' }
  if (kind === 'ticket') return (await ticketVisibleTo({ number: id, viewer: user })) ? null : { status: 404, message: 'Not found' }
  if (kind === 'chat') return (await chatVisibleTo({ chatId: id, viewer: user })) ? null : { status: 404, message: 'Not found' }
  if (queue === 'tickets' || queue === 'chats') return can(user, 'work:ticket:any') ? null : { status: 403, message: 'Only agents follow the ticket queue.' }
  return can(user, 'moderate:content:any') ? null : { status: 403, message: 'Only moderators follow the moderation queue.' }
}

const lastEventId = (value: string | null) => (value && /^\d{1,15}$/.test(value) ? Number(value) : null)

/**
 * GET /events?topics=a,b: Server-Sent Events for the pages' live parts (app/ui/live-updates.ts).
 * Every topic is authorized here; one refused refuses the stream. Last-Event-ID (or `after`, from a
 * page that changed its topics) replays what was missed.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const topics = [...new Set((url.searchParams.get('topics') ?? '').split(',').filter(Boolean))]
  const text = (status: number, message: string) => new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  if (topics.length === 0 || topics.length > MAX_TOPICS) return text(400, `Name between 1 and ${MAX_TOPICS} topics.`)
  const user = getUser(context)
  for (const topic of topics) {
    const refusal = await refusalFor(topic, user)
    if (refusal) return text(refusal.status, refusal.message)
  }
  const afterId = lastEventId(request.headers.get('Last-Event-ID')) ?? lastEventId(url.searchParams.get('after'))
  return eventStream({
    signal: request.signal,
    topics,
    afterId,
    recentTopics: topics.filter((topic) => topic.startsWith('ticket:')),
    recentSeconds: PRESENCE_REPLAY_SECONDS,
  })
}
