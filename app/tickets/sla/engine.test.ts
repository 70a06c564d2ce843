import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { countedMinutesBetween, DEFAULT_BUSINESS_CALENDAR, type BusinessCalendar } from './calendar'
import {
  computeSla,
  DEFAULT_SLA_POLICIES,
  TICKET_PRIORITIES,
  type SlaEvent,
  type SlaPolicies,
  type SlaResult,
  type SlaState,
  type SlaTargetName,
  type TicketPriority,
  type TicketStatus,
} from './engine'
import { BERLIN_CALENDAR, berlin, LA, la, THANKSGIVING_CALENDAR, utc } from './test-helpers'

const reply = (time: Date): SlaEvent => ({ at: time, kind: 'agent-reply' })
const status = (time: Date, value: TicketStatus): SlaEvent => ({ at: time, kind: 'status', status: value })
const raise = (time: Date, priority: TicketPriority): SlaEvent => ({ at: time, kind: 'priority', priority })

// ---------------------------------------------------------------------------------------------
// The table

interface TargetExpectation {
  dueAt?: Date | null
  state?: SlaState
  achievedAt?: Date | null
  atRiskAt?: Date | null
  remainingMinutes?: number
  budgetMinutes?: number
}

interface SlaCase {
  name: string
  input: {
    startedAt: Date
    priority: TicketPriority
    premium?: boolean
    events?: SlaEvent[]
    /** defaults to startedAt */
    now?: Date
    calendar?: BusinessCalendar
    policies?: SlaPolicies
  }
  expect: {
    /** Exactly the targets present, in the engine's order (first-response, resolution, next-update). */
    targets: Partial<Record<SlaTargetName, TargetExpectation>>
    priority?: TicketPriority
    nextDueAt?: Date | null
    atRiskAt?: Date | null
    firstResponseBreached?: boolean
    resolutionBreached?: boolean
    updateBreached?: boolean
  }
}

const HIGH_WITHOUT_AFTER_HOURS: SlaPolicies = { ...DEFAULT_SLA_POLICIES, high: { ...DEFAULT_SLA_POLICIES.high, afterHoursFirstResponseMinutes: null } }

