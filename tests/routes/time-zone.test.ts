import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { users } from '#db/schema/index'
import * as root from '~/root'
import * as settings from '~/routes/settings._index'
import { createTestUser, responseOf, routeArgs, sessionCookieFor } from '../factories'

const zoneOf = async (userId: number) => (await db.select({ timeZone: users.timeZone }).from(users).where(eq(users.id, userId)))[0].timeZone
const save = async (userId: number, timeZone: string) =>
  responseOf(async () => settings.action(await routeArgs({ path: '/settings', method: 'POST', userId, form: { intent: 'time-zone', timeZone } })))
async function rootData(options: { userId?: number; tz?: string }) {
  const cookies = [options.userId ? await sessionCookieFor(options.userId) : null, options.tz === undefined ? null : `tz=${options.tz}`].filter(Boolean).join('; ')
  const args = await routeArgs({ path: '/', cookie: cookies || undefined })
  return (await (await root.loader(args)).json()) as { timeZone: string; timeZoneChosen: boolean; origin: string }
}

describe('the time zone setting', () => {
  test('a zone from the list is saved in its canonical spelling; empty goes back to the browser’s', async () => {
    const member = await createTestUser()
    const res = await save(member.id, 'europe/berlin')
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/settings?saved=time-zone')
    expect(await zoneOf(member.id)).toBe('Europe/Berlin')
    await save(member.id, '')
    expect(await zoneOf(member.id)).toBeNull()
  })

  test('a zone that does not exist is a 400 with the message beside the field, and changes nothing', async () => {
    const member = await createTestUser()
    await save(member.id, 'Asia/Tokyo')
    for (const bad of ['Mars/Olympus_Mons', '../../etc/passwd', 'x'.repeat(200), 'Europe/Berlin; rm']) {
      const res = await save(member.id, bad)
      expect(res.status, bad).toBe(400)
      expect((await res.json()).result.error.timeZone).toEqual(['Choose a time zone from the list.'])
    }
    expect(await zoneOf(member.id)).toBe('Asia/Tokyo')
  })
})

describe('the zone a page is shown in', () => {
  test('a member’s setting wins over the browser’s cookie; without a setting the cookie counts; without either, UTC', async () => {
    const member = await createTestUser()
    expect(await rootData({})).toMatchObject({ timeZone: 'UTC', timeZoneChosen: false, origin: 'http://localhost' })
    expect(await rootData({ tz: encodeURIComponent('America/New_York') })).toMatchObject({ timeZone: 'America/New_York', timeZoneChosen: false })
    expect(await rootData({ userId: member.id, tz: 'Europe%2FParis' })).toMatchObject({ timeZone: 'Europe/Paris', timeZoneChosen: false })
    await save(member.id, 'Asia/Kolkata')
    expect(await rootData({ userId: member.id, tz: 'Europe%2FParis' })).toMatchObject({ timeZone: 'Asia/Kolkata', timeZoneChosen: true })
  })

  test('a cookie that names no zone, or cannot be decoded, is ignored', async () => {
    for (const tz of ['Nowhere%2FLand', '%E0%A4%A', '', '%3Cscript%3E']) expect((await rootData({ tz })).timeZone, tz).toBe('UTC')
  })
})
