import { afterEach, describe, expect, test } from 'vitest'
import { env } from './env.server'

const saved = { NODE_ENV: process.env.NODE_ENV, COOKIE_SECURE: process.env.COOKIE_SECURE }
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