const cases: SlaCase[] = [
  // 1. A business day of 9 hours spans the night.
  {
    name: 'medium created Monday 10:00 → first response Monday 14:00, resolution Tuesday 10:00',
    input: { startedAt: la('2026-03-09 10:00'), priority: 'medium' },
    expect: {
      priority: 'medium',
      targets: {
        'first-response': { dueAt: la('2026-03-09 14:00'), state: 'running', atRiskAt: la('2026-03-09 13:00'), remainingMinutes: 240, budgetMinutes: 240, achievedAt: null },
        resolution: { dueAt: la('2026-03-10 10:00'), state: 'running', atRiskAt: la('2026-03-09 16:45'), remainingMinutes: 540, budgetMinutes: 540, achievedAt: null },
      },
      nextDueAt: la('2026-03-09 14:00'),
      atRiskAt: la('2026-03-09 13:00'),
      firstResponseBreached: false,
      resolutionBreached: false,
      updateBreached: false,
    },
  },

  // 2. Weekends do not count.
  {
    name: 'high created Friday 16:00 → first response Friday 17:00, resolution Monday 15:00 (weekend skipped)',
    input: { startedAt: la('2026-03-13 16:00'), priority: 'high' },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-13 17:00'), state: 'running', budgetMinutes: 60 },
        resolution: { dueAt: la('2026-03-16 15:00'), state: 'running', atRiskAt: la('2026-03-16 13:00'), budgetMinutes: 480 },
      },
      nextDueAt: la('2026-03-13 17:00'),
    },
  },
  {
    name: 'high created Friday 16:00, looked at on Saturday → first response breached, resolution has 6 business hours left',
    input: { startedAt: la('2026-03-13 16:00'), priority: 'high', now: la('2026-03-14 12:00') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-13 17:00'), state: 'breached', remainingMinutes: 0, atRiskAt: la('2026-03-13 16:45') },
        resolution: { dueAt: la('2026-03-16 15:00'), state: 'running', remainingMinutes: 360 },
      },
      nextDueAt: la('2026-03-13 17:00'),
      atRiskAt: la('2026-03-13 16:45'),
      firstResponseBreached: true,
      resolutionBreached: false,
    },
  },

  // 3. Out of hours: the clock starts at the next opening.
  {
    name: 'medium created Saturday 11:00 (out of hours) → first response Monday 13:00, resolution Monday 18:00',
    input: { startedAt: la('2026-03-14 11:00'), priority: 'medium', now: la('2026-03-15 20:00') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-16 13:00'), state: 'running', remainingMinutes: 240 },
        // Exactly one business day: due at Monday's closing, not Tuesday's opening.
        resolution: { dueAt: la('2026-03-16 18:00'), state: 'running', remainingMinutes: 540 },
      },
    },
  },

  // 4.
  {
    name: 'medium created Tuesday 20:00 → counting starts Wednesday 09:00',
    input: { startedAt: la('2026-03-10 20:00'), priority: 'medium', now: la('2026-03-11 09:30') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-11 13:00'), atRiskAt: la('2026-03-11 12:00'), state: 'running', remainingMinutes: 210 },
        resolution: { dueAt: la('2026-03-11 18:00'), state: 'running', remainingMinutes: 510 },
      },
    },
  },
  {
    name: 'high (business hours only, no after-hours budget) created Tuesday 20:00 → counting starts Wednesday 09:00',
    input: { startedAt: la('2026-03-10 20:00'), priority: 'high', now: la('2026-03-11 09:30'), policies: HIGH_WITHOUT_AFTER_HOURS },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-11 10:00'), atRiskAt: la('2026-03-11 09:45'), state: 'running', remainingMinutes: 30 },
        resolution: { dueAt: la('2026-03-11 17:00'), state: 'running', remainingMinutes: 450 },
      },
    },
  },

  // 4b. High: "within 1 hour during business hours, or 4 hours outside business hours" — the first
  // response is due at whichever clock ends first (decision 027).
  {
    name: 'high created Monday 04:11 (before opening) → first response 08:11 (4 real hours), not 10:00',
    input: { startedAt: la('2026-03-09 04:11'), priority: 'high', now: la('2026-03-09 07:00') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 08:11'), atRiskAt: la('2026-03-09 07:11'), state: 'running', budgetMinutes: 240, remainingMinutes: 71, achievedAt: null },
        // Resolution keeps the business clock: 8 business hours from 09:00.
        resolution: { dueAt: la('2026-03-09 17:00'), state: 'running', budgetMinutes: 480 },
      },
      nextDueAt: la('2026-03-09 08:11'),
      atRiskAt: la('2026-03-09 07:11'),
      firstResponseBreached: false,
    },
  },
  {
    name: 'high created Monday 04:11, first reply at 10:00 → first response breached (was due 08:11)',
    input: { startedAt: la('2026-03-09 04:11'), priority: 'high', events: [reply(la('2026-03-09 10:00'))], now: la('2026-03-09 10:00') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 08:11'), state: 'breached', achievedAt: la('2026-03-09 10:00') },
        resolution: { dueAt: la('2026-03-09 17:00'), state: 'running' },
      },
      nextDueAt: la('2026-03-09 17:00'),
      firstResponseBreached: true,
    },
  },
  {
    name: 'high created Monday 04:11, first reply at 08:00 → first response met',
    input: { startedAt: la('2026-03-09 04:11'), priority: 'high', events: [reply(la('2026-03-09 08:00'))], now: la('2026-03-09 08:30') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 08:11'), state: 'met', achievedAt: la('2026-03-09 08:00'), atRiskAt: null },
        resolution: { dueAt: la('2026-03-09 17:00') },
      },
      firstResponseBreached: false,
    },
  },
  {
    name: 'high created Monday 08:50 (10 minutes before opening) → business clock ends first: 10:00',
    input: { startedAt: la('2026-03-09 08:50'), priority: 'high' },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 10:00'), atRiskAt: la('2026-03-09 09:45'), budgetMinutes: 60, remainingMinutes: 60 },
        resolution: { dueAt: la('2026-03-09 17:00') },
      },
    },
  },
  {
    name: 'high created Monday 10:00 (in business hours) → 1 hour: 11:00',
    input: { startedAt: la('2026-03-09 10:00'), priority: 'high' },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 11:00'), atRiskAt: la('2026-03-09 10:45'), budgetMinutes: 60 },
        resolution: { dueAt: la('2026-03-09 18:00') },
      },
    },
  },
  {
    name: 'high created Monday 17:30 (30 business minutes left) → 4 real hours end first: 21:30, not Tuesday 09:30',
    input: { startedAt: la('2026-03-09 17:30'), priority: 'high' },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 21:30'), atRiskAt: la('2026-03-09 20:30'), budgetMinutes: 240 },
        resolution: { dueAt: la('2026-03-10 16:30') },
      },
    },
  },
  {
    name: 'high created Saturday 11:00 → first response Saturday 15:00',
    input: { startedAt: la('2026-03-14 11:00'), priority: 'high', now: la('2026-03-14 16:00') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-14 15:00'), state: 'breached', remainingMinutes: 0 },
        resolution: { dueAt: la('2026-03-16 17:00'), state: 'running' },
      },
      firstResponseBreached: true,
    },
  },
  {
    name: 'premium high created Monday 04:11 → both clocks halved: 2 real hours end first, 06:11',
    input: { startedAt: la('2026-03-09 04:11'), priority: 'high', premium: true },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 06:11'), budgetMinutes: 120 },
        resolution: { dueAt: la('2026-03-09 13:00'), budgetMinutes: 240 },
      },
    },
  },
  {
    name: 'high created Monday 04:11, pending 05:00–07:00 → the pause stops both clocks: real 10:11, business 10:00 → 10:00',
    input: {
      startedAt: la('2026-03-09 04:11'),
      priority: 'high',
      events: [status(la('2026-03-09 05:00'), 'pending'), status(la('2026-03-09 07:00'), 'open')],
      now: la('2026-03-09 07:00'),
    },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 10:00'), budgetMinutes: 60, state: 'running' },
        resolution: { dueAt: la('2026-03-09 17:00') },
      },
    },
  },
  {
    name: 'high created Monday 04:11, pending from 05:00 → first response paused (no due time) on both clocks',
    input: { startedAt: la('2026-03-09 04:11'), priority: 'high', events: [status(la('2026-03-09 05:00'), 'pending')], now: la('2026-03-09 12:00') },
    expect: {
      targets: {
        'first-response': { dueAt: null, state: 'paused', atRiskAt: null },
        resolution: { dueAt: null, state: 'paused' },
      },
      nextDueAt: null,
    },
  },
  {
    name: 'medium raised to high at 05:00 on a ticket opened at 04:11 → the high policy applies from the start: 08:11',
    input: { startedAt: la('2026-03-09 04:11'), priority: 'medium', events: [raise(la('2026-03-09 05:00'), 'high')], now: la('2026-03-09 05:00') },
    expect: {
      priority: 'high',
      targets: {
        'first-response': { dueAt: la('2026-03-09 08:11') },
        resolution: { dueAt: la('2026-03-09 17:00') },
      },
    },
  },
  {
    name: 'high with the after-hours budget switched off (null) → created 04:11, due at 10:00 as before',
    input: { startedAt: la('2026-03-09 04:11'), priority: 'high', policies: HIGH_WITHOUT_AFTER_HOURS },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 10:00'), budgetMinutes: 60 },
        resolution: { dueAt: la('2026-03-09 17:00') },
      },
    },
  },
  {
    name: 'medium has no after-hours budget → created 04:11, first response 13:00',
    input: { startedAt: la('2026-03-09 04:11'), priority: 'medium' },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 13:00'), budgetMinutes: 240 },
        resolution: { dueAt: la('2026-03-09 18:00') },
      },
    },
  },

  // 5. Holidays are closed all day.
  {
    name: 'Thanksgiving holiday: high created Wednesday 2026-11-25 17:00 → resolution skips Thursday to Friday 16:00',
    input: { startedAt: la('2026-11-25 17:00'), priority: 'high', calendar: THANKSGIVING_CALENDAR },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-11-25 18:00'), state: 'running' },
        resolution: { dueAt: la('2026-11-27 16:00'), state: 'running' },
      },
    },
  },
  {
    name: 'same ticket without the holiday in the calendar → resolution Thursday 16:00',
    input: { startedAt: la('2026-11-25 17:00'), priority: 'high' },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-11-25 18:00') },
        resolution: { dueAt: la('2026-11-26 16:00') },
      },
    },
  },

  // 6. Spring forward, 2026-03-08 in Los Angeles: PST (UTC-8) → PDT (UTC-7).
  {
    name: 'spring forward: low created Friday 2026-03-06 17:00 PST → first response Monday 17:00 PDT = 2026-03-10T00:00Z',
    input: { startedAt: utc('2026-03-07T01:00:00Z'), priority: 'low' },
    expect: {
      targets: {
        'first-response': { dueAt: utc('2026-03-10T00:00:00Z'), state: 'running', budgetMinutes: 540 },
        // 27 business hours: Fri 1h, Mon 9h, Tue 9h, Wed 8h → Wednesday 17:00 PDT.
        resolution: { dueAt: utc('2026-03-12T00:00:00Z'), state: 'running', budgetMinutes: 1620 },
      },
    },
  },
  {
    name: 'spring forward: critical (24/7) created 2026-03-08 01:30 PST → resolution 4 real hours later, 06:30 PDT',
    input: { startedAt: la('2026-03-08 01:30'), priority: 'critical' },
    expect: {
      targets: {
        'first-response': { dueAt: utc('2026-03-08T09:45:00Z'), state: 'running' },
        resolution: { dueAt: utc('2026-03-08T13:30:00Z'), state: 'running' },
      },
    },
  },

  // 7. Fall back, 2026-11-01 in Los Angeles: PDT (UTC-7) → PST (UTC-8).
  {
    name: 'fall back: low created Friday 2026-10-30 17:00 PDT → first response Monday 17:00 PST = 2026-11-03T01:00Z',
    input: { startedAt: utc('2026-10-31T00:00:00Z'), priority: 'low' },
    expect: {
      targets: {
        'first-response': { dueAt: utc('2026-11-03T01:00:00Z'), state: 'running' },
        resolution: { dueAt: utc('2026-11-05T01:00:00Z'), state: 'running' },
      },
    },
  },
  {
    name: 'fall back: critical (24/7) created 2026-11-01 00:30 PDT → resolution 4 real hours later, 03:30 PST',
    input: { startedAt: la('2026-11-01 00:30'), priority: 'critical' },
    expect: {
      targets: {
        'first-response': { dueAt: utc('2026-11-01T07:45:00Z'), state: 'running' },
        resolution: { dueAt: utc('2026-11-01T11:30:00Z'), state: 'running' },
      },
    },
  },

  // 8. Pending pauses every target; reopening resumes with the time used preserved.
  {
    name: 'pause: medium, replied at +1h and set pending → resolution paused with 8 business hours left',
    input: {
      startedAt: la('2026-03-09 09:00'),
      priority: 'medium',
      events: [reply(la('2026-03-09 10:00')), status(la('2026-03-09 10:00'), 'pending')],
      now: la('2026-03-09 12:00'),
    },
    expect: {
      targets: {
        // The achieved target keeps its due time, for "answered with 3h to spare" reports.
        'first-response': { dueAt: la('2026-03-09 13:00'), state: 'met', achievedAt: la('2026-03-09 10:00'), atRiskAt: null, remainingMinutes: 180 },
        resolution: { dueAt: null, state: 'paused', atRiskAt: null, achievedAt: null, remainingMinutes: 480 },
      },
      nextDueAt: null,
      atRiskAt: null,
      firstResponseBreached: false,
      resolutionBreached: false,
    },
  },
  {
    name: 'resume: pending for 3 business hours, customer reopens → resolution due 3 business hours later, Tuesday 12:00',
    input: {
      startedAt: la('2026-03-09 09:00'),
      priority: 'medium',
      events: [reply(la('2026-03-09 10:00')), status(la('2026-03-09 10:00'), 'pending'), status(la('2026-03-09 13:00'), 'open')],
      now: la('2026-03-09 14:00'),
    },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 13:00'), state: 'met' },
        // 1h before the pause + 1h after it are used; 405 counted minutes (75%) are reached Tuesday 09:45.
        resolution: { dueAt: la('2026-03-10 12:00'), state: 'running', atRiskAt: la('2026-03-10 09:45'), remainingMinutes: 420 },
      },
      nextDueAt: la('2026-03-10 12:00'),
      atRiskAt: la('2026-03-10 09:45'),
    },
  },
  {
    name: 'control for the pause: same ticket never pending → resolution Monday 18:00',
    input: { startedAt: la('2026-03-09 09:00'), priority: 'medium', events: [reply(la('2026-03-09 10:00'))], now: la('2026-03-09 14:00') },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { dueAt: la('2026-03-09 18:00'), state: 'running', remainingMinutes: 240 },
      },
    },
  },
  {
    name: 'events given out of order are sorted by time (same result as the resumed ticket)',
    input: {
      startedAt: la('2026-03-09 09:00'),
      priority: 'medium',
      events: [status(la('2026-03-09 13:00'), 'open'), status(la('2026-03-09 10:00'), 'pending'), reply(la('2026-03-09 10:00'))],
      now: la('2026-03-09 14:00'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met', achievedAt: la('2026-03-09 10:00') },
        resolution: { dueAt: la('2026-03-10 12:00'), state: 'running' },
      },
    },
  },

  // 9. A pause outside business hours costs nothing.
  {
    name: 'pending from Friday 18:30 to Monday 08:00 (night + weekend) → same due times as never pending',
    input: {
      startedAt: la('2026-03-13 15:00'),
      priority: 'medium',
      events: [status(la('2026-03-13 18:30'), 'pending'), status(la('2026-03-16 08:00'), 'open')],
      now: la('2026-03-16 08:00'),
    },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-16 10:00'), state: 'running', remainingMinutes: 60 },
        resolution: { dueAt: la('2026-03-16 15:00'), state: 'running', remainingMinutes: 360 },
      },
    },
  },
  {
    name: 'control: medium created Friday 15:00, never pending → first response Monday 10:00, resolution Monday 15:00',
    input: { startedAt: la('2026-03-13 15:00'), priority: 'medium', now: la('2026-03-16 08:00') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-16 10:00') },
        resolution: { dueAt: la('2026-03-16 15:00') },
      },
    },
  },
  {
    name: 'pending Friday 16:00 to Monday 11:00 → only the 4 business hours inside the pause shift the deadlines',
    input: {
      startedAt: la('2026-03-13 15:00'),
      priority: 'medium',
      events: [status(la('2026-03-13 16:00'), 'pending'), status(la('2026-03-16 11:00'), 'open')],
      now: la('2026-03-16 11:00'),
    },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-16 14:00'), state: 'running', remainingMinutes: 180 },
        resolution: { dueAt: la('2026-03-17 10:00'), state: 'running', remainingMinutes: 480 },
      },
    },
  },
  {
    name: 'pending before the first reply also pauses first response (answered in time thanks to the pause)',
    input: {
      startedAt: la('2026-03-09 09:00'),
      priority: 'medium',
      events: [status(la('2026-03-09 10:00'), 'pending'), status(la('2026-03-09 14:00'), 'open'), reply(la('2026-03-09 15:30'))],
      now: la('2026-03-09 15:30'),
    },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 17:00'), state: 'met', achievedAt: la('2026-03-09 15:30'), remainingMinutes: 90 },
        resolution: { dueAt: la('2026-03-10 13:00'), state: 'running' },
      },
    },
  },

  // 10. A priority change recomputes everything from the original start.
  {
    name: 'priority low → high after 2 business hours without a reply → first response already breached at start + 1h',
    input: { startedAt: la('2026-03-09 09:00'), priority: 'low', events: [raise(la('2026-03-09 11:00'), 'high')], now: la('2026-03-09 11:00') },
    expect: {
      priority: 'high',
      targets: {
        'first-response': { dueAt: la('2026-03-09 10:00'), state: 'breached', atRiskAt: la('2026-03-09 09:45'), remainingMinutes: 0, budgetMinutes: 60 },
        resolution: { dueAt: la('2026-03-09 17:00'), state: 'running', remainingMinutes: 360, budgetMinutes: 480 },
      },
      nextDueAt: la('2026-03-09 10:00'),
      atRiskAt: la('2026-03-09 09:45'),
      firstResponseBreached: true,
      resolutionBreached: false,
    },
  },
  {
    name: 'priority high → low again half an hour later → first response relaxes back to running',
    input: {
      startedAt: la('2026-03-09 09:00'),
      priority: 'low',
      events: [raise(la('2026-03-09 11:00'), 'high'), raise(la('2026-03-09 11:30'), 'low')],
      now: la('2026-03-09 11:30'),
    },
    expect: {
      priority: 'low',
      targets: {
        'first-response': { dueAt: la('2026-03-09 18:00'), state: 'running', atRiskAt: la('2026-03-09 15:45'), remainingMinutes: 390 },
        resolution: { dueAt: la('2026-03-11 18:00'), state: 'running', remainingMinutes: 1470 },
      },
      nextDueAt: la('2026-03-09 18:00'),
      firstResponseBreached: false,
    },
  },
  {
    name: 'low created Saturday raised to critical → the 24/7 policy applies from the original start',
    input: { startedAt: la('2026-03-14 10:00'), priority: 'low', events: [raise(la('2026-03-14 10:05'), 'critical')], now: la('2026-03-14 10:05') },
    expect: {
      priority: 'critical',
      targets: {
        'first-response': { dueAt: la('2026-03-14 10:15'), state: 'running', remainingMinutes: 10 },
        resolution: { dueAt: la('2026-03-14 14:00'), state: 'running', remainingMinutes: 235 },
      },
    },
  },

  // 11. Premium requesters: every target 50% shorter.
  {
    name: 'premium medium → first response 2 business hours, resolution 4.5 business hours',
    input: { startedAt: la('2026-03-09 09:00'), priority: 'medium', premium: true },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 11:00'), atRiskAt: la('2026-03-09 10:30'), budgetMinutes: 120, remainingMinutes: 120 },
        resolution: { dueAt: la('2026-03-09 13:30'), budgetMinutes: 270 },
      },
    },
  },
  {
    name: 'premium critical → first response 7.5 minutes (fractional budget)',
    input: { startedAt: la('2026-03-09 10:00'), priority: 'critical', premium: true, now: la('2026-03-09 10:05') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 10:07:30'), state: 'running', budgetMinutes: 7.5, remainingMinutes: 2.5 },
        resolution: { dueAt: la('2026-03-09 12:00'), budgetMinutes: 120 },
      },
    },
  },
  {
    name: 'premium critical → next update every 30 minutes',
    input: { startedAt: la('2026-03-09 10:00'), priority: 'critical', premium: true, events: [reply(la('2026-03-09 10:05'))], now: la('2026-03-09 10:30') },
    expect: {
      targets: {
        'first-response': { state: 'met', dueAt: la('2026-03-09 10:07:30'), remainingMinutes: 2.5 },
        resolution: { state: 'running' },
        'next-update': { dueAt: la('2026-03-09 10:35'), state: 'running', budgetMinutes: 30, remainingMinutes: 5 },
      },
      updateBreached: false,
    },
  },

  // 12. Critical tickets owe the customer an update every hour after the first reply.
  {
    name: 'critical next update: replies at +10 and +70 min, silence until +140 → next update due +130, breached',
    input: {
      startedAt: la('2026-03-09 10:00'),
      priority: 'critical',
      events: [reply(la('2026-03-09 10:10')), reply(la('2026-03-09 11:10'))],
      now: la('2026-03-09 12:20'),
    },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 10:15'), state: 'met', achievedAt: la('2026-03-09 10:10'), remainingMinutes: 5 },
        resolution: { dueAt: la('2026-03-09 14:00'), state: 'running', remainingMinutes: 100 },
        'next-update': { dueAt: la('2026-03-09 12:10'), state: 'breached', atRiskAt: la('2026-03-09 11:55'), achievedAt: null, remainingMinutes: 0, budgetMinutes: 60 },
      },
      nextDueAt: la('2026-03-09 12:10'),
      atRiskAt: la('2026-03-09 11:55'),
      firstResponseBreached: false,
      resolutionBreached: false,
      updateBreached: true,
    },
  },
  {
    name: 'critical next update: replies every 50 minutes → running, updateBreached false',
    input: {
      startedAt: la('2026-03-09 10:00'),
      priority: 'critical',
      events: [reply(la('2026-03-09 10:10')), reply(la('2026-03-09 11:00')), reply(la('2026-03-09 11:50'))],
      now: la('2026-03-09 12:20'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { dueAt: la('2026-03-09 14:00'), state: 'running' },
        'next-update': { dueAt: la('2026-03-09 12:50'), state: 'running', atRiskAt: la('2026-03-09 12:35'), remainingMinutes: 30 },
      },
      nextDueAt: la('2026-03-09 12:50'),
      atRiskAt: la('2026-03-09 12:35'),
      updateBreached: false,
    },
  },
  {
    name: 'critical next update: an update exactly 60 minutes after the last one is on time',
    input: {
      startedAt: la('2026-03-09 10:00'),
      priority: 'critical',
      events: [reply(la('2026-03-09 10:10')), reply(la('2026-03-09 11:10'))],
      now: la('2026-03-09 11:10'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { state: 'running' },
        'next-update': { dueAt: la('2026-03-09 12:10'), state: 'running', remainingMinutes: 60 },
      },
      updateBreached: false,
    },
  },
  {
    name: 'critical next update: an 80-minute gap earlier stays recorded as a breach though the current one runs',
    input: {
      startedAt: la('2026-03-09 10:00'),
      priority: 'critical',
      events: [reply(la('2026-03-09 10:10')), reply(la('2026-03-09 11:30'))],
      now: la('2026-03-09 11:40'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { state: 'running' },
        'next-update': { dueAt: la('2026-03-09 12:30'), state: 'running', remainingMinutes: 50 },
      },
      updateBreached: true,
    },
  },
  {
    name: 'critical next update: pending pauses it (and resolution) with the time left preserved',
    input: {
      startedAt: la('2026-03-09 10:00'),
      priority: 'critical',
      events: [reply(la('2026-03-09 10:10')), status(la('2026-03-09 10:20'), 'pending')],
      now: la('2026-03-09 13:00'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met', dueAt: la('2026-03-09 10:15') },
        resolution: { dueAt: null, state: 'paused', atRiskAt: null, remainingMinutes: 220 },
        'next-update': { dueAt: null, state: 'paused', atRiskAt: null, remainingMinutes: 50 },
      },
      nextDueAt: null,
      atRiskAt: null,
      updateBreached: false,
    },
  },
  {
    name: 'critical without any reply yet → no next-update target, first response breached after 15 minutes',
    input: { startedAt: la('2026-03-09 10:00'), priority: 'critical', now: la('2026-03-09 10:20') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 10:15'), state: 'breached', remainingMinutes: 0 },
        resolution: { dueAt: la('2026-03-09 14:00'), state: 'running', remainingMinutes: 220 },
      },
      nextDueAt: la('2026-03-09 10:15'),
      firstResponseBreached: true,
      updateBreached: false,
    },
  },

  // 13. First response met or breached.
  {
    name: 'first response met: medium answered at 12:59, a minute before 13:00',
    input: { startedAt: la('2026-03-09 09:00'), priority: 'medium', events: [reply(la('2026-03-09 12:59'))], now: la('2026-03-09 12:59') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 13:00'), state: 'met', achievedAt: la('2026-03-09 12:59'), atRiskAt: null, remainingMinutes: 1 },
        resolution: { dueAt: la('2026-03-09 18:00'), state: 'running' },
      },
      nextDueAt: la('2026-03-09 18:00'),
      firstResponseBreached: false,
    },
  },
  {
    name: 'first response met: answered exactly at the due time',
    input: { startedAt: la('2026-03-09 09:00'), priority: 'medium', events: [reply(la('2026-03-09 13:00'))], now: la('2026-03-09 13:00') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 13:00'), state: 'met', remainingMinutes: 0 },
        resolution: { state: 'running' },
      },
      firstResponseBreached: false,
    },
  },
  {
    name: 'first response breached: answered at 13:30, half an hour late',
    input: { startedAt: la('2026-03-09 09:00'), priority: 'medium', events: [reply(la('2026-03-09 13:30'))], now: la('2026-03-09 14:00') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 13:00'), state: 'breached', achievedAt: la('2026-03-09 13:30'), atRiskAt: la('2026-03-09 12:00'), remainingMinutes: 0 },
        resolution: { dueAt: la('2026-03-09 18:00'), state: 'running', remainingMinutes: 240 },
      },
      // An achieved target no longer drives the queue, even when it was late.
      nextDueAt: la('2026-03-09 18:00'),
      firstResponseBreached: true,
    },
  },
  {
    name: 'first response breached: answered Monday morning for a Friday-evening deadline',
    input: { startedAt: la('2026-03-13 16:00'), priority: 'high', events: [reply(la('2026-03-16 09:00'))], now: la('2026-03-16 09:00') },
    expect: {
      targets: {
        // No business time passed between the due time and the reply, but it still came after it.
        'first-response': { dueAt: la('2026-03-13 17:00'), state: 'breached', remainingMinutes: 0 },
        resolution: { dueAt: la('2026-03-16 15:00'), state: 'running' },
      },
      firstResponseBreached: true,
    },
  },

  // 14. Resolution.
  {
    name: 'resolution met: medium solved at 12:00, due 18:00',
    input: {
      startedAt: la('2026-03-09 09:00'),
      priority: 'medium',
      events: [reply(la('2026-03-09 10:00')), status(la('2026-03-09 12:00'), 'solved')],
      now: la('2026-03-09 12:30'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { dueAt: la('2026-03-09 18:00'), state: 'met', achievedAt: la('2026-03-09 12:00'), atRiskAt: null, remainingMinutes: 360 },
      },
      nextDueAt: null,
      atRiskAt: null,
      resolutionBreached: false,
    },
  },
  {
    name: 'resolution reopened: solved at 12:00, reopened at 14:00 → running again, achievedAt null, clock continues',
    input: {
      startedAt: la('2026-03-09 09:00'),
      priority: 'medium',
      events: [reply(la('2026-03-09 10:00')), status(la('2026-03-09 12:00'), 'solved'), status(la('2026-03-09 14:00'), 'open')],
      now: la('2026-03-09 15:00'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        // 3h before the solve + 1h since reopening used; the solved stretch did not count.
        resolution: { dueAt: la('2026-03-10 11:00'), state: 'running', achievedAt: null, remainingMinutes: 300 },
      },
      nextDueAt: la('2026-03-10 11:00'),
      resolutionBreached: false,
    },
  },
  {
    name: 'resolution solved again after reopening → achieved at the latest solve',
    input: {
      startedAt: la('2026-03-09 09:00'),
      priority: 'medium',
      events: [
        reply(la('2026-03-09 10:00')),
        status(la('2026-03-09 12:00'), 'solved'),
        status(la('2026-03-09 14:00'), 'open'),
        status(la('2026-03-10 10:00'), 'solved'),
      ],
      now: la('2026-03-10 12:00'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { dueAt: la('2026-03-10 11:00'), state: 'met', achievedAt: la('2026-03-10 10:00'), remainingMinutes: 60 },
      },
    },
  },
  {
    name: 'resolution breached: medium solved Tuesday 12:00 for a Monday 18:00 deadline',
    input: {
      startedAt: la('2026-03-09 09:00'),
      priority: 'medium',
      events: [reply(la('2026-03-09 10:00')), status(la('2026-03-10 12:00'), 'solved')],
      now: la('2026-03-10 12:00'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { dueAt: la('2026-03-09 18:00'), state: 'breached', achievedAt: la('2026-03-10 12:00'), remainingMinutes: 0 },
      },
      nextDueAt: null,
      resolutionBreached: true,
    },
  },
  {
    name: 'resolution running and overdue: medium still open Tuesday → breached, stays the next due time',
    input: { startedAt: la('2026-03-09 09:00'), priority: 'medium', events: [reply(la('2026-03-09 10:00'))], now: la('2026-03-10 09:30') },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { dueAt: la('2026-03-09 18:00'), state: 'breached', achievedAt: null, atRiskAt: la('2026-03-09 15:45'), remainingMinutes: 0 },
      },
      nextDueAt: la('2026-03-09 18:00'),
      atRiskAt: la('2026-03-09 15:45'),
      resolutionBreached: true,
    },
  },

  // 15. Closing a solved ticket changes nothing.
  {
    name: 'solved then closed: resolution stays met at the solve time',
    input: {
      startedAt: la('2026-03-09 09:00'),
      priority: 'medium',
      events: [reply(la('2026-03-09 10:00')), status(la('2026-03-09 12:00'), 'solved'), status(la('2026-03-09 13:00'), 'closed')],
      now: la('2026-03-11 09:00'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { dueAt: la('2026-03-09 18:00'), state: 'met', achievedAt: la('2026-03-09 12:00'), remainingMinutes: 360 },
      },
      nextDueAt: null,
      resolutionBreached: false,
    },
  },
  {
    name: 'critical solved then closed: next-update omitted, updates were on time',
    input: {
      startedAt: la('2026-03-09 10:00'),
      priority: 'critical',
      events: [reply(la('2026-03-09 10:05')), status(la('2026-03-09 11:00'), 'solved'), status(la('2026-03-09 12:00'), 'closed')],
      now: la('2026-03-09 20:00'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met', achievedAt: la('2026-03-09 10:05') },
        resolution: { dueAt: la('2026-03-09 14:00'), state: 'met', achievedAt: la('2026-03-09 11:00'), remainingMinutes: 180 },
      },
      nextDueAt: null,
      updateBreached: false,
    },
  },
  {
    name: 'critical solved 85 minutes after the last update: next-update omitted but updateBreached true',
    input: {
      startedAt: la('2026-03-09 10:00'),
      priority: 'critical',
      events: [reply(la('2026-03-09 10:05')), status(la('2026-03-09 11:30'), 'solved'), status(la('2026-03-09 12:00'), 'closed')],
      now: la('2026-03-09 20:00'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { state: 'met', achievedAt: la('2026-03-09 11:30') },
      },
      updateBreached: true,
    },
  },
  {
    name: 'closed straight from open (never marked solved) → resolution achieved at the close',
    input: {
      startedAt: la('2026-03-09 10:00'),
      priority: 'critical',
      events: [reply(la('2026-03-09 10:05')), status(la('2026-03-09 10:30'), 'closed')],
      now: la('2026-03-09 11:00'),
    },
    expect: {
      targets: {
        'first-response': { state: 'met' },
        resolution: { state: 'met', achievedAt: la('2026-03-09 10:30'), remainingMinutes: 210 },
      },
      nextDueAt: null,
    },
  },

  // 16. At risk when 75% of the budget is used.
  {
    name: 'at risk: medium created Monday 09:00 → first response at risk at 12:00, resolution at 15:45',
    input: { startedAt: la('2026-03-09 09:00'), priority: 'medium', now: la('2026-03-09 12:30') },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 13:00'), atRiskAt: la('2026-03-09 12:00'), state: 'running', remainingMinutes: 30 },
        resolution: { dueAt: la('2026-03-09 18:00'), atRiskAt: la('2026-03-09 15:45'), state: 'running', remainingMinutes: 330 },
      },
      nextDueAt: la('2026-03-09 13:00'),
      atRiskAt: la('2026-03-09 12:00'),
    },
  },
  {
    name: 'at risk across the night: high created Monday 17:00 → resolution at risk Tuesday 14:00',
    input: { startedAt: la('2026-03-09 17:00'), priority: 'high' },
    expect: {
      targets: {
        'first-response': { dueAt: la('2026-03-09 18:00'), atRiskAt: la('2026-03-09 17:45') },
        // 75% of 8h = 6h: 1h on Monday, 5h on Tuesday.
        resolution: { dueAt: la('2026-03-10 16:00'), atRiskAt: la('2026-03-10 14:00') },
      },
    },
  },

  // 19. Another calendar: Berlin, Monday to Saturday, 08:00–16:00 (and the EU DST change on 2026-03-29).
  {
    name: 'Berlin Mon–Sat 08:00–16:00: high created Saturday 15:00 → first response Saturday 16:00, resolution Monday 15:00 CEST',
    input: { startedAt: berlin('2026-03-28 15:00'), priority: 'high', calendar: BERLIN_CALENDAR },
    expect: {
      targets: {
        'first-response': { dueAt: utc('2026-03-28T15:00:00Z'), state: 'running' },
        resolution: { dueAt: utc('2026-03-30T13:00:00Z'), state: 'running' },
      },
    },
  },
  {
    name: 'Berlin Mon–Sat 08:00–16:00: medium created Sunday 12:00 → first response Monday 12:00, resolution Tuesday 09:00',
    input: { startedAt: berlin('2026-03-29 12:00'), priority: 'medium', calendar: BERLIN_CALENDAR },
    expect: {
      targets: {
        'first-response': { dueAt: berlin('2026-03-30 12:00'), atRiskAt: berlin('2026-03-30 11:00') },
        // 9 business hours but only 8 per day here.
        resolution: { dueAt: berlin('2026-03-31 09:00') },
      },
    },
  },
  {
    name: 'Berlin calendar with a custom 24/7 critical policy ignores opening hours',
    input: {
      startedAt: berlin('2026-03-29 01:30'),
      priority: 'critical',
      calendar: BERLIN_CALENDAR,
      policies: { ...DEFAULT_SLA_POLICIES, critical: { firstResponseMinutes: 30, resolutionMinutes: 120, updateMinutes: 45, businessHours: false, afterHoursFirstResponseMinutes: null } },
    },
    expect: {
      targets: {
        'first-response': { dueAt: berlin('2026-03-29 03:00'), budgetMinutes: 30 },
        // 01:30 CET + 2 real hours = 04:30 CEST (02:00 → 03:00 skipped).
        resolution: { dueAt: utc('2026-03-29T02:30:00Z'), budgetMinutes: 120 },
      },
    },
  },
]

