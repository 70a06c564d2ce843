import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { publish } from '~/platform/realtime/publish.server'
import { createTicket } from '~/tickets/open.server'
import { createTestQuestion, createTestUser, sessionCookieFor } from '../factories'
import { startProcess } from './server-process'
import { openEventStream } from './sse-client'

/**
 * The realtime transport across real processes: two `npm start` servers on one PostgreSQL
 * database (this file's, tests/setup/per-file-database.ts), each with one web worker. An event
 * published through one reaches a browser connected to the other, a reconnecting browser replays
 * what it missed, topics are authorized, heartbeats flow, and SIGTERM ends the streams.
 */
const portA = 3372
const portB = 3373
let serverA: ReturnType<typeof startProcess>
let serverB: ReturnType<typeof startProcess>
const start = (port: number) => startProcess('app/server.ts', { PORT: String(port), WEB_CONCURRENCY: '1', JOBS_IN_PROCESS: '0', DATABASE_POOL_SIZE: '3', REALTIME_HEARTBEAT_MS: '300' })
const running = (line: { msg?: string }) => String(line.msg).startsWith('Parley is running')

let agent: Awaited<ReturnType<typeof createTestUser>>
let member: Awaited<ReturnType<typeof createTestUser>>
let agentCookie: string
let memberCookie: string
let ticketNumber: number
let questionId: number

beforeAll(async () => {
  agent = await createTestUser({ role: 'agent', supportTier: 1 })
  member = await createTestUser()
  agentCookie = await sessionCookieFor(agent.id)
  memberCookie = await sessionCookieFor(member.id)
  const details = { whatHappened: 'It fails', stepsTried: 'Restarted', environment: 'Firefox', accountDetails: 'acme' }
  ticketNumber = (await createTicket({ requesterId: member.id, subject: 'Export fails', priority: 'medium', details })).number
  questionId = (await createTestQuestion({ authorId: member.id })).id
  // One after the other: both would migrate and seed the same database at once otherwise.
  serverA = start(portA)
  await serverA.waitForLine(running, { timeoutMs: 170_000 })
  serverB = start(portB)
  await serverB.waitForLine(running, { timeoutMs: 170_000 })
}, 360_000)

async function stop(server: ReturnType<typeof startProcess> | undefined) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return
  server.child.kill('SIGTERM')
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000)
  await server.exited
  clearTimeout(timer)
}

afterAll(async () => {
  await Promise.all([stop(serverA), stop(serverB)])
}, 60_000)

const dataOf = (stream: ReturnType<typeof openEventStream>) => stream.frames.map((f) => f.data as { topic: string; payload: Record<string, unknown> })

describe('two web processes on one PostgreSQL database', () => {
  test('presence posted to process B reaches a browser streaming from process A, and the other way round', async () => {
    const onA = openEventStream(portA, `/events?topics=ticket:${ticketNumber}`, { Cookie: memberCookie })
    const onB = openEventStream(portB, `/events?topics=ticket:${ticketNumber}`, { Cookie: agentCookie })
    await Promise.all([onA.ready(), onB.ready()])
    expect(onA.status()).toBe(200)

    const post = (port: number, cookie: string) =>
      fetch(`http://127.0.0.1:${port}/tickets/${ticketNumber}/presence`, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: `http://127.0.0.1:${port}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'state=replying',
      })
    expect((await post(portB, agentCookie)).status).toBe(200)
    await onA.until(() => dataOf(onA).some((d) => d.payload.username === agent.username && d.payload.state === 'replying'), 'the agent’s presence on A')
    expect((await post(portA, memberCookie)).status).toBe(200)
    await onB.until(() => dataOf(onB).some((d) => d.payload.username === member.username), 'the member’s presence on B')
    onA.close()
    onB.close()
  })

  test('an event published by a third process reaches both; a browser that reconnects with Last-Event-ID gets what it missed, once', async () => {
    const topic = `thread:${questionId}`
    const onA = openEventStream(portA, `/events?topics=${topic}`)
    const onB = openEventStream(portB, `/events?topics=${topic}`)
    await Promise.all([onA.ready(), onB.ready()])
    const [first] = await publish(db, { topic, payload: { answerId: 101 } })
    await onA.until(() => onA.frames.some((f) => f.id === String(first)), 'the first event on A')
    await onB.until(() => onB.frames.some((f) => f.id === String(first)), 'the first event on B')
    onA.close()
    onB.close()

    const [missed1] = await publish(db, { topic, payload: { answerId: 102 } })
    const [missed2] = await publish(db, { topic, payload: { answerId: 103 } })
    const back = openEventStream(portB, `/events?topics=${topic}`, { 'Last-Event-ID': String(first) })
    await back.until(() => back.frames.length >= 2, 'the replay')
    expect(back.frames.map((f) => f.id)).toEqual([String(missed1), String(missed2)])
    expect(dataOf(back).map((d) => d.payload.answerId)).toEqual([102, 103])
    back.close()
  })

  test('topics are authorized on the server: 404 for a ticket or thread one may not see, 403 for another’s bell or a queue, 400 for nonsense', async () => {
    const other = await createTestUser()
    const otherCookie = await sessionCookieFor(other.id)
    const answer = async (path: string, cookie?: string) => {
      const response = await fetch(`http://127.0.0.1:${portA}${path}`, { headers: cookie ? { Cookie: cookie } : {} })
      await response.body?.cancel()
      return response.status
    }
    expect(await answer(`/events?topics=ticket:${ticketNumber}`, otherCookie)).toBe(404)
    expect(await answer(`/events?topics=ticket:${ticketNumber}`)).toBe(403)
    expect(await answer(`/events?topics=thread:999999`)).toBe(404)
    expect(await answer(`/events?topics=user:${member.id}`, otherCookie)).toBe(403)
    expect(await answer(`/events?topics=queue:tickets`, memberCookie)).toBe(403)
    expect(await answer(`/events?topics=queue:moderation`, agentCookie)).toBe(403)
    expect(await answer(`/events?topics=nonsense`)).toBe(400)
    expect(await answer(`/events`)).toBe(400)
    // One refused topic refuses the stream, even beside allowed ones.
    expect(await answer(`/events?topics=user:${other.id},queue:tickets`, otherCookie)).toBe(403)
  })

  test('an idle stream gets heartbeat comments', async () => {
    const stream = openEventStream(portB, `/events?topics=user:${agent.id},queue:tickets`, { Cookie: agentCookie })
    await stream.ready()
    await stream.until(() => stream.comments.filter((c) => c === 'heartbeat').length >= 2, 'two heartbeats')
    stream.close()
  })

  test('SIGTERM ends the open streams at once, and the process exits 0', async () => {
    const stream = openEventStream(portA, `/events?topics=queue:tickets`, { Cookie: agentCookie })
    await stream.ready()
    serverA.child.kill('SIGTERM')
    await stream.ended
    expect(await serverA.exited).toEqual({ code: 0, signal: null })
    // Ended by the stop, not cut at the drain deadline as a hung request would be.
    expect(serverA.lines.some((line) => String(line.msg).includes('drain deadline'))).toBe(false)
  })
})
