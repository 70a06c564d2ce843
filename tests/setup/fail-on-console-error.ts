import { beforeEach, vi } from 'vitest'

// Taken once: from the second test on, console.error is the spy itself.
const original = console.error.bind(console)

// An error logged during a test is a failure, not noise. Every project loads this file.
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    original(...args)
    throw new Error('console.error was called during the test; fix the cause or expect it explicitly.')
  })
})
