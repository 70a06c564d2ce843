import { beforeEach, describe, expect, test } from 'vitest'
import { eq, inArray } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, moderationActions, reviewItems, users } from '#db/schema/index'
import * as register from '~/routes/register'
import * as queue from '~/routes/mod.queue._index'
import * as item from '~/routes/mod.queue.$id'
import * as memberPage from '~/routes/mod.users.$username'
import * as screening from '~/routes/admin.screening'
import * as templates from '~/routes/admin.penalty-templates'
import * as ask from '~/routes/questions.new'
import { lockedOutOf, restrictionOf } from '~/platform/auth/permissions'
import { createTestAnswer, createTestQuestion, createTestUser, routeArgs, responseOf, TEST_PASSWORD, categoryId } from '../factories'
import { member, report, staff, userRow } from '../moderation-fixtures'

beforeEach(() => {
  delete process.env.SMTP_URL
  delete process.env.REPORT_HIDE_THRESHOLD
})

const bodyOf = async (response: Response) => JSON.parse(await response.text())

async function reportedAnswers(count: number) {
  const writer = await member()
  const asker = await member()
  const question = await createTestQuestion({ authorId: asker.id })
  const reporter = await member()
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    const answer = await createTestAnswer({ questionId: question.id, authorId: writer.id, body: `Spam answer ${i}` })
    ids.push((await report(reporter, 'answer', answer.id)).reviewItemId)
  }
  return { writer, ids }
}

const refsOf = async (ids: number[]) => (await db.select({ id: reviewItems.id, version: reviewItems.version }).from(reviewItems).where(inArray(reviewItems.id, ids))).map((r) => `${r.id}:${r.version}`)

describe('screening at sign-up and at posting', () => {
  test('a screened email, domain or network cannot sign up, with one message that names none of them', async () => {
    const admin = await staff('admin')
    for (const [kind, value] of [
      ['email', 'blocked@signup.test'],
      ['domain', 'bad-domain.test'],
      ['ip', '192.0.2.0/24'],
    ])
      expect((await responseOf(async () => screening.action(await routeArgs({ path: '/admin/screening', method: 'POST', userId: admin.id, form: { intent: 'add', kind, value, action: 'block' } })))).status).toBe(302)
    const attempts = [
      { email: 'Blocked@Signup.test', ip: '203.0.113.7' },
      { email: 'anyone@mail.bad-domain.test', ip: '203.0.113.7' },
      { email: 'fine@elsewhere.test', ip: '192.0.2.77' },
    ]
    for (const { email, ip } of attempts) {
      const response = await responseOf(async () => register.action(await routeArgs({ path: '/register', method: 'POST', ip, form: { username: `u${Math.random().toString(36).slice(2, 10)}`, email, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD } })))
      expect(response.status).toBe(400)
      expect((await bodyOf(response)).result.error.email).toEqual(['We cannot accept a sign-up with this address. If you think this is a mistake, contact support.'])
    }
    expect(await db.select({ id: users.id }).from(users).where(inArray(users.email, attempts.map((a) => a.email)))).toEqual([])

    // Anyone else signs up, and their address is kept.
    const ok = await responseOf(async () => register.action(await routeArgs({ path: '/register', method: 'POST', ip: '::ffff:198.51.100.8', form: { username: `ok${Math.random().toString(36).slice(2, 10)}`, email: 'fine@elsewhere.test', password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD } })))
    expect(ok.status).toBe(302)
    const [row] = await db.select({ signupIp: users.signupIp }).from(users).where(eq(users.email, 'fine@elsewhere.test'))
    expect(row.signupIp).toBe('198.51.100.8')
  })

  test('a bad screening entry is a field error, and changes nothing', async () => {
    const admin = await staff('admin')
    const response = await responseOf(async () => screening.action(await routeArgs({ path: '/admin/screening', method: 'POST', userId: admin.id, form: { intent: 'add', kind: 'ip', value: '10.0.0.0/99', action: 'block' } })))
    expect(response.status).toBe(400)
    expect((await bodyOf(response)).result.error.value[0]).toMatch(/CIDR/)
    const mod = await staff()
    expect((await responseOf(async () => screening.loader(await routeArgs({ path: '/admin/screening', userId: mod.id })))).status).toBe(403)
  })

  test('a member posting from a blocked network is refused with what they typed kept', async () => {
    const admin = await staff('admin')
    await screening.action(await routeArgs({ path: '/admin/screening', method: 'POST', userId: admin.id, form: { intent: 'add', kind: 'ip', value: '2001:db8:bad::/48', action: 'block' } }))
    const poster = await createTestUser()
    const form = { title: 'How do I configure the widget properly?', body: 'It keeps failing when I start it up in the morning.', categoryId: String(await categoryId()), tags: '' }
    const response = await responseOf(async () => ask.action(await routeArgs({ path: '/questions/new', method: 'POST', userId: poster.id, ip: '2001:db8:bad::1', form })))
    expect(response.status).toBe(403)
    const body = await bodyOf(response)
    expect(body.result.error[''][0]).toMatch(/not accepted/)
    expect(body.result.initialValue.title).toBe(form.title)
  })
})

