import { gt } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { realtimeEvents } from '#db/schema'
import { markAllNotificationsRead } from '~/notifications/inbox.server'
import { fileReport } from '~/moderation/report.server'
import { createTicket } from '~/tickets/open.server'
import { createTestAnswer, createTestQuestion, createTestUser } from '../../../tests/factories'
import { eventsToReplay, publish, pruneRealtimeEvents } from './publish.server'
import { subscribe } from './stream.server'

/** What the product publishes when things happen, as stored for replay (and NOTIFYed at commit). */
async function eventsDuring(run: () => Promise<unknown>) {
  const before = (await db.select({ id: realtimeEvents.id }).from(realtimeEvents)).reduce((max, row) => Math.max(max, row.id), 0)
  await run()
  return db.select({ topic: realtimeEvents.topic, payload: realtimeEvents.payload }).from(realtimeEvents).where(gt(realtimeEvents.id, before)).orderBy(realtimeEvents.id)
}

describe('producers', () => {
  test('a new answer is announced on its thread; the asker’s bell gets the new unread count, and mark-all-read sets it to 0', async () => {
    const asker = await createTestUser()
    const answerer = await createTestUser()
    const question = await createTestQuestion({ authorId: asker.id })
    let answerId = 0
    const events = await eventsDuring(async () => {
      answerId = (await createTestAnswer({ questionId: question.id, authorId: answerer.id })).id
    })
    expect(events).toContainEqual({ topic: `thread:${question.id}`, payload: { answerId, authorId: answerer.id } })
    expect(events).toContainEqual({ topic: `user:${asker.id}`, payload: { unread: 1 } })
    expect(await eventsDuring(() => markAllNotificationsRead({ userId: asker.id }))).toEqual([{ topic: `user:${asker.id}`, payload: { unread: 0 } }])
  })

  test('a new ticket changes the agents’ queue; a report changes the moderators’', async () => {
    const member = await createTestUser()
    const details = { whatHappened: 'It fails', stepsTried: 'Restarted', environment: 'Firefox', accountDetails: 'acme' }
    const opened = await eventsDuring(() => createTicket({ requesterId: member.id, subject: 'Export fails', priority: 'medium', details }))
    expect(opened.map((e) => e.topic)).toContain('queue:tickets')
    const question = await createTestQuestion({ authorId: member.id })
    const reporter = await createTestUser()
    const reported = await eventsDuring(() => fileReport({ reporterId: reporter.id, targetKind: 'question', targetId: question.id, reason: 'spam', note: '' }))
    expect(reported.map((e) => e.topic)).toContain('queue:moderation')
  })
})

describe('the transport in one process (PGlite or PostgreSQL)', () => {
  test('a subscriber hears an event at commit, and never one rolled back', async () => {
    const heard: unknown[] = []
    const stop = await subscribe(['thread:1'], (event) => heard.push(event.payload))
    await db
      .transaction(async (tx) => {
        await publish(tx, { topic: 'thread:1', payload: { answerId: 1 } })
        throw new Error('rolled back')
      })
      .catch(() => {})
    await publish(db, { topic: 'thread:1', payload: { answerId: 2 } })
    await expect.poll(() => heard).toEqual([{ answerId: 2 }])
    stop()
  })

  test('replay gives the events after an id on the asked topics only; pruning drops old ones', async () => {
    const [first] = await publish(db, { topic: 'user:77', payload: { unread: 1 } })
    await publish(db, [
      { topic: 'user:77', payload: { unread: 2 } },
      { topic: 'user:78', payload: { unread: 9 } },
    ])
    const replayed = await eventsToReplay({ topics: ['user:77'], afterId: first })
    expect(replayed.map((e) => e.payload)).toEqual([{ unread: 2 }])
    await pruneRealtimeEvents(0)
    expect(await eventsToReplay({ topics: ['user:77'], afterId: 0 })).toEqual([])
  })

  test('a payload too large for NOTIFY is refused before anything is written', async () => {
    await expect(publish(db, { topic: 'user:1', payload: { text: 'x'.repeat(5000) } })).rejects.toThrow(/too large/)
  })
})
