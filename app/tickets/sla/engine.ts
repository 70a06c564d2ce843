/**
 * The SLA engine: a pure function from a ticket's history to its deadlines.
 *
 * No I/O, no clock, no database: everything it needs comes in through `SlaInput`, and the same
 * input always gives the same result. Following Zammad (lib/escalation.rb) and zendesk/biz,
 * deadlines are never nudged incrementally; every call recomputes them from the original start,
 * replaying the status history to find the pauses, with the latest priority's policy applied to
 * the whole history.
 *
 * All arithmetic is in milliseconds since the epoch; budgets may be fractional minutes.
 * Time zones and DST are left to luxon.
 */
import { DateTime, IANAZone } from 'luxon'
import { ticketPriority } from '#db/schema/tickets'

/** Declared once, by the database enum; every list of priorities derives from it. */
export const TICKET_PRIORITIES = ticketPriority.enumValues
export type TicketPriority = (typeof TICKET_PRIORITIES)[number]
export type TicketStatus = 'open' | 'pending' | 'solved' | 'closed'
export type SlaTargetName = 'first-response' | 'resolution' | 'next-update'

export interface SlaPolicy {
  firstResponseMinutes: number
  resolutionMinutes: number
  updateMinutes: number | null
  businessHours: boolean
}
export type SlaPolicies = Record<TicketPriority, SlaPolicy>

export interface BusinessCalendar {
  /** IANA, e.g. 'America/Los_Angeles' */
  timeZone: string
  /** ISO weekdays the team works, 1 = Monday … 7 = Sunday */
  weekdays: number[]
  /** 'HH:MM' local */
  opensAt: string
  /** 'HH:MM' local, after opensAt ('24:00' means midnight at the end of the day) */
  closesAt: string
  /** 'YYYY-MM-DD' local dates that are closed all day */
  holidays: string[]
}

export type SlaEvent =
  | { at: Date; kind: 'status'; status: TicketStatus }
  | { at: Date; kind: 'priority'; priority: TicketPriority }
  /** a public reply by staff */
  | { at: Date; kind: 'agent-reply' }

export interface SlaInput {
  policies: SlaPolicies
  calendar: BusinessCalendar
  /** when the customer started waiting (status is 'open' from here) */
  startedAt: Date
  /** the priority at the start */
  priority: TicketPriority
  /** premium requesters: every target 50% shorter */
  premium: boolean
  /** in any order; sorted by time (stable) here */
  events: SlaEvent[]
  now: Date
}

export type SlaState = 'met' | 'running' | 'paused' | 'breached'

export interface SlaTarget {
  target: SlaTargetName
  /** after the premium reduction */
  budgetMinutes: number
  /** null only while paused and not yet breached (unknown until it resumes) */
  dueAt: Date | null
  /** when under 25% of the budget is left (75% consumed); null when paused/met */
  atRiskAt: Date | null
  state: SlaState
  achievedAt: Date | null
  /** counted (business) minutes left at `now`; 0 if none; may be fractional */
  remainingMinutes: number
}

export interface SlaResult {
  /** the effective (latest) priority */
  priority: TicketPriority
  targets: SlaTarget[]
  /** earliest dueAt among targets whose state is 'running' or 'breached' and not achieved */
  nextDueAt: Date | null
  /** atRiskAt of the target that gives nextDueAt */
  atRiskAt: Date | null
  firstResponseBreached: boolean
  resolutionBreached: boolean
  updateBreached: boolean
}

export const DEFAULT_SLA_POLICIES: SlaPolicies = {
  critical: { firstResponseMinutes: 15, resolutionMinutes: 240, updateMinutes: 60, businessHours: false },
  high: { firstResponseMinutes: 60, resolutionMinutes: 480, updateMinutes: null, businessHours: true },
  // 1 business day = 9 business hours
  medium: { firstResponseMinutes: 240, resolutionMinutes: 540, updateMinutes: null, businessHours: true },
  low: { firstResponseMinutes: 540, resolutionMinutes: 1620, updateMinutes: null, businessHours: true },
}

