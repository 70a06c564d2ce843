import { listTicketQueue } from '~/tickets/queue.server'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { getThread } from '~/forum/questions.server'
import { verifyLogin } from '~/accounts/users.server'
import { demoAccounts } from './demo-accounts'
import { demoThreads } from './demo-threads'
import { eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { categories, questions as q, tickets } from '#db/schema/index'
import { listReviewQueue, queueFiltersFrom } from '~/moderation/queue.server'
import { getSlaReport } from '~/tickets/sla-report.server'
import { getStorage } from '~/platform/storage/index.server'
import { ticketCallBacks, uploads } from '#db/schema/index'
import { demoSeedingAllowed, seedDemo } from './seed'

// The demo pictures go through the upload storage: a directory of this file's own.
let uploadDir = ''
beforeAll(async () => {
  uploadDir = await mkdtemp(path.join(tmpdir(), 'parley-seed-'))
  process.env.UPLOAD_DIR = uploadDir
})
afterAll(async () => {
  delete process.env.UPLOAD_DIR
  if (uploadDir) await rm(uploadDir, { recursive: true, force: true })
})

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

  // A few hundred small transactions through the domain functions: far below the limit alone, near it on a crowded machine.
  test('goes into an empty database once: the printed accounts log in, the threads show the features', { timeout: 240_000 }, async () => {
    expect(await seedDemo()).toBe(true)
    expect(await seedDemo()).toBe(false)
    for (const account of demoAccounts) {
      const result = await verifyLogin({ identifier: account.username, password: account.password, ip: `seed-${account.role}` })
      expect(result.status, account.username).toBe('ok')
    }
    // The four threads other tests know by name, and a few dozen more across every category.
    const questions = await db
      .select({ id: q.id, categorySlug: categories.slug, hasOfficialAnswer: sql<boolean>`${q.officialAnswerId} is not null`, hasAcceptedAnswer: sql<boolean>`${q.acceptedAnswerId} is not null`, answerCount: q.answerCount, createdAt: q.createdAt })
      .from(q)
      .innerJoin(categories, eq(categories.id, q.categoryId))
    expect(questions.length).toBeGreaterThanOrEqual(4 + demoThreads.length)
    expect(new Set(questions.map((q) => q.categorySlug))).toEqual(new Set(['technical', 'account', 'content', 'community']))
    expect(questions.filter((q) => q.hasOfficialAnswer).length).toBeGreaterThan(5)
    expect(questions.filter((q) => q.hasAcceptedAnswer).length).toBeGreaterThan(5)
    expect(questions.filter((q) => q.answerCount === 0).length).toBeGreaterThan(2)
    // Spread over the past weeks, not all "just now".
    const ages = questions.map((q) => Date.now() - new Date(q.createdAt).getTime())
    expect(Math.max(...ages)).toBeGreaterThan(7 * 24 * 3_600_000)
    const official = questions.find((q) => q.hasOfficialAnswer)!
    expect((await getThread({ questionId: official.id, viewerId: null }))!.question.officialMarkedBy).toBe('agent')
    // The agent's queue and the member's requests have something in them: a converted thread and a web request.
    const agentAccount = demoAccounts.find((a) => a.role === 'agent')!
    const agent = await verifyLogin({ identifier: agentAccount.username, password: agentAccount.password, ip: 'seed-queue' })
    if (agent.status !== 'ok') throw new Error('agent cannot log in')
    const queue = await listTicketQueue({ viewer: { id: agent.userId, role: 'agent' }, filters: {} })
    const statuses = (await db.select({ status: tickets.status }).from(tickets)).map((t) => t.status)
    expect(queue.tickets.map((t) => [t.subject, t.status])).toEqual(
      expect.arrayContaining([
        ['My invoices disappeared from the billing page', 'open'],
        ['Two-factor codes are rejected', 'pending'],
      ]),
    )
    for (const status of ['open', 'pending', 'solved', 'closed']) expect(statuses, status).toContain(status)
    // Four weeks of solved requests: the SLA chart has bars on many days, some met and some not, and ratings.
    const report = await getSlaReport()
    const busyDays = report.days.filter((d) => d.solved > 0)
    expect(busyDays.length).toBeGreaterThanOrEqual(10)
    const solved = busyDays.reduce((sum, d) => sum + d.solved, 0)
    const met = busyDays.reduce((sum, d) => sum + d.met, 0)
    expect(met).toBeGreaterThan(0)
    expect(met).toBeLessThan(solved)
    expect(report.ratings.count30).toBeGreaterThanOrEqual(5)
    // Pictures in posts, stored like members' uploads and linked from the bodies.
    const images = await db.select({ key: uploads.key, kind: uploads.kind }).from(uploads)
    expect(images.filter((u) => u.kind === 'image').length).toBeGreaterThanOrEqual(3)
    for (const image of images) {
      expect(await getStorage().head(image.key), image.key).not.toBeNull()
      const [linked] = await db.select({ id: q.id }).from(q).where(sql`strpos(${q.bodySource}, ${image.key}) > 0`)
      expect(linked, image.key).toBeDefined()
    }
    // A premium member's critical request with a call back to make.
    expect(queue.tickets.length + (await listTicketQueue({ viewer: { id: agent.userId, role: 'agent' }, filters: { tier: 2 } })).tickets.length).toBeGreaterThan(0)
    const callBacks = await db.select({ dueAt: ticketCallBacks.dueAt, doneAt: ticketCallBacks.doneAt }).from(ticketCallBacks)
    expect(callBacks).toHaveLength(1)
    expect(callBacks[0].dueAt.getTime()).toBeGreaterThan(Date.now())
    // The moderation queue has reports and an appeal waiting.
    const items = await listReviewQueue({ moderator: { id: agent.userId, role: 'moderator' }, filters: queueFiltersFrom(new URLSearchParams()) })
    expect(new Set(items.items.map((i) => i.kind))).toEqual(new Set(['report', 'appeal']))
  })
})
