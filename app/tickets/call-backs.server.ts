import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { DateTime } from 'luxon'
import { z } from 'zod'
import { db, type DbOrTx } from '#db/client.server'
import { ticketCallBacks, tickets, users } from '#db/schema/index'
import { countedMinutesBetween, type BusinessCalendar } from '~/tickets/sla/calendar'
import { CALL_BACK_FIELDS, mayRequestCallBack } from './call-backs'
import { isStaff, lockTicket, ticketQueueChanged, type TicketViewer } from './internals.server'
import { getSlaSettings } from './sla-settings.server'

export type CallBackRequest = { phone: string; windowStartsAt: Date; windowEndsAt: Date; timeZone: string }

/** How far ahead a window may lie: a call back is about a critical problem now. */
export const MAX_CALL_BACK_DAYS_AHEAD = 14
const MIN_WINDOW_MINUTES = 15

const PHONE_MESSAGE = 'Enter the number with its country code, such as +44 20 7946 0958.'

/**
 * E.164-ish: a "+" (or "00"), then 8 to 15 digits; spaces, dots, dashes and brackets are allowed
 * while typing and dropped. Returns the normalised "+<digits>" or null.
 */
export function normalisePhone(value: string): string | null {
  const compact = value.trim().replace(/[\s.\-()/]/g, '')
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact
  return /^\+[1-9]\d{7,14}$/.test(international) ? international : null
}

const fieldsSchema = z.object({
  callBackPhone: z.string().max(40, PHONE_MESSAGE).optional().default(''),
  callBackDate: z.string().max(20).optional().default(''),
  callBackFrom: z.string().max(10).optional().default(''),
  callBackTo: z.string().max(10).optional().default(''),
})

export type CallBackCheck =
  | { status: 'none' }
  | { status: 'ok'; request: CallBackRequest }
  | { status: 'invalid'; fieldErrors: Record<string, string[]>; formErrors: string[] }

/** The business hours in words, for the form's hint and errors: "Mon–Fri 09:00–18:00 (America/Los Angeles)". */
export const describeHours = (calendar: BusinessCalendar) => {
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
  const weekdays = [...calendar.weekdays].sort()
  const span = weekdays.length > 2 && weekdays.every((d, i) => i === 0 || d === weekdays[i - 1] + 1) ? `${days[weekdays[0] - 1]}–${days[weekdays.at(-1)! - 1]}` : weekdays.map((d) => days[d - 1]).join(', ')
  return `${span} ${calendar.opensAt}–${calendar.closesAt} (${calendar.timeZone.replace(/_/g, ' ')})`
}

/**
 * Reads the call-back fields of a form. Nothing filled in is no call back; anything filled in must
 * be a whole, valid request: a phone number, and a window of at least 15 minutes, in the future, on
 * one day in the member's zone, that lies within the business calendar's hours (agents can call
 * only then). A member who may not ask (not premium, not critical) gets a form error, never a
 * silently dropped request.
 */
export function checkCallBack({
  formData,
  user,
  priority,
  timeZone,
  calendar,
  now = new Date(),
}: {
  formData: FormData
  user: { isPremium: boolean }
  priority: string
  timeZone: string
  calendar: BusinessCalendar
  now?: Date
}): CallBackCheck {
  const raw = Object.fromEntries(CALL_BACK_FIELDS.map((name) => [name, typeof formData.get(name) === 'string' ? String(formData.get(name)).trim() : '']))
  if (CALL_BACK_FIELDS.every((name) => raw[name] === '')) return { status: 'none' }
  const invalid = (fieldErrors: Record<string, string[]>, formErrors: string[] = []): CallBackCheck => ({ status: 'invalid', fieldErrors, formErrors })
  if (!user.isPremium) return invalid({}, ['Call backs are part of premium support; your request can go ahead without one.'])
  if (!mayRequestCallBack(user, { priority })) return invalid({ callBackPhone: ['A call back can be asked for on critical requests only. Clear these fields or choose Critical.'] })
  const parsed = fieldsSchema.safeParse(raw)
  const fields = parsed.success ? parsed.data : { callBackPhone: '', callBackDate: '', callBackFrom: '', callBackTo: '' }
  const errors: Record<string, string[]> = {}
  const phone = normalisePhone(fields.callBackPhone)
  if (!phone) errors.callBackPhone = [fields.callBackPhone ? PHONE_MESSAGE : 'Enter the number we should call, with its country code.']
  const day = /^\d{4}-\d{2}-\d{2}$/.test(fields.callBackDate) ? fields.callBackDate : null
  const time = (value: string) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(value) ? value : null)
  const from = time(fields.callBackFrom)
  const to = time(fields.callBackTo)
  if (!day) errors.callBackDate = ['Choose the day to call.']
  if (!from) errors.callBackFrom = ['Enter a start time such as 10:00.']
  if (!to) errors.callBackTo = ['Enter an end time such as 11:30.']
  if (!day || !from || !to || Object.keys(errors).length > 0) return invalid(errors)
  const start = DateTime.fromISO(`${day}T${from}`, { zone: timeZone })
  const end = DateTime.fromISO(`${day}T${to}`, { zone: timeZone })
  if (!start.isValid || !end.isValid) return invalid({ callBackDate: ['Choose the day to call.'] })
  if (end <= start) return invalid({ callBackTo: ['The end of the window must be after its start.'] })
  const minutes = end.diff(start, 'minutes').minutes
  if (minutes < MIN_WINDOW_MINUTES) return invalid({ callBackTo: [`Give us a window of at least ${MIN_WINDOW_MINUTES} minutes.`] })
  if (start.toMillis() <= now.getTime()) return invalid({ callBackFrom: ['Choose a time in the future.'] })
  if (start.toMillis() > now.getTime() + MAX_CALL_BACK_DAYS_AHEAD * 86_400_000) return invalid({ callBackDate: [`Choose a day within the next ${MAX_CALL_BACK_DAYS_AHEAD} days.`] })
  const counted = countedMinutesBetween(calendar, true, start.toJSDate(), end.toJSDate())
  if (Math.abs(counted - minutes) > 0.01) return invalid({ callBackFrom: [`Choose a window within our business hours: ${describeHours(calendar)}.`] })
  return { status: 'ok', request: { phone: phone!, windowStartsAt: start.toJSDate(), windowEndsAt: end.toJSDate(), timeZone } }
}

