import { describe, expect, test } from 'vitest'
import * as privacy from '~/routes/settings.privacy'
import * as profilePage from '~/routes/u.$username'
import { createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'

const savePrivacy = async (userId: number, form: Record<string, string>) =>
  responseOf(async () => privacy.action(await routeArgs({ path: '/settings/privacy', method: 'POST', userId, form })))
const loadPrivacy = async (userId: number) => (await responseOf(async () => privacy.loader(await routeArgs({ path: '/settings/privacy', userId })))).json()
const viewProfile = async (username: string, viewerId?: number) => {
  const res = await responseOf(async () => profilePage.loader(await routeArgs({ path: `/u/${username}`, userId: viewerId, params: { username } })))
  expect(res.status).toBe(200)
  return { text: await res.clone().text(), body: await res.json() }
}

describe('/settings/privacy', () => {
  test('visitors are sent to log in', async () => {
    const res = await responseOf(async () => privacy.loader(await routeArgs({ path: '/settings/privacy' })))
    expect(res.status).toBe(302)
  })

  test('the settings are saved and shown back; unticking the box clears it', async () => {
    const member = await createTestUser()
    expect(await loadPrivacy(member.id)).toMatchObject({ hideActivity: false, messagePolicy: 'everyone' })
    const res = await savePrivacy(member.id, { hideActivity: 'on', messagePolicy: 'staff' })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/settings/privacy?saved')
    expect(await loadPrivacy(member.id)).toMatchObject({ hideActivity: true, messagePolicy: 'staff' })
    await savePrivacy(member.id, { messagePolicy: 'nobody' })
    expect(await loadPrivacy(member.id)).toMatchObject({ hideActivity: false, messagePolicy: 'nobody' })
  })

  test('an unknown message policy is a 400 beside the field and nothing changes', async () => {
    const member = await createTestUser()
    const res = await savePrivacy(member.id, { hideActivity: 'on', messagePolicy: 'friends' })
    expect(res.status).toBe(400)
    expect((await res.json()).result.error.messagePolicy).toEqual(['Choose who may message you.'])
    expect(await loadPrivacy(member.id)).toMatchObject({ hideActivity: false, messagePolicy: 'everyone' })
  })

  test('a hidden activity list is not sent to other members or visitors, but the member and moderators still see it', async () => {
    const member = await createTestUser()
    const question = await createTestQuestion({ authorId: member.id, title: 'How do I reset the blue router?' })
    const other = await createTestUser()
    const theirQuestion = await createTestQuestion({ authorId: other.id, title: 'Why is the green light blinking?' })
    await createTestAnswer({ questionId: theirQuestion.id, authorId: member.id, body: 'Hold the button for ten seconds.' })
    const moderator = await createTestUser({ role: 'moderator' })
    const admin = await createTestUser({ role: 'admin' })

    const before = await viewProfile(member.username, other.id)
    expect(before.body.activity.questions.map((q: { id: number }) => q.id)).toEqual([question.id])
    expect(before.body.activity.answers).toHaveLength(1)

    await savePrivacy(member.id, { hideActivity: 'on', messagePolicy: 'everyone' })

    for (const viewerId of [other.id, undefined]) {
      const { text, body } = await viewProfile(member.username, viewerId)
      expect(body.activity).toBeNull()
      expect(text).not.toContain('blue router')
      expect(text).not.toContain('green light')
      expect(body.profile.username).toBe(member.username)
    }
    for (const viewerId of [member.id, moderator.id, admin.id]) {
      const { body } = await viewProfile(member.username, viewerId)
      expect(body.activityHiddenFromOthers).toBe(true)
      expect(body.activity.questions.map((q: { title: string }) => q.title)).toEqual(['How do I reset the blue router?'])
      expect(body.activity.answers.map((a: { questionTitle: string }) => a.questionTitle)).toEqual(['Why is the green light blinking?'])
    }
  })
})
