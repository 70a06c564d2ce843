import { count, eq } from 'drizzle-orm'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { db } from '#db/client.server'
import { questions, rateLimitHits } from '#db/schema/index'
import { verifyLogin } from '~/accounts/users.server'
import * as auth from '~/platform/auth/auth.server'
import * as login from '~/routes/login'
import * as newQuestion from '~/routes/questions.new'
import { categoryId, createTestUser, responseOf, routeArgs, uniqueName } from '../factories'

// Concurrency needs connections that really run at once: the per-file pool of 4 would queue most
// of the 50 requests behind each other. Read when the first query opens the pool, after this line.
process.env.DATABASE_POOL_SIZE = '20'

const AT_ONCE = 50

/** Runs `AT_ONCE` calls together, each started before any has finished. */
const together = <T>(run: (i: number) => Promise<T>) => Promise.all(Array.from({ length: AT_ONCE }, (_, i) => run(i)))

const tally = (values: (string | number)[]) => values.reduce<Record<string, number>>((t, v) => ({ ...t, [v]: (t[v] ?? 0) + 1 }), {})

afterEach(() => {
  vi.restoreAllMocks()
})

// Only PostgreSQL runs statements at the same time; on PGlite these would pass without proving anything.
describe('limits that hold under concurrency', () => {
  test('50 wrong passwords at once on one account: 10 are checked against the password, the rest are refused unchecked', async () => {
    const member = await createTestUser()
    const verify = vi.spyOn(auth, 'verifyPassword')
    // A different address for each, so only the account's limit stands in the way.
    const results = await together((i) => verifyLogin({ identifier: member.username, password: `wrong-guess-${i}`, ip: `192.0.2.${i + 1}` }))

    expect(tally(results.map((r) => r.status))).toEqual({ invalid: 10, limited: 40 })
    expect(verify).toHaveBeenCalledTimes(10)
    const [{ hits }] = await db.select({ hits: rateLimitHits.hits }).from(rateLimitHits).where(eq(rateLimitHits.key, `login-account-failures:account:${member.username.toLowerCase()}`))
    expect(hits).toBe(10)
    // Locked for everyone now, the right password included, as after 10 guesses one by one.
    expect((await verifyLogin({ identifier: member.username, password: member.password, ip: '192.0.2.200' })).status).toBe('limited')
  })

  test('the right password among 9 wrong ones at once still logs in: its reserved try is given back', async () => {
    const member = await createTestUser()
    const results = await Promise.all([
      ...Array.from({ length: 9 }, (_, i) => verifyLogin({ identifier: member.username, password: `wrong-guess-${i}`, ip: `192.0.2.${i + 1}` })),
      verifyLogin({ identifier: member.username, password: member.password, ip: '192.0.2.100' }),
    ])
    expect(results.at(-1)).toEqual({ status: 'ok', userId: member.id })
    expect(results.slice(0, 9).map((r) => r.status)).toEqual(Array(9).fill('invalid'))
    // Failures only: the success's own try is not left counted (it forgets the failures before it, too).
    const rows = await db.select({ hits: rateLimitHits.hits }).from(rateLimitHits).where(eq(rateLimitHits.key, `login-account-failures:account:${member.username.toLowerCase()}`))
    expect(rows.reduce((sum, r) => sum + r.hits, 0)).toBeLessThanOrEqual(9)
  })

  test('50 log-ins at once from one address: exactly 6 get past the address limit', async () => {
    const ip = '198.51.100.90'
    const responses = await together(async (i) =>
      responseOf(async () => login.action(await routeArgs({ path: '/login', method: 'POST', form: { identifier: uniqueName(`nobody${i}`), password: 'wrong-wrong-wrong' }, ip }))),
    )
    expect(tally(responses.map((r) => r.status))).toEqual({ 400: 6, 429: 44 })
    const refused = responses.find((r) => r.status === 429)!
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect((await refused.json()).message).toMatch(/^Too many sign-in attempts/)
  })

  test('50 questions at once from one new member: exactly 1 is stored', async () => {
    const newcomer = await createTestUser()
    const category = String(await categoryId())
    // Each request signs in and posts on its own, as 50 browser tabs would: they reach the limit
    // in whatever order the connections give them, not in the order they started.
    const responses = await together(async (i) =>
      responseOf(async () =>
        newQuestion.action(
          await routeArgs({
            path: '/questions/new',
            method: 'POST',
            userId: newcomer.id,
            form: { title: `Why does gizmo number ${i} keep restarting?`, body: 'It restarts every few minutes since the last update, even when idle.', categoryId: category, tags: '' },
          }),
        ),
      ),
    )

    expect(tally(responses.map((r) => r.status))).toEqual({ 302: 1, 429: 49 })
    expect((await db.select({ n: count() }).from(questions).where(eq(questions.authorId, newcomer.id)))[0].n).toBe(1)
    const refused = responses.find((r) => r.status === 429)!
    expect((await refused.json()).result.error[''][0]).toMatch(/^You’re posting too fast\. New members can post once every 30 seconds; try again in \d+ seconds\.$/)
  })
})
