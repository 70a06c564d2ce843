import { sql } from 'drizzle-orm'
import { db, rowsOf, type DbOrTx } from '#db/client.server'
import { realtimeEvents } from '#db/schema'

/** The one NOTIFY channel every process LISTENs on (one connection each, db/listen.server.ts). */
export const REALTIME_CHANNEL = 'parley_realtime'
/** Minutes an event stays replayable for a reconnecting browser; the prune job deletes older ones. */
export const REALTIME_KEEP_MINUTES = 10
/** NOTIFY payloads are capped at 8000 bytes by PostgreSQL; events carry ids and counts, never content. */
const MAX_PAYLOAD_CHARS = 4000

export type RealtimeEvent = { id: number; topic: string; payload: Record<string, unknown> }
export type NewRealtimeEvent = { topic: string; payload: Record<string, unknown> }

/**
 * Stores the events and NOTIFYs each in the caller's transaction, in one statement: listeners
 * hear them when it commits, never when it rolls back, so a browser told "answer 12 exists" can
 * load it. The row's id is the SSE id a reconnecting browser sends back as Last-Event-ID.
 */
export async function publish(tx: DbOrTx, events: NewRealtimeEvent | NewRealtimeEvent[]): Promise<number[]> {
  const list = Array.isArray(events) ? events : [events]
  if (list.length === 0) return []
  for (const event of list) {
    if (JSON.stringify(event.payload).length > MAX_PAYLOAD_CHARS) throw new Error(`A realtime event on ${event.topic} is too large: send ids, not content.`)
  }
  const rows = rowsOf<{ id: number | string }>(
    await tx.execute(sql`
      with stored as (
        insert into ${realtimeEvents} (topic, payload)
        select e.topic, e.payload from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as e(topic text, payload jsonb)
        returning id, topic, payload
      )
      select id, pg_notify(${REALTIME_CHANNEL}, json_build_object('id', id, 'topic', topic, 'payload', payload)::text) from stored`),
  )
  return rows.map((row) => Number(row.id))
}

/**
 * The events on these topics after `afterId` (a Last-Event-ID), and on `recentTopics` those of the
 * last `recentSeconds` (presence a fresh page should know about). At most `limit`, the newest.
 */
export async function eventsToReplay({ topics, afterId, recentTopics = [], recentSeconds = 0, limit = 200 }: { topics: string[]; afterId: number | null; recentTopics?: string[]; recentSeconds?: number; limit?: number }): Promise<RealtimeEvent[]> {
  const wanted = []
  if (afterId !== null && topics.length > 0) wanted.push(sql`(topic in ${textSet(topics)} and id > ${afterId})`)
  if (afterId === null && recentTopics.length > 0 && recentSeconds > 0) {
    wanted.push(sql`(topic in ${textSet(recentTopics)} and created_at > now() - make_interval(secs => ${recentSeconds}))`)
  }
  if (wanted.length === 0) return []
  const rows = rowsOf<{ id: number | string; topic: string; payload: Record<string, unknown> }>(
    await db.execute(sql`select id, topic, payload from ${realtimeEvents} where ${sql.join(wanted, sql` or `)} order by id desc limit ${limit}`),
  )
  return rows.reverse().map((row) => ({ id: Number(row.id), topic: row.topic, payload: row.payload }))
}

/** A set of strings as one parameter, the same on postgres.js and PGlite. */
const textSet = (values: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`

/** Deletes the events too old to replay (the realtime.prune job, every minute). */
export async function pruneRealtimeEvents(keepMinutes = REALTIME_KEEP_MINUTES) {
  await db.execute(sql`delete from ${realtimeEvents} where created_at < now() - make_interval(mins => ${keepMinutes})`)
}
