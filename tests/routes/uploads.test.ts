import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { desc, eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { db } from '#db/client.server'
import { answers, ticketMessages, tickets, uploads, users } from '#db/schema/index'
import { createTicket } from '~/tickets/open.server'
import * as thread from '~/routes/questions.$id.($slug)'
import * as ticketPage from '~/routes/tickets.$number'
import * as newTicket from '~/routes/tickets.new'
import * as uploadEndpoint from '~/routes/uploads.new'
import * as servedUpload from '~/routes/uploads.$key'
import { createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'

let uploadDir = ''
let requester: Awaited<ReturnType<typeof createTestUser>>
let otherMember: Awaited<ReturnType<typeof createTestUser>>
let agent: Awaited<ReturnType<typeof createTestUser>>
beforeAll(async () => {
  uploadDir = await mkdtemp(path.join(tmpdir(), 'parley-uploads-'))
  process.env.UPLOAD_DIR = uploadDir
  ;[requester, otherMember, agent] = await Promise.all([createTestUser(), createTestUser(), createTestUser({ role: 'agent' })])
})
afterAll(async () => {
  delete process.env.UPLOAD_DIR
  await rm(uploadDir, { recursive: true, force: true })
})

const png = () => sharp({ create: { width: 64, height: 48, channels: 3, background: '#22aa66' } }).png().toBuffer()
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

/** A multipart POST as a browser sends a form with a file input, from a signed-in user. */
async function multipartArgs({ path: urlPath, userId, fields, files = [], params = {} }: { path: string; userId?: number; fields: Record<string, string>; files?: { name: string; bytes: Uint8Array; type?: string }[]; params?: Record<string, string> }) {
  const args = await routeArgs({ path: urlPath, userId, params })
  const body = new FormData()
  for (const [name, value] of Object.entries(fields)) body.append(name, value)
  for (const file of files) body.append('attachments', new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type ?? 'application/octet-stream' }))
  const request = new Request(`http://localhost${urlPath}`, { method: 'POST', headers: args.request.headers, body })
  return { ...args, request }
}

async function fetchUpload(url: string, userId?: number) {
  const key = url.replace('/uploads/', '')
  return responseOf(async () => servedUpload.loader(await routeArgs({ path: url, userId, params: { key } })))
}

const ticketFields = { subject: 'The export fails', priority: 'medium', whatHappened: 'Screenshot attached.', stepsTried: '', environment: 'Firefox', accountDetails: '' }

describe('ticket attachments (a plain file input, no JavaScript)', () => {
  test('are private: shown to the requester and agents, refused to another member and to visitors', async () => {
    const response = await responseOf(async () => newTicket.action(await multipartArgs({ path: '/tickets/new', userId: requester.id, fields: ticketFields, files: [{ name: 'screen.png', bytes: await png() }, { name: 'report.pdf', bytes: pdf }] })))
    expect(response.status).toBe(302)
    const number = Number(response.headers.get('Location')!.split('/').pop())

    const page = await responseOf(async () => ticketPage.loader(await routeArgs({ path: `/tickets/${number}`, userId: requester.id, params: { number: String(number) } })))
    const { messages } = (await page.json()) as { messages: { attachments: { url: string; kind: string; fileName: string }[] }[] }
    expect(messages[0].attachments).toEqual([
      { url: expect.stringMatching(/^\/uploads\/[a-f0-9]{32}\.png$/), kind: 'image', fileName: 'screen.png', byteSize: expect.any(Number) },
      { url: expect.stringMatching(/^\/uploads\/[a-f0-9]{32}\.pdf$/), kind: 'file', fileName: 'report.pdf', byteSize: pdf.byteLength },
    ])
    const [image, file] = messages[0].attachments

    const own = await fetchUpload(image.url, requester.id)
    expect(own.status).toBe(200)
    expect(own.headers.get('Content-Type')).toBe('image/png')
    expect(own.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(own.headers.get('Cache-Control')).toBe('private, max-age=3600')
    expect(own.headers.get('Content-Disposition')).toMatch(/^inline; filename="screen.png"/)
    expect((await sharp(Buffer.from(await own.arrayBuffer())).metadata()).width).toBe(64)

    const agentsCopy = await fetchUpload(file.url, agent.id)
    expect(agentsCopy.status).toBe(200)
    expect(agentsCopy.headers.get('Content-Type')).toBe('application/pdf')
    expect(agentsCopy.headers.get('Content-Disposition')).toMatch(/^attachment; filename="report.pdf"/)
    expect(Buffer.from(await agentsCopy.arrayBuffer()).equals(pdf)).toBe(true)

    for (const url of [image.url, file.url]) {
      expect((await fetchUpload(url, otherMember.id)).status).toBe(404)
      expect((await fetchUpload(url)).status).toBe(404)
    }
  })

  test('a file over the limit: the field says so (400), what was typed stays, and nothing is stored', async () => {
    process.env.UPLOAD_MAX_IMAGE_MB = '0.001'
    try {
      const ticketsBefore = await db.select({ id: tickets.id }).from(tickets)
      const filesBefore = await readdir(uploadDir)
      const response = await responseOf(async () => newTicket.action(await multipartArgs({ path: '/tickets/new', userId: requester.id, fields: ticketFields, files: [{ name: 'big.png', bytes: await sharp({ create: { width: 200, height: 200, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 100, sigma: 50 } } }).png().toBuffer() }] })))
      expect(response.status).toBe(400)
      const { result } = (await response.json()) as { result: { error: Record<string, string[]>; initialValue: Record<string, string> } }
      expect(result.error.attachments).toEqual(['“big.png” is too large: images may be at most 1 KB.'])
      expect(result.initialValue.whatHappened).toBe('Screenshot attached.')
      expect(await db.select({ id: tickets.id }).from(tickets)).toHaveLength(ticketsBefore.length)
      expect(await readdir(uploadDir)).toEqual(filesBefore)
    } finally {
      delete process.env.UPLOAD_MAX_IMAGE_MB
    }
  })
})

