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
 * Counting time against the business calendar lives in ./calendar.
 */
import { addMs, compileCalendar, countedMs, type BusinessCalendar, type CompiledCalendar } from './calendar'

/**
 * Kept in step with the database's ticket_priority enum by a test (app/tickets/constants.test.ts);
 * written out here so the engine, and the browser pages that use it, carry no database code.
 */
export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const
export type TicketPriority = (typeof TICKET_PRIORITIES)[number]
export type TicketStatus = 'open' | 'pending' | 'solved' | 'closed'
export type SlaTargetName = 'first-response' | 'resolution' | 'next-update'

export interface SlaPolicy {
  firstResponseMinutes: number
  resolutionMinutes: number
  updateMinutes: number | null
  businessHours: boolean
  /**
   * A second, wall-clock first-response budget ("1 hour during business hours, or 4 hours outside
   * business hours"): when set, the first response is due at whichever of the two clocks ends first.
   * Null: only the policy's own clock. See docs/decisions/027-after-hours-first-response.md.
   */
  afterHoursFirstResponseMinutes: number | null
}
export type SlaPolicies = Record<TicketPriority, SlaPolicy>

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
  critical: { firstResponseMinutes: 15, resolutionMinutes: 240, updateMinutes: 60, businessHours: false, afterHoursFirstResponseMinutes: null },
  // "within 1 hour during business hours, or 4 hours outside business hours"
  high: { firstResponseMinutes: 60, resolutionMinutes: 480, updateMinutes: null, businessHours: true, afterHoursFirstResponseMinutes: 240 },
  // 1 business day = 9 business hours
  medium: { firstResponseMinutes: 240, resolutionMinutes: 540, updateMinutes: null, businessHours: true, afterHoursFirstResponseMinutes: null },
  low: { firstResponseMinutes: 540, resolutionMinutes: 1620, updateMinutes: null, businessHours: true, afterHoursFirstResponseMinutes: null },
}

const MINUTE_MS = 60_000
const PREMIUM_FACTOR = 0.5
const AT_RISK_FRACTION = 0.75

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

/**
 * Two clocks for one target: the one that ends first governs, whole (due, at-risk, state, budget and
 * remaining time all come from it). Both run on the same timeline, so both are paused or neither;
 * on a tie the policy's own clock wins.
 */
function earlier(own: SlaTarget, alternative: SlaTarget | null): SlaTarget {
  if (!alternative || alternative.dueAt === null || own.dueAt === null) return own
  return alternative.dueAt.getTime() < own.dueAt.getTime() ? alternative : own
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

  const firstResponse: TargetSpec = {
    target: 'first-response',
    budgetMinutes: policy.firstResponseMinutes * factor,
    from: start,
    achievedAt: replies[0] ?? null,
  }
  const targets: SlaTarget[] = [
    earlier(
      evaluateTarget(clock, running, now, firstResponse),
      policy.afterHoursFirstResponseMinutes === null
        ? null
        : evaluateTarget({ cal: clock.cal, businessHours: false }, running, now, {
            ...firstResponse,
            budgetMinutes: policy.afterHoursFirstResponseMinutes * factor,
          }),
    ),
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
