import { eq, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { defineQueue, enqueue } from '~/platform/jobs/boss.server'
import { businessCalendars, holidays, slaPolicies } from '#db/schema/index'
import { DEFAULT_BUSINESS_CALENDAR, type BusinessCalendar } from '~/tickets/sla/calendar'
import { DEFAULT_SLA_POLICIES, TICKET_PRIORITIES, type SlaPolicies, type SlaPolicy, type TicketPriority } from '~/tickets/sla/engine'
import { forgetChatOpenness } from './chat/header-memo.server'

export type SlaSettings = { policies: SlaPolicies; calendar: BusinessCalendar }

/** Writes the default policies and business week into a database that has none; never overwrites. */
export async function seedSlaDefaults(tx: DbOrTx = db) {
  await tx
    .insert(slaPolicies)
    .values(TICKET_PRIORITIES.map((priority) => ({ priority, ...DEFAULT_SLA_POLICIES[priority] })))
    .onConflictDoNothing({ target: slaPolicies.priority })
  const { holidays: _none, ...week } = DEFAULT_BUSINESS_CALENDAR
  await tx.insert(businessCalendars).values(week).onConflictDoNothing({ target: businessCalendars.id })
}

export type Holiday = { day: string; name: string }

/** Policies, business week and holidays (with their names) in two queries. */
async function loadSlaSettings(tx: DbOrTx): Promise<SlaSettings & { holidays: Holiday[] }> {
  const [policyRows, [week]] = await Promise.all([
    tx.select().from(slaPolicies),
    tx
      .select({
        timeZone: businessCalendars.timeZone,
        weekdays: businessCalendars.weekdays,
        opensAt: businessCalendars.opensAt,
        closesAt: businessCalendars.closesAt,
        holidays: sql<Holiday[]>`coalesce((select json_agg(json_build_object('day', h.day::text, 'name', h.name) order by h.day) from ${holidays} h), '[]'::json)`,
      })
      .from(businessCalendars)
      .where(eq(businessCalendars.id, 1)),
  ])
  const policies = { ...DEFAULT_SLA_POLICIES }
  for (const { priority, ...policy } of policyRows) policies[priority] = policy
  if (!week) return { policies, calendar: DEFAULT_BUSINESS_CALENDAR, holidays: [] }
  const { holidays: named, ...hours } = week
  return { policies, calendar: { ...hours, holidays: named.map((h) => h.day) }, holidays: named }
}

/** Every SLA computation starts here. */
export async function getSlaSettings(tx: DbOrTx = db): Promise<SlaSettings> {
  const { policies, calendar } = await loadSlaSettings(tx)
  return { policies, calendar }
}

/** The admin page: the settings and the holidays by name, from the same two queries. */
export async function getSlaSettingsWithHolidays() {
  return loadSlaSettings(db)
}

// Each settings save queues a full recompute: one waiting job (stately) covers every save made before it runs.
export const recomputeSlaQueue = defineQueue('tickets.recompute-sla', { policy: 'stately' })

/**
 * Every settings change queues, in the same transaction, a job that recomputes the due times of
 * tickets still running, so stored deadlines never lag behind the policy for long.
 */
const recomputeRunningTickets = (tx: DbOrTx) => {
  // The calendar decides whether live chat is open: the header asks again.
  forgetChatOpenness()
  return enqueue(tx, recomputeSlaQueue, {})
}

export async function updateSlaPolicies(policies: Record<TicketPriority, SlaPolicy>) {
  await db.transaction(async (tx) => {
    for (const priority of TICKET_PRIORITIES) {
      await tx
        .insert(slaPolicies)
        .values({ priority, ...policies[priority] })
        .onConflictDoUpdate({ target: slaPolicies.priority, set: policies[priority] })
    }
    await recomputeRunningTickets(tx)
  })
}

export async function updateBusinessWeek(week: Omit<BusinessCalendar, 'holidays'>) {
  await db.transaction(async (tx) => {
    await tx
      .insert(businessCalendars)
      .values({ id: 1, ...week })
      .onConflictDoUpdate({ target: businessCalendars.id, set: week })
    await recomputeRunningTickets(tx)
  })
}

/** Returns false when that day is already a holiday. */
export async function addHoliday({ day, name }: { day: string; name: string }) {
  return db.transaction(async (tx) => {
    const rows = await tx.insert(holidays).values({ day, name }).onConflictDoNothing().returning({ day: holidays.day })
    if (rows.length > 0) await recomputeRunningTickets(tx)
    return rows.length > 0
  })
}

export async function removeHoliday({ day }: { day: string }) {
  await db.transaction(async (tx) => {
    await tx.delete(holidays).where(eq(holidays.day, day))
    await recomputeRunningTickets(tx)
  })
}
