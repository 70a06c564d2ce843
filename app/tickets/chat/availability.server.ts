/**
 * Who can take chats now, and whether chat is open: the business calendar is open and at least one
 * agent says they are available (docs/decisions/030-live-chat.md).
 */
import { and, count, eq, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { chatAgents, chats, users } from '#db/schema/index'
import { publish } from '~/platform/realtime/publish.server'
import { staffRoles } from '../internals.server'
import { getSlaSettings } from '../sla-settings.server'
import { nextOpening } from '../sla/calendar'
import { CHAT_QUEUE_TOPIC, DEFAULT_CAPACITY } from './constants'
import { forgetChatOpenness, rememberedOpenness, rememberOpenness, type ChatOpenness } from './header-memo.server'

export type { ChatOpenness }

/** Open when the calendar is open now and an agent is available; else when it opens next. */
export async function chatOpenness(now = new Date(), tx: DbOrTx = db): Promise<ChatOpenness> {
  const [settings, [agents]] = await Promise.all([
    getSlaSettings(tx),
    tx
      .select({ available: count() })
      .from(chatAgents)
      .innerJoin(users, eq(users.id, chatAgents.userId))
      .where(and(eq(chatAgents.available, true), staffRoles())),
  ])
  const opensAt = nextOpening(settings.calendar, now)
  if (opensAt.getTime() > now.getTime()) return { open: false, reason: 'closed', opensAt }
  return agents.available > 0 ? { open: true } : { open: false, reason: 'no-agents' }
}

const REMEMBER_MS = 20_000

/**
 * chatOpenness for the header's "Live chat" link on every page, remembered for 20 seconds in this
 * process so pages cost no query for it (and forgotten here when an agent changes their
 * availability). Starting a chat asks chatOpenness itself, so a stale header never lets one in.
 */
export async function chatOpennessForHeader(now = new Date()): Promise<ChatOpenness> {
  const remembered = rememberedOpenness()
  if (remembered && remembered.until > now.getTime() && !(remembered.value.open === false && remembered.value.reason === 'closed' && remembered.value.opensAt <= now)) return remembered.value
  const value = await chatOpenness(now)
  rememberOpenness(value, now.getTime() + REMEMBER_MS)
  return value
}

/** An agent's availability, capacity and how many chats they have now. */
export async function getAgentAvailability({ agentId }: { agentId: number }, tx: DbOrTx = db) {
  const [row] = await tx
    .select({
      available: sql<boolean>`coalesce(${chatAgents.available}, false)`,
      capacity: sql<number>`coalesce(${chatAgents.capacity}, ${DEFAULT_CAPACITY})::int`,
      activeChats: sql<number>`(select count(*) from ${chats} c where c.agent_id = ${users.id} and c.state = 'active')::int`,
    })
    .from(users)
    .leftJoin(chatAgents, eq(chatAgents.userId, users.id))
    .where(eq(users.id, agentId))
  return row ?? { available: false, capacity: DEFAULT_CAPACITY, activeChats: 0 }
}

export async function setAgentAvailability({ agentId, available, capacity }: { agentId: number; available: boolean; capacity: number }) {
  await db.transaction(async (tx) => {
    const now = new Date()
    await tx
      .insert(chatAgents)
      .values({ userId: agentId, available, capacity, updatedAt: now })
      .onConflictDoUpdate({ target: chatAgents.userId, set: { available, capacity, updatedAt: now } })
    await publish(tx, { topic: CHAT_QUEUE_TOPIC, payload: { kind: 'agents' } })
  })
  forgetChatOpenness()
}

/** Agents who could take a transferred chat: everyone who works tickets but the one transferring. */
export async function listChatAgents({ exceptId }: { exceptId: number }) {
  return db
    .select({ id: users.id, username: users.username, tier: users.supportTier, available: sql<boolean>`coalesce(${chatAgents.available}, false)` })
    .from(users)
    .leftJoin(chatAgents, eq(chatAgents.userId, users.id))
    .where(and(staffRoles(), sql`${users.id} <> ${exceptId}`, sql`${users.deletedAt} is null`))
    .orderBy(users.username)
    .limit(200)
}