/** The business hours as the call-back form's hint says them. */
export async function callBackHours() {
  return describeHours((await getSlaSettings()).calendar)
}

/** checkCallBack with the business calendar as configured. */
export async function checkCallBackForm(input: Omit<Parameters<typeof checkCallBack>[0], 'calendar'>) {
  const { calendar } = await getSlaSettings()
  return checkCallBack({ ...input, calendar })
}

/** Stores the task, due at the window's start, inside the caller's transaction. */
export async function insertCallBack(tx: DbOrTx, { ticketId, requestedById, request }: { ticketId: number; requestedById: number; request: CallBackRequest }) {
  const [row] = await tx
    .insert(ticketCallBacks)
    .values({ ticketId, requestedById, phone: request.phone, windowStartsAt: request.windowStartsAt, windowEndsAt: request.windowEndsAt, timeZone: request.timeZone, dueAt: request.windowStartsAt })
    .returning({ id: ticketCallBacks.id })
  await ticketQueueChanged(tx)
  return row
}

export type CallBackResult = { ok: true } | { ok: false; reason: 'not-found' | 'forbidden' | 'invalid' }

/**
 * A requester asks for a call back on a ticket already open (the ticket page's form). Only the
 * requester, premium, on a critical ticket that is not closed, with no call back still open.
 */
export async function requestCallBack({ number, requester, request }: { number: number; requester: TicketViewer & { isPremium: boolean }; request: CallBackRequest }): Promise<CallBackResult> {
  return db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, number, requester)
    if (!ticket) return { ok: false, reason: 'not-found' } as const
    if (ticket.requesterId !== requester.id || !mayRequestCallBack(requester, ticket)) return { ok: false, reason: 'forbidden' } as const
    if (ticket.status === 'closed') return { ok: false, reason: 'invalid' } as const
    const [open] = await tx.select({ id: ticketCallBacks.id }).from(ticketCallBacks).where(and(eq(ticketCallBacks.ticketId, ticket.id), isNull(ticketCallBacks.doneAt)))
    if (open) return { ok: false, reason: 'invalid' } as const
    await insertCallBack(tx, { ticketId: ticket.id, requestedById: requester.id, request })
    return { ok: true } as const
  })
}

/** An agent records the call: done, by whom, when, and what was said. Staff only; once. */
export async function completeCallBack({ number, callBackId, staff, note, now = new Date() }: { number: number; callBackId: number; staff: TicketViewer; note: string; now?: Date }): Promise<CallBackResult> {
  if (!isStaff(staff)) return { ok: false, reason: 'forbidden' }
  return db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, number, staff)
    if (!ticket) return { ok: false, reason: 'not-found' } as const
    const done = await tx
      .update(ticketCallBacks)
      .set({ doneAt: now, doneById: staff.id, doneNote: note })
      .where(and(eq(ticketCallBacks.id, callBackId), eq(ticketCallBacks.ticketId, ticket.id), isNull(ticketCallBacks.doneAt)))
      .returning({ id: ticketCallBacks.id })
    if (done.length === 0) return { ok: false, reason: 'invalid' } as const
    await ticketQueueChanged(tx)
    return { ok: true } as const
  })
}

const doneBy = alias(users, 'call_back_done_by')

/** A ticket's call backs, newest first (a handful at most). The caller has checked the viewer may see the ticket. */
export async function listCallBacks({ ticketId }: { ticketId: number }) {
  return db
    .select({
      id: ticketCallBacks.id,
      phone: ticketCallBacks.phone,
      windowStartsAt: ticketCallBacks.windowStartsAt,
      windowEndsAt: ticketCallBacks.windowEndsAt,
      timeZone: ticketCallBacks.timeZone,
      dueAt: ticketCallBacks.dueAt,
      doneAt: ticketCallBacks.doneAt,
      doneByUsername: doneBy.username,
      doneNote: ticketCallBacks.doneNote,
      createdAt: ticketCallBacks.createdAt,
    })
    .from(ticketCallBacks)
    .leftJoin(doneBy, eq(doneBy.id, ticketCallBacks.doneById))
    .where(eq(ticketCallBacks.ticketId, ticketId))
    .orderBy(sql`${ticketCallBacks.createdAt} desc`, asc(ticketCallBacks.id))
    .limit(20)
}

/** The earliest open call back's due time, as a column of the queue's one query (the partial index serves it). */
export const openCallBackDueSql = sql<Date | null>`(select min(c.due_at) from ${ticketCallBacks} c where c.ticket_id = ${tickets.id} and c.done_at is null)`.mapWith((v: string | Date | null) => (v ? new Date(v) : null))

export const CallBackDoneSchema = z.object({
  callBackId: z.coerce.number({ invalid_type_error: 'Choose the call back.' }).int().positive().max(2_147_483_647),
  note: z.string({ required_error: 'Say how the call went.' }).trim().min(2, 'Say how the call went.').max(2_000, 'Keep the note under 2,000 characters.'),
})