const TARGET_ORDER: SlaTargetName[] = ['first-response', 'resolution', 'next-update']
const iso = (value: Date | null | undefined) => (value == null ? value : value.toISOString())

function run(c: SlaCase): SlaResult {
  return computeSla({
    policies: c.input.policies ?? DEFAULT_SLA_POLICIES,
    calendar: c.input.calendar ?? DEFAULT_BUSINESS_CALENDAR,
    startedAt: c.input.startedAt,
    priority: c.input.priority,
    premium: c.input.premium ?? false,
    events: c.input.events ?? [],
    now: c.input.now ?? c.input.startedAt,
  })
}

describe('computeSla', () => {
  it.each(cases)('$name', (c) => {
    const result = run(c)
    const expected = c.expect

    const presentNames = result.targets.map((target) => target.target)
    expect(presentNames).toEqual(TARGET_ORDER.filter((name) => name in expected.targets))

    for (const [name, want] of Object.entries(expected.targets) as [SlaTargetName, TargetExpectation][]) {
      const got = result.targets.find((target) => target.target === name)!
      if ('dueAt' in want) expect(iso(got.dueAt), `${name}.dueAt`).toBe(iso(want.dueAt))
      if ('atRiskAt' in want) expect(iso(got.atRiskAt), `${name}.atRiskAt`).toBe(iso(want.atRiskAt))
      if ('achievedAt' in want) expect(iso(got.achievedAt), `${name}.achievedAt`).toBe(iso(want.achievedAt))
      if (want.state !== undefined) expect(got.state, `${name}.state`).toBe(want.state)
      if (want.remainingMinutes !== undefined) expect(got.remainingMinutes, `${name}.remainingMinutes`).toBeCloseTo(want.remainingMinutes, 9)
      if (want.budgetMinutes !== undefined) expect(got.budgetMinutes, `${name}.budgetMinutes`).toBe(want.budgetMinutes)
      // Invariants that hold for every target.
      if (got.state === 'paused') expect(got.dueAt, `${name}: paused has no due time`).toBeNull()
      if (got.state === 'paused' || got.state === 'met') expect(got.atRiskAt, `${name}: no risk when paused/met`).toBeNull()
      if (got.state !== 'paused') expect(got.dueAt, `${name}: due time known unless paused`).not.toBeNull()
      if (got.state === 'breached' && got.achievedAt === null) expect(got.remainingMinutes).toBe(0)
    }

    if ('priority' in expected) expect(result.priority).toBe(expected.priority)
    if ('nextDueAt' in expected) expect(iso(result.nextDueAt), 'nextDueAt').toBe(iso(expected.nextDueAt))
    if ('atRiskAt' in expected) expect(iso(result.atRiskAt), 'atRiskAt').toBe(iso(expected.atRiskAt))
    if ('firstResponseBreached' in expected) expect(result.firstResponseBreached).toBe(expected.firstResponseBreached)
    if ('resolutionBreached' in expected) expect(result.resolutionBreached).toBe(expected.resolutionBreached)
    if ('updateBreached' in expected) expect(result.updateBreached).toBe(expected.updateBreached)

    // The flags always mirror the targets' states.
    const stateOf = (name: SlaTargetName) => result.targets.find((target) => target.target === name)?.state
    expect(result.firstResponseBreached).toBe(stateOf('first-response') === 'breached')
    expect(result.resolutionBreached).toBe(stateOf('resolution') === 'breached')
  })

  it('the test helper converts LA wall-clock times with the right DST offsets', () => {
    expect(la('2026-03-06 17:00').toISOString()).toBe('2026-03-07T01:00:00.000Z') // PST, UTC-8
    expect(la('2026-03-09 17:00').toISOString()).toBe('2026-03-10T00:00:00.000Z') // PDT, UTC-7
    expect(la('2026-03-08 06:30').toISOString()).toBe('2026-03-08T13:30:00.000Z')
    expect(la('2026-10-30 17:00').toISOString()).toBe('2026-10-31T00:00:00.000Z') // PDT
    expect(la('2026-11-02 17:00').toISOString()).toBe('2026-11-03T01:00:00.000Z') // PST
    expect(DateTime.fromISO('2026-11-01T11:30:00Z').setZone(LA).toFormat('HH:mm ZZ')).toBe('03:30 -08:00')
  })

  it('a pause of 3 business hours moves the resolution deadline by exactly 3 counted hours', () => {
    const paused = cases.find((c) => c.name.startsWith('resume:'))!
    const control = cases.find((c) => c.name.startsWith('control for the pause'))!
    const dueWith = run(paused).targets.find((t) => t.target === 'resolution')!.dueAt!
    const dueWithout = run(control).targets.find((t) => t.target === 'resolution')!.dueAt!
    expect(countedMinutesBetween(DEFAULT_BUSINESS_CALENDAR, true, dueWithout, dueWith)).toBe(180)
  })

  it('events at the same instant keep their given order (stable sort)', () => {
    const base = { policies: DEFAULT_SLA_POLICIES, calendar: DEFAULT_BUSINESS_CALENDAR, startedAt: la('2026-03-09 09:00'), priority: 'medium' as const, premium: false, now: la('2026-03-09 12:00') }
    const t = la('2026-03-09 10:00')
    const reopened = computeSla({ ...base, events: [status(t, 'pending'), status(t, 'open')] })
    const parked = computeSla({ ...base, events: [status(t, 'open'), status(t, 'pending')] })
    expect(reopened.targets[0].state).toBe('running')
    expect(reopened.targets[0].remainingMinutes).toBe(60)
    expect(parked.targets[0].state).toBe('paused')
    expect(parked.targets[0].remainingMinutes).toBe(180)
  })

  it('is pure: the input events array is not reordered and repeated calls agree', () => {
    const c = cases.find((x) => x.name.startsWith('events given out of order'))!
    const before = c.input.events!.map((e) => e.at.getTime())
    expect(run(c)).toEqual(run(c))
    expect(c.input.events!.map((e) => e.at.getTime())).toEqual(before)
  })

  it('every priority has a default policy and the defaults are as documented', () => {
    expect([...TICKET_PRIORITIES]).toEqual(['low', 'medium', 'high', 'critical'])
    for (const priority of TICKET_PRIORITIES) expect(DEFAULT_SLA_POLICIES[priority]).toBeDefined()
    expect(DEFAULT_SLA_POLICIES.critical).toEqual({ firstResponseMinutes: 15, resolutionMinutes: 240, updateMinutes: 60, businessHours: false, afterHoursFirstResponseMinutes: null })
    expect(DEFAULT_SLA_POLICIES.high.afterHoursFirstResponseMinutes).toBe(240)
    expect(DEFAULT_SLA_POLICIES.medium.afterHoursFirstResponseMinutes).toBeNull()
    expect(DEFAULT_SLA_POLICIES.low.afterHoursFirstResponseMinutes).toBeNull()
    expect(DEFAULT_SLA_POLICIES.medium.resolutionMinutes).toBe(540)
  })

  it('rejects a calendar with an invalid time zone', () => {
    const c = cases[0]
    expect(() => run({ ...c, input: { ...c.input, calendar: { ...DEFAULT_BUSINESS_CALENDAR, timeZone: 'Mars/Olympus_Mons' } } })).toThrow(/time zone/)
  })
})
