import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { ticketPriority, ticketSource, ticketStatus } from '#db/schema/tickets'
import { PRIORITY_LABELS, STATUS_LABELS, type TicketSource } from './constants'
import { TICKET_PRIORITIES, type TicketStatus } from './sla/engine'

const here = path.dirname(new URL(import.meta.url).pathname)
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1])
const sourcesIn = (dir: string) =>
  readdirSync(dir)
    .filter((name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && name !== 'test-helpers.ts')
    .map((name) => path.join(dir, name))

describe('ticket constants shared with the browser', () => {
  // The engine writes the priorities out so it needs no schema; the database enum must agree.
  test('match the database enums', () => {
    expect([...TICKET_PRIORITIES]).toEqual(ticketPriority.enumValues)
    expect(Object.keys(PRIORITY_LABELS)).toEqual(ticketPriority.enumValues)
    expect(Object.keys(STATUS_LABELS)).toEqual(ticketStatus.enumValues satisfies readonly TicketStatus[])
    expect(ticketSource.enumValues satisfies readonly TicketSource[]).toEqual(['web', 'email', 'thread', 'chat'])
  })

  test('the SLA engine and calendar import nothing but luxon and each other', () => {
    const files = sourcesIn(path.join(here, 'sla'))
    expect(files.map((f) => path.basename(f)).sort()).toEqual(expect.arrayContaining(['calendar.ts', 'engine.ts']))
    for (const file of files) {
      for (const specifier of importsOf(file)) expect(specifier === 'luxon' || /^\.\/[\w-]+$/.test(specifier), `${path.basename(file)} imports ${specifier}`).toBe(true)
    }
  })

  test('the browser-facing ticket files import no server module and no database code', () => {
    for (const file of [path.join(here, 'constants.ts'), ...sourcesIn(path.join(here, 'ui'))]) {
      for (const specifier of importsOf(file)) {
        expect(/\.server$|^#db\/|^drizzle-orm|^postgres$|^@electric-sql/.test(specifier), `${path.relative(here, file)} imports ${specifier}`).toBe(false)
      }
    }
  })
})
