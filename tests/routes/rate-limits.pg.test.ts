import { count, eq, sql } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { answers, rateLimitRules, users } from '#db/schema/index'
import * as thread from '~/routes/questions.$id.($slug)'
import { createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'
import { atOnce } from '../setup/at-once'

// PostgreSQL only (see vitest.config.ts): on PGlite one request's check and count always end
// before the other's begin, so a counter without a lock would pass there.

/** A member who signed up two days ago and confirmed their address: the plain member limits. */
async function establishedMember() {
  const user = await createTestUser()
  await db.update(users).set({ createdAt: sql`now() - interval '2 days'` }).where(eq(users.id, user.id))
  return user
}

const answer = async (questionId: number, userId: number, body: string) =>
  responseOf(async () => thread.action(await routeArgs({ path: `/questions/${questionId}`, method: 'POST', userId, form: { intent: 'answer', body }, params: { id: String(questionId) } })))

afterEach(async () => {
  await db.delete(rateLimitRules)
})

describe('limits hold across server processes', () => {
  test('two posts at the same moment: exactly one gets through', async () => {
    const member = await establishedMember()
    const question = await createTestQuestion({ authorId: (await createTestUser()).id })
    const results = await atOnce('rate_limit_hits', [() => answer(question.id, member.id, 'First of two at once.'), () => answer(question.id, member.id, 'Second of two at once.')])
    expect(results.map((r) => r.status).sort()).toEqual([302, 429])
    expect((await db.select({ n: count() }).from(answers).where(eq(answers.authorId, member.id)))[0].n).toBe(1)
  })
})
