import { listTicketQueue } from '~/tickets/queue.server'
import { afterEach, describe, expect, test } from 'vitest'
import { getThread, listQuestions } from '~/forum/questions.server'
import { verifyLogin } from '~/accounts/users.server'
import { demoAccounts } from './demo-accounts'
import { demoSeedingAllowed, seedDemo } from './seed'

const saved = { NODE_ENV: process.env.NODE_ENV, SEED_DEMO: process.env.SEED_DEMO }
afterEach(() => {
  process.env.NODE_ENV = saved.NODE_ENV
  if (saved.SEED_DEMO === undefined) delete process.env.SEED_DEMO
  else process.env.SEED_DEMO = saved.SEED_DEMO
})

describe('demo data', () => {
  test('is never seeded in production unless SEED_DEMO=1', () => {
    process.env.NODE_ENV = 'production'
    delete process.env.SEED_DEMO
    expect(demoSeedingAllowed()).toBe(false)
    process.env.SEED_DEMO = '1'
    expect(demoSeedingAllowed()).toBe(true)
    process.env.NODE_ENV = 'development'
    delete process.env.SEED_DEMO
    expect(demoSeedingAllowed()).toBe(true)
  })

  test('goes into an empty database once: the printed accounts log in, the threads show the features', async () => {
    expect(await seedDemo()).toBe(true)
    expect(await seedDemo()).toBe(false)
    for (const account of demoAccounts) {
      const result = await verifyLogin({ identifier: account.username, password: account.password, ip: `seed-${account.role}` })
      expect(result.status, account.username).toBe('ok')
    }
    const { questions } = await listQuestions({})
    expect(questions).toHaveLength(4)
    expect(questions.filter((q) => q.hasOfficialAnswer)).toHaveLength(1)
    expect(questions.filter((q) => q.hasAcceptedAnswer)).toHaveLength(1)
    expect(questions.filter((q) => q.answerCount === 0)).toHaveLength(2)
    const official = questions.find((q) => q.hasOfficialAnswer)!
    expect((await getThread({ questionId: official.id, viewerId: null }))!.question.officialMarkedBy).toBe('agent')
    // The agent's queue and the member's requests have something in them: a converted thread and a web request.
    const agentAccount = demoAccounts.find((a) => a.role === 'agent')!
    const agent = await verifyLogin({ identifier: agentAccount.username, password: agentAccount.password, ip: 'seed-queue' })
    if (agent.status !== 'ok') throw new Error('agent cannot log in')
    const queue = await listTicketQueue({ viewer: { id: agent.userId, role: 'agent' }, filters: {} })
    expect(queue.tickets.map((t) => [t.subject, t.status]).sort()).toEqual([
      ['My invoices disappeared from the billing page', 'open'],
      ['Two-factor codes are rejected', 'pending'],
    ])
  })
})