describe('the upload endpoint (paste, drop or pick with JavaScript)', () => {
  test('answers 401 to a visitor and 400 to a file that is not what it claims', async () => {
    const anonymous = await responseOf(async () => uploadEndpoint.action(await multipartArgs({ path: '/uploads/new', fields: { target: 'post' }, files: [{ name: 'a.png', bytes: await png() }] })))
    expect(anonymous.status).toBe(401)
    const fake = await responseOf(async () => uploadEndpoint.action(await multipartArgs({ path: '/uploads/new', userId: requester.id, fields: { target: 'post' }, files: [{ name: 'cat.png', bytes: Buffer.from('<html><script>alert(1)</script>'), type: 'image/png' }] })))
    expect(fake.status).toBe(400)
    expect(await fake.json()).toEqual({ error: expect.stringMatching(/“cat.png” is not a file type we accept/) })
  })

  test('a post image: Markdown to insert, public to everyone, cached for good, and rendered in the answer', async () => {
    const response = await responseOf(async () => uploadEndpoint.action(await multipartArgs({ path: '/uploads/new', userId: requester.id, fields: { target: 'post' }, files: [{ name: 'graph.png', bytes: await png() }] })))
    expect(response.status).toBe(201)
    const { url, markdown } = (await response.json()) as { url: string; markdown: string }
    expect(markdown).toBe(`![graph.png](${url})`)
    const served = await fetchUpload(url)
    expect(served.status).toBe(200)
    expect(served.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')

    const question = await createTestQuestion({ authorId: otherMember.id })
    const posted = await responseOf(async () => thread.action(await multipartArgs({ path: `/questions/${question.id}`, userId: requester.id, params: { id: String(question.id) }, fields: { intent: 'answer', body: `Here is the graph:\n\n${markdown}` } })))
    expect(posted.status).toBe(302)
    const [answer] = await db.select({ bodyHtml: answers.bodyHtml }).from(answers).where(eq(answers.questionId, question.id))
    expect(answer.bodyHtml).toContain(`<img src="${url}" alt="graph.png" />`)
  })

  test('an answer with a plain file input gets its files as Markdown after the text', async () => {
    const question = await createTestQuestion({ authorId: otherMember.id })
    // A member of their own, so the interval between one member's posts does not get in the way.
    const author = await createTestUser()
    const posted = await responseOf(async () => thread.action(await multipartArgs({ path: `/questions/${question.id}`, userId: author.id, params: { id: String(question.id) }, fields: { intent: 'answer', body: 'See the log.' }, files: [{ name: 'server.log', bytes: Buffer.from('ERROR 42\n') }] })))
    expect(posted.status).toBe(302)
    const [answer] = await db.select({ bodySource: answers.bodySource, bodyHtml: answers.bodyHtml }).from(answers).where(eq(answers.questionId, question.id))
    expect(answer.bodySource).toMatch(/^See the log\.\n\n\[server\.log\]\(\/uploads\/[a-f0-9]{32}\.log\)$/)
    const url = /href="(\/uploads\/[^"]+)"/.exec(answer.bodyHtml)![1]
    const served = await fetchUpload(url, otherMember.id)
    expect(served.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(served.headers.get('Content-Disposition')).toMatch(/^attachment;/)
    expect(await served.text()).toBe('ERROR 42\n')
  })

  test('a ticket upload is its owner’s until the message linking it is sent, then the ticket’s; internal notes stay with staff', async () => {
    const number = (await createTicket({ requesterId: requester.id, subject: 'Private files', priority: 'low', details: { whatHappened: 'x', stepsTried: '', environment: '', accountDetails: '' } })).number
    const upload = async (userId: number) =>
      ((await (await responseOf(async () => uploadEndpoint.action(await multipartArgs({ path: '/uploads/new', userId, fields: { target: 'ticket' }, files: [{ name: 'secret.png', bytes: await png() }] })))).json()) as { url: string; markdown: string })
    const mine = await upload(requester.id)
    expect((await fetchUpload(mine.url, requester.id)).status).toBe(200)
    expect((await fetchUpload(mine.url, agent.id)).status).toBe(404)

    // Someone else linking my upload in their ticket does not make it theirs.
    const othersTicket = (await createTicket({ requesterId: otherMember.id, subject: 'Stealing', priority: 'low', details: { whatHappened: mine.markdown, stepsTried: '', environment: '', accountDetails: '' } })).number
    expect(othersTicket).toBeGreaterThan(0)
    expect((await fetchUpload(mine.url, otherMember.id)).status).toBe(404)

    const reply = await responseOf(async () => ticketPage.action(await multipartArgs({ path: `/tickets/${number}`, userId: requester.id, params: { number: String(number) }, fields: { intent: 'reply', body: `The error:\n\n${mine.markdown}` } })))
    expect(reply.status).toBe(302)
    expect((await fetchUpload(mine.url, agent.id)).status).toBe(200)
    expect((await fetchUpload(mine.url, otherMember.id)).status).toBe(404)

    const agentsNote = await upload(agent.id)
    const note = await responseOf(async () => ticketPage.action(await multipartArgs({ path: `/tickets/${number}`, userId: agent.id, params: { number: String(number) }, fields: { intent: 'note', body: `Internal: ${agentsNote.markdown}` } })))
    expect(note.status).toBe(302)
    const [noteMessage] = await db.select({ id: ticketMessages.id }).from(ticketMessages).where(eq(ticketMessages.internal, true)).orderBy(desc(ticketMessages.id)).limit(1)
    const [attached] = await db.select({ ticketMessageId: uploads.ticketMessageId }).from(uploads).where(eq(uploads.key, agentsNote.url.replace('/uploads/', '')))
    expect(attached.ticketMessageId).toBe(noteMessage.id)
    expect((await fetchUpload(agentsNote.url, requester.id)).status).toBe(404)
    expect((await fetchUpload(agentsNote.url, agent.id)).status).toBe(200)
  })

  test('a suspended member may still upload for their tickets, but not for posts', async () => {
    const suspended = await createTestUser()
    await db.update(users).set({ suspendedUntil: new Date(Date.now() + 86_400_000) }).where(eq(users.id, suspended.id))
    const send = async (target: string) => responseOf(async () => uploadEndpoint.action(await multipartArgs({ path: '/uploads/new', userId: suspended.id, fields: { target }, files: [{ name: 'a.png', bytes: await png() }] })))
    const forPost = await send('post')
    expect(forPost.status).toBe(403)
    expect(((await forPost.json()) as { error: string }).error).toMatch(/^Your account is suspended until/)
    expect((await send('ticket')).status).toBe(201)
  })

  test('keys we never made are 404, whatever they look like', async () => {
    for (const key of ['../../etc/passwd', '0123456789abcdef0123456789abcdef.png', 'new', '%00']) {
      expect((await fetchUpload(`/uploads/${key}`, requester.id)).status).toBe(404)
    }
  })
})
