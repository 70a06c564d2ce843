import { access, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq, inArray } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { uploads } from '#db/schema/index'
import { saveDraft } from '~/composer/drafts.server'
import { createTicket } from '~/tickets/open.server'
import { createTestQuestion, createTestUser } from '../../tests/factories'
import { sweepOrphanUploads } from './orphan-sweep.server'
import { storeUploads, type StoredUpload } from './uploads.server'

// The disk driver, as a single-machine install runs it.
let uploadDir = ''
beforeAll(async () => {
  uploadDir = await mkdtemp(path.join(tmpdir(), 'parley-orphans-'))
  process.env.UPLOAD_DIR = uploadDir
})
afterAll(async () => {
  delete process.env.UPLOAD_DIR
  await rm(uploadDir, { recursive: true, force: true })
})
afterEach(() => void delete process.env.UPLOAD_ORPHAN_HOURS)

const png = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#cc6633' } }).png().toBuffer()
const onDisk = (key: string) =>
  access(path.join(uploadDir, key)).then(
    () => true,
    () => false,
  )

async function upload(ownerId: number, { private: isPrivate = false } = {}): Promise<StoredUpload> {
  const result = await storeUploads({ ownerId, files: [{ bytes: await png(), fileName: 'shot.png' }], private: isPrivate })
  if (!result.ok) throw new Error(result.messages.join('; '))
  return result.uploads[0]
}

describe('orphan upload sweep', () => {
  test('uploads attached to nothing after UPLOAD_ORPHAN_HOURS go from storage and the table; attached ones stay', async () => {
    const member = await createTestUser()
    const inQuestion = await upload(member.id)
    const inDraft = await upload(member.id)
    const inTicket = await upload(member.id, { private: true })
    const inTicketBody = await upload(member.id, { private: true })
    const orphan = await upload(member.id)
    const privateOrphan = await upload(member.id, { private: true })
    const recentOrphan = await upload(member.id)

    await createTestQuestion({ authorId: member.id, body: `The error looks like this:\n\n${inQuestion.markdown}` })
    await saveDraft({ userId: member.id, key: 'question:new', title: 'Half-written', body: `Still writing ${inDraft.markdown}` })
    await createTicket({
      requesterId: member.id,
      subject: 'Attachment kept',
      priority: 'low',
      details: { whatHappened: `See the attached screenshot and ${inTicketBody.markdown}`, stepsTried: '', environment: '', accountDetails: '' },
      attachmentIds: [inTicket.id],
    })
    // All but the recent one were sent two days ago.
    const old = [inQuestion, inDraft, inTicket, inTicketBody, orphan, privateOrphan]
    await db.update(uploads).set({ createdAt: new Date(Date.now() - 48 * 3_600_000) }).where(inArray(uploads.id, old.map((u) => u.id)))
    for (const u of [...old, recentOrphan]) expect(await onDisk(u.key), u.key).toBe(true)

    expect(await sweepOrphanUploads()).toBe(2)
    for (const gone of [orphan, privateOrphan]) {
      expect(await onDisk(gone.key), gone.key).toBe(false)
      expect(await db.select({ id: uploads.id }).from(uploads).where(eq(uploads.id, gone.id))).toEqual([])
    }
    for (const kept of [inQuestion, inDraft, inTicket, inTicketBody, recentOrphan]) {
      expect(await onDisk(kept.key), kept.key).toBe(true)
      expect(await db.select({ id: uploads.id }).from(uploads).where(eq(uploads.id, kept.id))).toHaveLength(1)
    }
    // Nothing more to do; a shorter setting takes the recent one too.
    expect(await sweepOrphanUploads()).toBe(0)
    process.env.UPLOAD_ORPHAN_HOURS = '0.0001'
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(await sweepOrphanUploads()).toBe(1)
    expect(await onDisk(recentOrphan.key)).toBe(false)
  })
})