export const DEFAULT_BUSINESS_CALENDAR: BusinessCalendar = {
  timeZone: 'America/Los_Angeles',
  weekdays: [1, 2, 3, 4, 5],
  opensAt: '09:00',
  closesAt: '18:00',
  holidays: [],
}

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
/** How many days in a row without any opening we accept before giving up on a calendar. */
const MAX_CLOSED_DAYS = 3 * 366
const PREMIUM_FACTOR = 0.5
const AT_RISK_FRACTION = 0.75

export function isValidTimeZone(zone: string): boolean {
  return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone)
}

// ---------------------------------------------------------------------------------------------
// Business calendar: open windows, one per local day at most

interface LocalTime {
  hour: number
  minute: number
}

interface CompiledCalendar {
  zone: string
  weekdays: Set<number>
  holidays: Set<string>
  opens: LocalTime
  closes: LocalTime
  /** Open window per local day (key: UTC midnight of that date), null for closed days. */
  cache: Map<number, [number, number] | null>
}

function parseLocalTime(value: string, field: string): LocalTime {
  const match = /^(\d{2}):(\d{2})$/.exec(value)
  const hour = match ? Number(match[1]) : NaN
  const minute = match ? Number(match[2]) : NaN
  if (!match || minute > 59 || hour > 24 || (hour === 24 && minute !== 0)) {
    throw new Error(`Business calendar: ${field} must be 'HH:MM' (00:00–24:00), got '${value}'`)
  }
  return { hour, minute }
}

/**
 * Compiled calendars are memoised by content, so repeated calls (a sweep over many tickets) share
 * the per-day windows instead of asking luxon again. Purely a cache: results never depend on it.
 */
const compiledCalendars = new Map<string, CompiledCalendar>()
const MAX_COMPILED_CALENDARS = 32
const MAX_CACHED_DAYS = 20_000

function compileCalendar(calendar: BusinessCalendar): CompiledCalendar {
  const key = JSON.stringify([calendar.timeZone, calendar.weekdays, calendar.opensAt, calendar.closesAt, calendar.holidays])
  const known = compiledCalendars.get(key)
  if (known) {
    if (known.cache.size > MAX_CACHED_DAYS) known.cache.clear()
    return known
  }
  const compiled = buildCalendar(calendar)
  if (compiledCalendars.size >= MAX_COMPILED_CALENDARS) compiledCalendars.clear()
  compiledCalendars.set(key, compiled)
  return compiled
}

function buildCalendar(calendar: BusinessCalendar): CompiledCalendar {
  if (!isValidTimeZone(calendar.timeZone)) {
    throw new Error(`Business calendar: '${calendar.timeZone}' is not a valid IANA time zone`)
  }
  const opens = parseLocalTime(calendar.opensAt, 'opensAt')
  const closes = parseLocalTime(calendar.closesAt, 'closesAt')
  if (closes.hour * 60 + closes.minute <= opens.hour * 60 + opens.minute) {
    throw new Error(`Business calendar: closesAt (${calendar.closesAt}) must be after opensAt (${calendar.opensAt})`)
  }
  for (const day of calendar.weekdays) {
    if (!Number.isInteger(day) || day < 1 || day > 7) {
      throw new Error(`Business calendar: weekdays are ISO weekdays 1 (Monday) to 7 (Sunday), got ${day}`)
    }
  }
  return {
    zone: calendar.timeZone,
    weekdays: new Set(calendar.weekdays),
    holidays: new Set(calendar.holidays),
    opens,
    closes,
    cache: new Map(),
  }
}

/** UTC midnight of the local date (in the calendar's zone) that contains `ms`. */
function localDayKey(cal: CompiledCalendar, ms: number): number {
  const local = DateTime.fromMillis(ms, { zone: cal.zone })
  return Date.UTC(local.year, local.month - 1, local.day)
}