describe('silence and suspension', () => {
  test('silenced members may use every page but cannot contribute; suspended and banned ones only reach their record', () => {
    const later = new Date(Date.now() + 86_400_000)
    const silenced = { role: 'member' as const, silencedUntil: later }
    const suspended = { role: 'member' as const, suspendedUntil: later }
    expect(restrictionOf(silenced)).toEqual({ kind: 'silenced', until: later })
    expect(lockedOutOf(silenced, '/questions')).toBe(false)
    expect(lockedOutOf(suspended, '/questions')).toBe(true)
    expect(lockedOutOf(suspended, '/me/moderation')).toBe(false)
    expect(lockedOutOf(suspended, '/settings/data')).toBe(false)
    expect(lockedOutOf(suspended, '/me/moderationx')).toBe(true)
    expect(lockedOutOf({ role: 'member', bannedAt: later }, '/tickets')).toBe(true)
    expect(lockedOutOf({ role: 'member', suspendedUntil: new Date(Date.now() - 1000) }, '/questions')).toBe(false)
  })

  test('hide-and-silence is one decision with two audited effects, and the silenced member is told it', async () => {
    const { writer, ids } = await reportedAnswers(1)
    const mod = await staff()
    const [ref] = await refsOf(ids)
    const response = await responseOf(async () =>
      item.action(await routeArgs({ path: `/mod/queue/${ids[0]}`, method: 'POST', userId: mod.id, params: { id: String(ids[0]) }, form: { intent: 'decide-report', version: ref.split(':')[1], action: 'hide-silence', reason: 'Posting the same link everywhere.', days: '3' } })),
    )
    expect(response.status).toBe(302)
    const logged = await db.select({ action: moderationActions.action, durationDays: moderationActions.durationDays }).from(moderationActions).where(eq(moderationActions.reviewItemId, ids[0]))
    expect(logged).toEqual([
      { action: 'hide', durationDays: null },
      { action: 'silence', durationDays: 3 },
    ])
    const [row] = await db.select({ silencedUntil: users.silencedUntil, suspendedUntil: users.suspendedUntil }).from(users).where(eq(users.id, writer.id))
    expect(row.silencedUntil!.getTime()).toBeGreaterThan(Date.now() + 2 * 86_400_000)
    expect(row.suspendedUntil).toBeNull()
    const refused = await responseOf(async () => ask.action(await routeArgs({ path: '/questions/new', method: 'POST', userId: writer.id, form: { title: 'Another question here please', body: 'More text that is long enough.' } })))
    expect(refused.status).toBe(403)
    expect((await bodyOf(refused)).result.error[''][0]).toMatch(/^Your account is silenced until .*you can read/)
  })
})

