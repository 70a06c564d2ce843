import { beforeEach, describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { users } from '#db/schema/index'
import { member, staff } from '../../tests/moderation-fixtures'
import { addScreenedEntry, listScreenedEntries, normaliseIp, parseScreenedValue, removeScreenedEntry, screeningFor, screenPosting } from './screening.server'

beforeEach(() => {
  delete process.env.SMTP_URL
})

async function screen(kind: 'email' | 'domain' | 'ip', raw: string, action: 'block' | 'approve' = 'block') {
  const parsed = parseScreenedValue(kind, raw)
  if (!parsed.ok) throw new Error(parsed.message)
  return addScreenedEntry({ kind, value: parsed.value, action, createdById: null })
}

describe('parseScreenedValue', () => {
  test('normalises addresses, domains and ranges, and refuses anything else with a message', () => {
    expect(parseScreenedValue('email', ' Spam@Example.COM ')).toEqual({ ok: true, value: 'spam@example.com' })
    expect(parseScreenedValue('domain', '@Spam.Example')).toEqual({ ok: true, value: 'spam.example' })
    expect(parseScreenedValue('ip', '203.0.113.7')).toEqual({ ok: true, value: '203.0.113.7/32' })
    expect(parseScreenedValue('ip', '2001:DB8::/32')).toEqual({ ok: true, value: '2001:db8::/32' })
    for (const [kind, bad] of [
      ['email', 'not an address'],
      ['domain', 'localhost'],
      ['domain', "x.com'; drop table users;--"],
      ['ip', '203.0.113.0/33'],
      ['ip', '2001:db8::/129'],
      ['ip', '999.1.1.1'],
      ['ip', '10.0.0.0/8/8'],
    ] as const)
      expect(parseScreenedValue(kind, bad).ok).toBe(false)
  })

  test('reads IPv4-mapped IPv6 client addresses as IPv4, and ignores what is not an address', () => {
    expect(normaliseIp('::ffff:198.51.100.4')).toBe('198.51.100.4')
    expect(normaliseIp('2001:db8::1')).toBe('2001:db8::1')
    expect(normaliseIp('unknown')).toBeNull()
    expect(normaliseIp(null)).toBeNull()
  })
})

describe('screeningFor', () => {
  test('matches an address, a domain and its subdomains, and IPv4 and IPv6 ranges', async () => {
    await screen('email', 'bad-actor@mail.test')
    await screen('domain', 'spamhaus.invalid')
    await screen('ip', '198.51.100.0/24')
    await screen('ip', '2001:db8:aa::/48', 'approve')
    expect(await screeningFor({ email: 'Bad-Actor@Mail.test', ip: null })).toBe('block')
    expect(await screeningFor({ email: 'other@mail.test', ip: null })).toBeNull()
    expect(await screeningFor({ email: 'x@spamhaus.invalid', ip: null })).toBe('block')
    expect(await screeningFor({ email: 'x@eu.spamhaus.invalid', ip: null })).toBe('block')
    expect(await screeningFor({ email: 'x@notspamhaus.invalid', ip: null })).toBeNull()
    expect(await screeningFor({ email: null, ip: '198.51.100.200' })).toBe('block')
    expect(await screeningFor({ email: null, ip: '::ffff:198.51.100.9' })).toBe('block')
    expect(await screeningFor({ email: null, ip: '198.51.101.1' })).toBeNull()
    expect(await screeningFor({ email: null, ip: '2001:db8:aa:1::5' })).toBe('approve')
    expect(await screeningFor({ email: null, ip: '2001:db8:ab::5' })).toBeNull()
  })

  test('block wins over approve when both match, and screening the same value again keeps the stronger action', async () => {
    await screen('ip', '192.0.2.0/24', 'approve')
    await screen('email', 'both@twice.test', 'block')
    expect(await screeningFor({ email: 'both@twice.test', ip: '192.0.2.1' })).toBe('block')
    await screen('email', 'both@twice.test', 'approve')
    expect(await screeningFor({ email: 'both@twice.test', ip: null })).toBe('block')
  })

  test('removing an entry lets the address in again; the list pages newest first', async () => {
    const row = await screen('email', 'gone@again.test')
    expect((await listScreenedEntries()).entries[0]).toMatchObject({ id: row.id, kind: 'email', value: 'gone@again.test', action: 'block' })
    expect(await removeScreenedEntry({ id: row.id })).toBe(true)
    expect(await removeScreenedEntry({ id: row.id })).toBe(false)
    expect(await screeningFor({ email: 'gone@again.test', ip: null })).toBeNull()
  })

  test('screenPosting notes the posting address on the member and screens it', async () => {
    const poster = await member()
    expect(await screenPosting({ userId: poster.id, ip: '::ffff:203.0.113.50' })).toBeNull()
    const [row] = await db.select({ lastPostIp: users.lastPostIp }).from(users).where(eq(users.id, poster.id))
    expect(row.lastPostIp).toBe('203.0.113.50')
    await screen('ip', '203.0.113.0/28')
    expect(await screenPosting({ userId: poster.id, ip: '203.0.113.50' })).toBeNull()
    expect(await screenPosting({ userId: poster.id, ip: '203.0.113.5' })).toBe('block')
    const mod = await staff()
    expect(await screenPosting({ userId: mod.id, ip: 'unknown' })).toBeNull()
  })
})

describe('screening holds posts through the posting gate', () => {
  test('a network screened for approval holds a trusted member’s post; a clean one publishes it', async () => {
    const { gatePost } = await import('./posting-gate.server')
    const author = await member({ ageDays: 30 })
    const texts = { title: 'Printer drops off the network', body: 'Since the update the printer vanishes after an hour. What can I check?' }
    expect((await gatePost({ author, kind: 'question', texts, ip: '100.64.7.20' })).action).toBe('publish')
    await screen('ip', '100.64.7.0/24', 'approve')
    const held = await gatePost({ author, kind: 'question', texts, ip: '100.64.7.20' })
    expect(held.action).toBe('queue')
    expect(held.action === 'queue' && held.reasons.join(' ')).toContain('screened')
    expect((await gatePost({ author, kind: 'question', texts, ip: '100.64.8.9' })).action).toBe('publish')
  })
})