/** The instant of a local wall-clock time on a local date; luxon resolves DST gaps and overlaps. */
function localInstant(cal: CompiledCalendar, dayKey: number, time: LocalTime): number {
  const date = new Date(dayKey + (time.hour === 24 ? DAY_MS : 0))
  return DateTime.fromObject(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: time.hour === 24 ? 0 : time.hour,
      minute: time.minute,
    },
    { zone: cal.zone },
  ).toMillis()
}

/** The open window [start, end) of one local day, or null when the team does not work then. */
function dayWindow(cal: CompiledCalendar, dayKey: number): [number, number] | null {
  const cached = cal.cache.get(dayKey)
  if (cached !== undefined) return cached
  const date = new Date(dayKey)
  const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay()
  const isoDate = date.toISOString().slice(0, 10)
  let window: [number, number] | null = null
  if (cal.weekdays.has(isoWeekday) && !cal.holidays.has(isoDate)) {
    const start = localInstant(cal, dayKey, cal.opens)
    const end = localInstant(cal, dayKey, cal.closes)
    if (end > start) window = [start, end]
  }
  cal.cache.set(dayKey, window)
  return window
}

/** Counted milliseconds in [from, to); negative when `to` is before `from`. */
function countedMs(cal: CompiledCalendar, businessHours: boolean, from: number, to: number): number {
  if (to < from) return -countedMs(cal, businessHours, to, from)
  if (!businessHours || to === from) return to - from
  if (to === Infinity) throw new Error('SLA engine: cannot count business time up to infinity')
  let total = 0
  const lastDay = localDayKey(cal, to)
  for (let day = localDayKey(cal, from); day <= lastDay; day += DAY_MS) {
    const window = dayWindow(cal, day)
    if (!window) continue
    const start = Math.max(window[0], from)
    const end = Math.min(window[1], to)
    if (end > start) total += end - start
  }
  return total
}

/** The earliest instant at which `ms` counted milliseconds have passed since `from`. */
function addMs(cal: CompiledCalendar, businessHours: boolean, from: number, ms: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`SLA engine: cannot add ${ms} ms of counted time`)
  if (ms === 0) return from
  if (!businessHours) return from + ms
  let remaining = ms
  let closedDays = 0
  for (let day = localDayKey(cal, from); ; day += DAY_MS) {
    const window = dayWindow(cal, day)
    if (!window || window[1] <= from) {
      if (!window && ++closedDays > MAX_CLOSED_DAYS) {
        throw new Error(
          `Business calendar (${cal.zone}) has no opening hours within 3 years after ` +
            `${new Date(day - (closedDays - 1) * DAY_MS).toISOString().slice(0, 10)}: check its weekdays and holidays`,
        )
      }
      continue
    }
    closedDays = 0
    const start = Math.max(window[0], from)
    const available = window[1] - start
    if (available >= remaining) return start + remaining
    remaining -= available
  }
}

export function addCountedMinutes(calendar: BusinessCalendar, businessHours: boolean, from: Date, minutes: number): Date {
  const cal = compileCalendar(calendar)
  return new Date(addMs(cal, businessHours, from.getTime(), Math.round(minutes * MINUTE_MS)))
}

/** Counted minutes between two instants; negative when `to` is before `from`. */
export function countedMinutesBetween(calendar: BusinessCalendar, businessHours: boolean, from: Date, to: Date): number {
  const cal = compileCalendar(calendar)
  return countedMs(cal, businessHours, from.getTime(), to.getTime()) / MINUTE_MS
}

// ---------------------------------------------------------------------------------------------
// Timelines: the stretches of time during which a clock runs (status 'open')

/** Sorted, non-overlapping [start, end) intervals; the last end may be Infinity. */
type Timeline = Array<[number, number]>

