import { sql } from 'drizzle-orm'
import { bigserial, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core'
import { timestamptz } from './columns'

/**
 * Every realtime event, kept a few minutes so a browser that reconnects replays what it missed
 * (its Last-Event-ID is this id). app/platform/realtime publishes a row and NOTIFYs it in the same
 * transaction; docs/decisions/029-realtime-sse.md.
 */
export const realtimeEvents = pgTable(
  'realtime_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    topic: text('topic').notNull(),
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('realtime_events_topic_id_idx').on(t.topic, t.id), index('realtime_events_created_at_idx').on(t.createdAt)],
)
