import { availableParallelism } from 'node:os'
import { afterEach, describe, expect, test } from 'vitest'
import { env } from './env.server'

const saved = {
  NODE_ENV: process.env.NODE_ENV,
  COOKIE_SECURE: process.env.COOKIE_SECURE,
  DATABASE_URL: process.env.DATABASE_URL,
  WEB_CONCURRENCY: process.env.WEB_CONCURRENCY,
  LOG_LEVEL: process.env.LOG_LEVEL,
  TICKET_REOPEN_DAYS: process.env.TICKET_REOPEN_DAYS,
}
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
})

describe('session cookie Secure flag', () => {
  test('is on in production and off otherwise, read when the server runs, not when it was built', () => {
    delete process.env.COOKIE_SECURE
    process.env.NODE_ENV = 'production'
    expect(env.cookieSecure).toBe(true)
    process.env.NODE_ENV = 'development'
    expect(env.cookieSecure).toBe(false)
  })

  test('COOKIE_SECURE overrides it either way', () => {
    process.env.NODE_ENV = 'production'
    process.env.COOKIE_SECURE = '0'
    expect(env.cookieSecure).toBe(false)
    process.env.NODE_ENV = 'development'
    process.env.COOKIE_SECURE = '1'
    expect(env.cookieSecure).toBe(true)
  })
})

describe('web workers (WEB_CONCURRENCY)', () => {
  test('PGlite always runs one process, whatever WEB_CONCURRENCY says', () => {
    delete process.env.DATABASE_URL
    process.env.WEB_CONCURRENCY = '8'
    process.env.NODE_ENV = 'production'
    expect(env.webConcurrency).toBe(1)
  })

  test('on PostgreSQL: WEB_CONCURRENCY, else one per core in production and one in development', () => {
    process.env.DATABASE_URL = 'postgres://db.example/parley'
    process.env.WEB_CONCURRENCY = '3'
    expect(env.webConcurrency).toBe(3)
    delete process.env.WEB_CONCURRENCY
    process.env.NODE_ENV = 'production'
    expect(env.webConcurrency).toBe(availableParallelism())
    process.env.NODE_ENV = 'development'
    expect(env.webConcurrency).toBe(1)
  })

  test('a setting that is not a positive whole number is refused with its name', () => {
    process.env.DATABASE_URL = 'postgres://db.example/parley'
    for (const setting of ['0', '-2', 'two', '1.5']) {
      process.env.WEB_CONCURRENCY = setting
      expect(() => env.webConcurrency).toThrow(/WEB_CONCURRENCY/)
    }
  })

  test('LOG_LEVEL accepts pino’s levels and refuses anything else', () => {
    delete process.env.LOG_LEVEL
    expect(env.logLevel).toBe('info')
    process.env.LOG_LEVEL = 'DEBUG'
    expect(env.logLevel).toBe('debug')
    process.env.LOG_LEVEL = 'verbose'
    expect(() => env.logLevel).toThrow(/LOG_LEVEL/)
  })
})

describe('TICKET_REOPEN_DAYS', () => {
  test('defaults to 30 days, takes 0 or more, and refuses anything else with its name in the message', () => {
    delete process.env.TICKET_REOPEN_DAYS
    expect(env.ticketReopenDays).toBe(30)
    process.env.TICKET_REOPEN_DAYS = '0'
    expect(env.ticketReopenDays).toBe(0)
    process.env.TICKET_REOPEN_DAYS = '7.5'
    expect(env.ticketReopenDays).toBe(7.5)
    for (const bad of ['-1', 'a month']) {
      process.env.TICKET_REOPEN_DAYS = bad
      expect(() => env.ticketReopenDays).toThrow(`TICKET_REOPEN_DAYS: "${bad}"`)
    }
  })
})