interface Clock {
  cal: CompiledCalendar
  businessHours: boolean
}

function countedInTimeline(clock: Clock, timeline: Timeline, from: number, to: number): number {
  let total = 0
  for (const [start, end] of timeline) {
    const a = Math.max(start, from)
    const b = Math.min(end, to)
    if (b > a) total += countedMs(clock.cal, clock.businessHours, a, b)
  }
  return total
}

/** The instant at which `ms` counted milliseconds have run since `from`; null if the timeline stops first. */
function instantInTimeline(clock: Clock, timeline: Timeline, from: number, ms: number): number | null {
  if (ms <= 0) return from
  let remaining = ms
  for (const [start, end] of timeline) {
    if (end <= from) continue
    const a = Math.max(start, from)
    if (end === Infinity) return addMs(clock.cal, clock.businessHours, a, remaining)
    const available = countedMs(clock.cal, clock.businessHours, a, end)
    if (available >= remaining) return addMs(clock.cal, clock.businessHours, a, remaining)
    remaining -= available
  }
  return null
}

/** The timeline as it was up to `at`, then running for ever: "when would it have been due". */
function runningAfter(timeline: Timeline, at: number): Timeline {
  const clipped: Timeline = []
  for (const [start, end] of timeline) {
    if (start < at) clipped.push([start, Math.min(end, at)])
  }
  clipped.push([at, Infinity])
  return clipped
}

// ---------------------------------------------------------------------------------------------
// The engine

interface History {
  priority: TicketPriority
  statusAtNow: TicketStatus
  /** When the clock runs: while the status is 'open'. */
  running: Timeline
  /** Start of the current solved/closed stretch, when the ticket is solved or closed now. */
  terminalSince: number | null
  /** Agent replies at/after the start, in time order. */
  replies: number[]
}

const isTerminal = (status: TicketStatus) => status === 'solved' || status === 'closed'

function replayHistory(input: SlaInput, start: number): History {
  // Stable sort by time: events at the same instant keep their given order.
  const events = input.events
    .map((event, index) => ({ event, index, at: event.at.getTime() }))
    .sort((x, y) => x.at - y.at || x.index - y.index)

  let priority = input.priority
  let status: TicketStatus = 'open'
  let openSince: number | null = start
  let terminalSince: number | null = null
  const running: Timeline = []
  const replies: number[] = []

  for (const { event, at: rawAt } of events) {
    // Status and priority changes recorded before the start take effect at the start.
    const at = Math.max(rawAt, start)
    if (event.kind === 'priority') {
      priority = event.priority
    } else if (event.kind === 'agent-reply') {
      if (rawAt >= start) replies.push(rawAt)
    } else if (event.status !== status) {
      if (status === 'open' && openSince !== null) {
        running.push([openSince, at])
        openSince = null
      }
      if (event.status === 'open') openSince = at
      if (isTerminal(event.status) && !isTerminal(status)) terminalSince = at
      if (!isTerminal(event.status)) terminalSince = null
      status = event.status
    }
  }
  if (openSince !== null) running.push([openSince, Infinity])
  return { priority, statusAtNow: status, running, terminalSince, replies }
}

interface TargetSpec {
  target: SlaTargetName
  budgetMinutes: number
  /** where its clock starts */
  from: number
  achievedAt: number | null
}

