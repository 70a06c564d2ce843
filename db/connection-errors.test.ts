import { describe, expect, test } from 'vitest'
import { isDatabaseUnavailable } from './connection-errors'

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code })

describe('isDatabaseUnavailable', () => {
  test.each([
    ['postgres.js lost the connection', withCode('CONNECTION_CLOSED', 'write CONNECTION_CLOSED 127.0.0.1:5432')],
    ['postgres.js connection destroyed', withCode('CONNECTION_DESTROYED')],
    ['postgres.js could not connect in time', withCode('CONNECT_TIMEOUT')],
    ['the server refused the connection', withCode('ECONNREFUSED')],
    ['the connection was reset', withCode('ECONNRESET')],
    ['the server is shutting down (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['the server is starting up (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', withCode('08006')],
    ['too many connections (53300)', withCode('53300')],
    [
      'the database is closed to connections (55000, FATAL at connect)',
      Object.assign(withCode('55000', 'database "parley" is not currently accepting connections'), { severity: 'FATAL' }),
    ],
    ['wrapped by drizzle', Object.assign(new Error('Failed query: select 1'), { cause: withCode('CONNECTION_CLOSED') })],
  ])('%s is the database being away', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true)
  })

  test.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a syntax error (42601)', withCode('42601')],
    ['a statement timeout (57014)', withCode('57014')],
    ['a statement in the wrong state (55000, ERROR)', Object.assign(withCode('55000'), { severity: 'ERROR' })],
    ['an error without a code', new Error('boom')],
    ['a thrown string', 'CONNECTION_CLOSED'],
    ['nothing', undefined],
  ])('%s is not', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false)
  })
})