describe('the queue at volume', () => {
  test('one bulk decision on 20 items decides them all; a stale one is refused by name and the rest go through', async () => {
    const { ids } = await reportedAnswers(20)
    const mod = await staff()
    const refs = await refsOf(ids)
    // Another moderator decides one first: its version moves on.
    const other = await staff()
    await queue.action(await routeArgs({ path: '/mod/queue', method: 'POST', userId: other.id, form: { quick: `ignore:${refs[0]}` } }))
    const response = await responseOf(async () => queue.action(await routeArgs({ path: '/mod/queue', method: 'POST', userId: mod.id, form: { intent: 'bulk', items: refs, action: 'remove', reason: 'Spam burst.' } })))
    expect(response.status).toBe(200)
    const body = await bodyOf(response)
    expect(body.outcome.decided).toHaveLength(19)
    expect(body.outcome.refused).toEqual([{ id: ids[0], message: expect.stringMatching(/Someone was quicker/) }])
    const removed = await db.select({ removedAt: answers.removedAt }).from(answers).innerJoin(reviewItems, eq(reviewItems.targetId, answers.id)).where(inArray(reviewItems.id, ids.slice(1)))
    expect(removed.every((r) => r.removedAt)).toBe(true)
  })

  test('bad bulk input is a 400 beside the fields and decides nothing; a canned reason fills the reason and days', async () => {
    const { writer, ids } = await reportedAnswers(2)
    const mod = await staff()
    const refs = await refsOf(ids)
    for (const form of [
      { intent: 'bulk', action: 'hide', reason: 'Spam burst.' } as Record<string, string | string[]>,
      { intent: 'bulk', items: refs, action: 'suspend', reason: 'Spam burst.' },
      { intent: 'bulk', items: ['1:x', '<script>'], action: 'hide', reason: 'Spam burst.' },
      { intent: 'bulk', items: refs, action: 'explode', reason: 'Spam burst.' },
    ])
      expect((await responseOf(async () => queue.action(await routeArgs({ path: '/mod/queue', method: 'POST', userId: mod.id, form })))).status).toBe(400)
    expect((await refsOf(ids)).sort()).toEqual(refs.sort())

    const admin = await staff('admin')
    await templates.action(await routeArgs({ path: '/admin/penalty-templates', method: 'POST', userId: admin.id, form: { intent: 'create', name: `Spam ${ids[0]}`, reason: 'Advertising is not allowed here.', penalty: 'suspend', days: '7' } }))
    const { templates: list } = await bodyOf(await templates.loader(await routeArgs({ path: '/admin/penalty-templates', userId: admin.id })))
    const template = list.find((t: { name: string }) => t.name === `Spam ${ids[0]}`)
    const response = await responseOf(async () => queue.action(await routeArgs({ path: '/mod/queue', method: 'POST', userId: mod.id, form: { intent: 'bulk', items: [refs[0]], action: 'hide-suspend', templateId: String(template.id), reason: '', days: '' } })))
    expect(response.status).toBe(302)
    const [suspension] = await db.select({ reason: moderationActions.reason, durationDays: moderationActions.durationDays }).from(moderationActions).where(eq(moderationActions.action, 'suspend')).orderBy(moderationActions.id)
    expect(suspension).toBeDefined()
    expect((await userRow(writer.id)).suspendedUntil).not.toBeNull()
  })

  test('quick actions: agree hides, disagree dismisses, ignore closes without telling anyone', async () => {
    const { ids } = await reportedAnswers(3)
    const mod = await staff()
    const refs = await refsOf(ids)
    for (const [i, quick] of (['agree', 'disagree', 'ignore'] as const).entries())
      expect((await responseOf(async () => queue.action(await routeArgs({ path: '/mod/queue', method: 'POST', userId: mod.id, form: { quick: `${quick}:${refs[i]}` } })))).status).toBe(302)
    const rows = await db.select({ id: reviewItems.id, resolution: reviewItems.resolution }).from(reviewItems).where(inArray(reviewItems.id, ids))
    expect(Object.fromEntries(rows.map((r) => [r.id, r.resolution]))).toEqual({ [ids[0]]: 'hide', [ids[1]]: 'dismiss', [ids[2]]: 'ignore' })
    expect((await responseOf(async () => queue.action(await routeArgs({ path: '/mod/queue', method: 'POST', userId: mod.id, form: { quick: 'explode:1:1' } })))).status).toBe(400)
  })

  test('the member page shows counts, notes and linked accounts, and deletes a spammer from a form', async () => {
    const { writer, ids } = await reportedAnswers(2)
    // Their own domain: everyone else here shares example.test.
    await db.update(users).set({ signupIp: '198.51.100.200', email: `${writer.username}@own-${writer.id}.test` }).where(eq(users.id, writer.id))
    const sibling = await createTestUser()
    await db.update(users).set({ lastPostIp: '198.51.100.200' }).where(eq(users.id, sibling.id))
    const mod = await staff()
    const args = async (form?: Record<string, string>) => routeArgs({ path: `/mod/users/${writer.username}`, method: form ? 'POST' : 'GET', userId: mod.id, params: { username: writer.username }, form })
    expect((await responseOf(async () => memberPage.action(await args({ intent: 'note', body: '' })))).status).toBe(400)
    expect((await responseOf(async () => memberPage.action(await args({ intent: 'note', body: 'Second account of a known seller.' })))).status).toBe(302)
    const page = await bodyOf(await memberPage.loader(await args()))
    expect(page.member).toMatchObject({ answerCount: 2, reportsAgainst: 2, pendingItems: 2 })
    expect(page.notes[0].body).toBe('Second account of a known seller.')
    expect(page.linked).toEqual([expect.objectContaining({ username: sibling.username, sameAddress: true })])

    // Without the box ticked nothing happens.
    expect((await responseOf(async () => memberPage.action(await args({ intent: 'delete-spammer', userId: String(writer.id) })))).status).toBe(400)
    expect((await userRow(writer.id)).bannedAt).toBeNull()
    const done = await responseOf(async () => memberPage.action(await args({ intent: 'delete-spammer', userId: String(writer.id), confirm: 'on', reviewItemId: String(ids[0]) })))
    expect(done.headers.get('Location')).toBe(`/mod/users/${writer.username}?deleted=1&posts=2&items=2`)
    expect((await userRow(writer.id)).bannedAt).not.toBeNull()
    expect((await responseOf(async () => memberPage.loader(await routeArgs({ path: '/mod/users/nobody-here', userId: mod.id, params: { username: 'nobody-here' } })))).status).toBe(404)
  })
})