function evaluateTarget(clock: Clock, running: Timeline, now: number, spec: TargetSpec): SlaTarget {
  const budgetMs = Math.round(spec.budgetMinutes * MINUTE_MS)
  const achieved = spec.achievedAt
  // Once achieved the clock stopped; its due time is "when it would have been due" had it kept running.
  const timeline = achieved === null ? running : runningAfter(running, achieved)
  const dueMs = instantInTimeline(clock, timeline, spec.from, budgetMs)
  const measuredUntil = achieved ?? now
  const counted = countedInTimeline(clock, timeline, spec.from, Math.max(measuredUntil, spec.from))
  const remainingMinutes = Math.max(0, budgetMs - counted) / MINUTE_MS

  let state: SlaState
  if (achieved !== null) state = dueMs !== null && achieved <= dueMs ? 'met' : 'breached'
  else if (dueMs !== null && now >= dueMs) state = 'breached'
  else if (dueMs !== null) state = 'running'
  else state = 'paused'

  const atRiskMs =
    state === 'paused' || state === 'met'
      ? null
      : instantInTimeline(clock, timeline, spec.from, Math.round(budgetMs * AT_RISK_FRACTION))

  return {
    target: spec.target,
    budgetMinutes: spec.budgetMinutes,
    dueAt: state === 'paused' || dueMs === null ? null : new Date(dueMs),
    atRiskAt: atRiskMs === null ? null : new Date(atRiskMs),
    state,
    achievedAt: achieved === null ? null : new Date(achieved),
    remainingMinutes,
  }
}

export function computeSla(input: SlaInput): SlaResult {
  const start = input.startedAt.getTime()
  const history = replayHistory(input, start)
  // Every recorded event has happened, even if the caller's clock lags slightly behind the database's.
  const latestEvent = input.events.reduce((latest, event) => Math.max(latest, event.at.getTime()), -Infinity)
  const now = Math.max(input.now.getTime(), latestEvent)

  const policy = input.policies[history.priority]
  if (!policy) throw new Error(`SLA engine: no policy for priority '${history.priority}'`)
  const factor = input.premium ? PREMIUM_FACTOR : 1
  const clock: Clock = { cal: compileCalendar(input.calendar), businessHours: policy.businessHours }
  const { running, replies } = history
  const solvedNow = isTerminal(history.statusAtNow)

  const targets: SlaTarget[] = [
    evaluateTarget(clock, running, now, {
      target: 'first-response',
      budgetMinutes: policy.firstResponseMinutes * factor,
      from: start,
      achievedAt: replies[0] ?? null,
    }),
    evaluateTarget(clock, running, now, {
      target: 'resolution',
      budgetMinutes: policy.resolutionMinutes * factor,
      from: start,
      achievedAt: solvedNow ? history.terminalSince : null,
    }),
  ]

  let updateBreached = false
  if (policy.updateMinutes !== null && replies.length > 0) {
    const budgetMs = Math.round(policy.updateMinutes * factor * MINUTE_MS)
    // Each gap between consecutive replies: late when the next reply came after the due time.
    for (let i = 0; i + 1 < replies.length; i++) {
      const due = instantInTimeline(clock, running, replies[i], budgetMs)
      if (due !== null && replies[i + 1] > due) updateBreached = true
    }
    // The gap since the last reply, up to now (a solve stops the clock, so "up to the solve").
    const last = replies[replies.length - 1]
    const due = instantInTimeline(clock, running, last, budgetMs)
    if (due !== null && now >= due) updateBreached = true

    if (!solvedNow) {
      targets.push(
        evaluateTarget(clock, running, now, {
          target: 'next-update',
          budgetMinutes: policy.updateMinutes * factor,
          from: last,
          achievedAt: null,
        }),
      )
    }
  }

  let next: SlaTarget | null = null
  for (const target of targets) {
    if (target.achievedAt !== null || target.dueAt === null) continue
    if (target.state !== 'running' && target.state !== 'breached') continue
    if (!next || target.dueAt.getTime() < next.dueAt!.getTime()) next = target
  }

  const stateOf = (name: SlaTargetName) => targets.find((target) => target.target === name)?.state
  return {
    priority: history.priority,
    targets,
    nextDueAt: next?.dueAt ?? null,
    atRiskAt: next?.atRiskAt ?? null,
    firstResponseBreached: stateOf('first-response') === 'breached',
    resolutionBreached: stateOf('resolution') === 'breached',
    updateBreached,
  }
}
