import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { chatEvents, chats } from '#db/schema/index'
import { updateBusinessWeek } from '../sla-settings.server'
import { setAgentAvailability } from './availability.server'
import { acceptChat, startChat } from './chats.server'
import { createTestUser } from '../../../tests/factories'
import { atOnce } from '../../../tests/setup/at-once'

// PostgreSQL only (see vitest.config.ts): PGlite runs one transaction at a time.

async function setup() {
  await updateBusinessWeek({ timeZone: 'UTC', weekdays: [1, 2, 3, 4, 5, 6, 7], opensAt: '00:00', closesAt: '24:00' })
  const agent = async (capacity = 2) => {
    const user = await createTestUser({ role: 'agent', supportTier: 1 })
    await setAgentAvailability({ agentId: user.id, available: true, capacity })
    return { ...user, role: 'agent' as const, supportTier: 1 }
  }
  const chat = async () => {
    const result = await startChat({ memberId: (await createTestUser()).id, body: 'Help, please' })
    if (!result.ok) throw new Error(result.reason)
    return result.chatId
  }
  return { agent, chat }
}

describe('accepting a chat', () => {
  test('two agents accepting the same chat at once: one wins, the other is told it was taken', async () => {
    const { agent, chat } = await setup()
    const [first, second] = [await agent(), await agent()]
    const chatId = await chat()
    const results = await atOnce('chats', [() => acceptChat({ chatId, agent: first }), () => acceptChat({ chatId, agent: second })])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'taken' }])
    const [row] = await db.select({ state: chats.state, agentId: chats.agentId }).from(chats).where(eq(chats.id, chatId))
    expect(row.state).toBe('active')
    expect([first.id, second.id]).toContain(row.agentId)
    const accepted = await db.select({ id: chatEvents.id }).from(chatEvents).where(eq(chatEvents.chatId, chatId))
    expect(accepted).toHaveLength(2) // started, and one accept
  })

  test('an agent with room for one, accepting two chats at once from two tabs, gets exactly one', async () => {
    const { agent, chat } = await setup()
    const busy = await agent(1)
    const [a, b] = [await chat(), await chat()]
    const results = await atOnce('users', [() => acceptChat({ chatId: a, agent: busy }), () => acceptChat({ chatId: b, agent: busy })])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'full' }])
    const active = await db.select({ id: chats.id }).from(chats).where(eq(chats.agentId, busy.id))
    expect(active).toHaveLength(1)
  })
})
