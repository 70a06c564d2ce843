/**
 * Server-Sent Events for the browser. One LISTEN per process (db/listen.server.ts) hears every
 * event any process publishes; this module hands each to the open streams of this process that
 * asked for its topic (in-memory sets keyed by topic: fan-out, not a broker). A stream replays
 * what a reconnecting browser missed (Last-Event-ID), sends a comment line as a heartbeat, and ends
 * when the process is told to stop, so open streams never hold up a graceful shutdown.
 * docs/decisions/029-realtime-sse.md.
 */
import { listen } from '#db/listen.server'
import { onBeforeClose } from '#db/client.server'
import { env } from '../env.server'
import { logger } from '../logger.server'
import { onStopping } from '../supervision.server'
import { eventsToReplay, REALTIME_CHANNEL, type RealtimeEvent } from './publish.server'

type Subscriber = (event: RealtimeEvent) => void
type HubState = {
  byTopic: Map<string, Set<Subscriber>>
  /** Every open stream's close function, for the shutdown. */
  streams: Set<() => void>
  listening: Promise<unknown> | null
}

// One per process: app/server.ts and the Remix build each load their own copy of this module.
const hubKey = Symbol.for('parley.realtime.hub')
type GlobalWithHub = typeof globalThis & { [hubKey]?: HubState }

function hub(): HubState {
  const g = globalThis as GlobalWithHub
  if (!g[hubKey]) {
    const state: HubState = { byTopic: new Map(), streams: new Set(), listening: null }
    g[hubKey] = state
    onStopping(() => endAllStreams())
    // Closing the database stops every LISTEN; the next subscriber listens again.
    onBeforeClose(async () => {
      state.listening = null
    })
  }
  return g[hubKey]!
}

function dispatch(payload: string) {
  let event: RealtimeEvent
  try {
    event = JSON.parse(payload) as RealtimeEvent
  } catch {
    return
  }
  for (const subscriber of hub().byTopic.get(event.topic) ?? []) subscriber(event)
}

/** Calls `onEvent` for every event on these topics, from any process; resolves once listening. */
export async function subscribe(topics: string[], onEvent: Subscriber): Promise<() => void> {
  const state = hub()
  for (const topic of topics) {
    const set = state.byTopic.get(topic) ?? new Set()
    state.byTopic.set(topic, set)
    set.add(onEvent)
  }
  state.listening ??= listen(REALTIME_CHANNEL, dispatch).catch((error: unknown) => {
    state.listening = null
    throw error
  })
  const unsubscribe = () => {
    for (const topic of topics) {
      const set = state.byTopic.get(topic)
      set?.delete(onEvent)
      if (set?.size === 0) state.byTopic.delete(topic)
    }
  }
  try {
    await state.listening
  } catch (error) {
    unsubscribe()
    throw error
  }
  return unsubscribe
}

/** Ends every open stream of this process (on SIGTERM); browsers reconnect to another process. */
export function endAllStreams() {
  const state = (globalThis as GlobalWithHub)[hubKey]
  for (const close of state?.streams ?? []) close()
}

/** Streams open in this process now (for the bench and tests). */
export const openStreamCount = () => (globalThis as GlobalWithHub)[hubKey]?.streams.size ?? 0

const encoder = new TextEncoder()
const frame = (event: RealtimeEvent) => `id: ${event.id}\ndata: ${JSON.stringify({ topic: event.topic, payload: event.payload })}\n\n`

/**
 * The text/event-stream response for topics the caller has already authorized. `afterId` is the
 * Last-Event-ID (or the `after` parameter of a page that changed its topics); with none,
 * `recentTopics` replay their last `recentSeconds` instead (who is on a ticket now).
 */
export async function eventStream({ signal, topics, afterId, recentTopics = [], recentSeconds = 0 }: { signal: AbortSignal; topics: string[]; afterId: number | null; recentTopics?: string[]; recentSeconds?: number }): Promise<Response> {
  const state = hub()
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let closed = false
  let heartbeat: ReturnType<typeof setInterval> | undefined
  let unsubscribe = () => {}
  const close = () => {
    if (closed) return
    closed = true
    clearInterval(heartbeat)
    unsubscribe()
    state.streams.delete(close)
    signal.removeEventListener('abort', close)
    try {
      controller.close()
    } catch {
      // Already cancelled by the browser going away.
    }
  }
  const send = (text: string) => {
    if (closed) return
    try {
      controller.enqueue(encoder.encode(text))
    } catch {
      close()
    }
  }
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c
    },
    cancel: () => close(),
  })

  // Live events that arrive while the replay is read wait, then go out unless the replay had them.
  let held: RealtimeEvent[] | null = []
  unsubscribe = await subscribe(topics, (event) => (held ? held.push(event) : send(frame(event))))
  state.streams.add(close)
  signal.addEventListener('abort', close)
  if (signal.aborted) close()
  send(`retry: 3000\n: connected\n\n`)
  try {
    const replayed = await eventsToReplay({ topics, afterId, recentTopics, recentSeconds })
    const seen = new Set(replayed.map((event) => event.id))
    for (const event of replayed) send(frame(event))
    for (const event of held) if (!seen.has(event.id)) send(frame(event))
  } catch (error) {
    logger.warn({ err: error }, 'realtime replay failed; the stream goes on with live events')
  }
  held = null
  heartbeat = setInterval(() => send(`: heartbeat\n\n`), env.realtimeHeartbeatMs)
  heartbeat.unref()
  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform keeps the compression middleware from buffering the stream.
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    },
  })
}
