import { describe, expect, test } from 'vitest'
import { discardDraft, getDraft, saveDraft } from '~/composer/drafts.server'
import { answerDraftKey, QUESTION_DRAFT_KEY, TICKET_DRAFT_KEY, ticketReplyDraftKey } from '~/composer/keys'
import { getThread } from '~/forum/questions.server'
import { getTicket } from '~/tickets/read.server'
import { createTicket } from '~/tickets/open.server'
import * as preview from '~/routes/composer.preview'
import * as drafts from '~/routes/composer.drafts'
import * as newQuestion from '~/routes/questions.new'
import * as thread from '~/routes/questions.$id.($slug)'
import * as newTicket from '~/routes/tickets.new'
import * as ticketPage from '~/routes/tickets.$number'
import * as editAnswer from '~/routes/answers.$id.edit'
import { categoryId, createTestAnswer, createTestQuestion, createTestUser, responseOf, routeArgs } from '../factories'

const postPreview = async (form: Record<string, string>, userId?: number) =>
  responseOf(async () => preview.action(await routeArgs({ path: '/composer/preview', method: 'POST', form, userId })))

const postDraft = async (form: Record<string, string>, userId?: number, json = true) =>
  responseOf(async () =>
    drafts.action(await routeArgs({ path: '/composer/drafts', method: 'POST', form, userId, headers: json ? { Accept: 'application/json' } : {} })),
  )

describe('drafts model', () => {
  test('one draft per member and key: saving again replaces it, others are untouched', async () => {
    const [ann, bob] = await Promise.all([createTestUser(), createTestUser()])
    await saveDraft({ userId: ann.id, key: QUESTION_DRAFT_KEY, title: 'First title', body: 'First body' })
    await saveDraft({ userId: ann.id, key: QUESTION_DRAFT_KEY, title: 'Second title', body: 'Second body' })
    await saveDraft({ userId: ann.id, key: answerDraftKey(7), body: 'An answer in progress' })
    await saveDraft({ userId: bob.id, key: QUESTION_DRAFT_KEY, body: 'Bob’s own' })

    expect(await getDraft({ userId: ann.id, key: QUESTION_DRAFT_KEY })).toMatchObject({ title: 'Second title', body: 'Second body' })
    expect(await getDraft({ userId: ann.id, key: answerDraftKey(7) })).toMatchObject({ title: null, body: 'An answer in progress' })
    expect(await getDraft({ userId: bob.id, key: QUESTION_DRAFT_KEY })).toMatchObject({ body: 'Bob’s own' })
    expect(await getDraft({ userId: bob.id, key: answerDraftKey(7) })).toBeNull()

    expect(await discardDraft({ userId: ann.id, key: QUESTION_DRAFT_KEY })).toBe(true)
    expect(await getDraft({ userId: ann.id, key: QUESTION_DRAFT_KEY })).toBeNull()
    expect(await getDraft({ userId: bob.id, key: QUESTION_DRAFT_KEY })).not.toBeNull()
  })

  test('an emptied draft is a discarded one', async () => {
    const user = await createTestUser()
    await saveDraft({ userId: user.id, key: TICKET_DRAFT_KEY, title: 'Printer', body: 'It jams' })
    expect(await saveDraft({ userId: user.id, key: TICKET_DRAFT_KEY, title: ' ', body: '  \n' })).toEqual({ saved: false })
    expect(await getDraft({ userId: user.id, key: TICKET_DRAFT_KEY })).toBeNull()
  })

  test('the thread and ticket pages read the viewer’s own draft with their page query', async () => {
    const [asker, answerer] = await Promise.all([createTestUser(), createTestUser()])
    const question = await createTestQuestion({ authorId: asker.id })
    await saveDraft({ userId: answerer.id, key: answerDraftKey(question.id), body: 'Half an answer' })
    expect((await getThread({ questionId: question.id, viewerId: answerer.id }))?.question.viewerDraft).toMatchObject({ body: 'Half an answer' })
    expect((await getThread({ questionId: question.id, viewerId: asker.id }))?.question.viewerDraft).toBeNull()
    expect((await getThread({ questionId: question.id, viewerId: null }))?.question.viewerDraft).toBeNull()

    const ticket = await createTicket({ requesterId: asker.id, subject: 'Cannot log in', priority: 'medium', details: { whatHappened: 'The login page loops.', stepsTried: '', environment: '', accountDetails: '' } })
    await saveDraft({ userId: asker.id, key: ticketReplyDraftKey(ticket.number), body: 'More details coming' })
    const page = await getTicket({ number: ticket.number, viewer: { id: asker.id, role: 'member' } })
    expect(page?.replyDraft).toMatchObject({ body: 'More details coming' })
    expect(page?.ticket).not.toHaveProperty('viewerDraft')
  })
})

describe('the preview route', () => {
  test('renders Markdown with the posting pipeline, and a script never comes back', async () => {
    const user = await createTestUser()
    const res = await postPreview({ body: 'Some **bold** text\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))' }, user.id)
    expect(res.status).toBe(200)
    const { html } = await res.json()
    expect(html).toContain('<strong>bold</strong>')
    expect(html).not.toContain('<script')
    expect(html).not.toMatch(/href="javascript/i)
    expect(html).toContain('&lt;script&gt;')
  })

  test('a visitor gets a 401 and no preview', async () => {
    const res = await postPreview({ body: '**bold**' })
    expect(res.status).toBe(401)
    expect(await res.json()).not.toHaveProperty('html')
  })

  test('a text longer than a post may be is refused with a 413', async () => {
    const user = await createTestUser()
    const res = await postPreview({ body: 'x'.repeat(30_001) }, user.id)
    expect(res.status).toBe(413)
    expect((await res.json()).message).toMatch(/at most 30,000 characters/)
  })

  test('a missing text or a NUL character is a 400', async () => {
    const user = await createTestUser()
    expect((await postPreview({}, user.id)).status).toBe(400)
    expect((await postPreview({ body: 'a\u0000b' }, user.id)).status).toBe(400)
  })

  test('previews are rate-limited per member', async () => {
    const user = await createTestUser()
    process.env.RATE_LIMITS = 'preview=2/600'
    try {
      expect((await postPreview({ body: 'one' }, user.id)).status).toBe(200)
      expect((await postPreview({ body: 'two' }, user.id)).status).toBe(200)
      const refused = await postPreview({ body: 'three' }, user.id)
      expect(refused.status).toBe(429)
      expect((await refused.json()).message).toMatch(/Too many previews/)
    } finally {
      delete process.env.RATE_LIMITS
    }
  })
})

describe('the drafts route', () => {
  test('saves and discards the member’s draft, as JSON for the composer’s script', async () => {
    const user = await createTestUser()
    const saved = await postDraft({ intent: 'save-draft', draftKey: QUESTION_DRAFT_KEY, draftBodyField: 'body', body: 'My question so far', draftTitleField: 'title', title: 'Title so far' }, user.id)
    expect(saved.status).toBe(200)
    expect((await saved.json()).savedAt).toEqual(expect.any(String))
    expect(await getDraft({ userId: user.id, key: QUESTION_DRAFT_KEY })).toMatchObject({ title: 'Title so far', body: 'My question so far' })

    const discarded = await postDraft({ intent: 'discard-draft', draftKey: QUESTION_DRAFT_KEY }, user.id)
    expect(discarded.status).toBe(200)
    expect(await getDraft({ userId: user.id, key: QUESTION_DRAFT_KEY })).toBeNull()
  })

  test('without JavaScript the page form is posted as it is, and the member goes back to the page', async () => {
    const user = await createTestUser()
    const res = await postDraft(
      { intent: 'save-draft', draftKey: TICKET_DRAFT_KEY, draftBodyField: 'whatHappened', whatHappened: 'The export hangs', draftTitleField: 'subject', subject: 'Export', priority: 'high', draftReturnTo: '/tickets/new' },
      user.id,
      false,
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/tickets/new')
    expect(await getDraft({ userId: user.id, key: TICKET_DRAFT_KEY })).toMatchObject({ title: 'Export', body: 'The export hangs' })
  })

  test('goes back only to a page of this site', async () => {
    const user = await createTestUser()
    const res = await postDraft({ intent: 'save-draft', draftKey: QUESTION_DRAFT_KEY, body: 'text', draftReturnTo: '//evil.example/' }, user.id, false)
    expect(res.headers.get('Location')).toBe('/')
  })

  test('a visitor is sent to log in; an unknown key, a too-long text or a NUL is a 400 that saves nothing', async () => {
    const user = await createTestUser()
    const visitor = await postDraft({ intent: 'save-draft', draftKey: QUESTION_DRAFT_KEY, body: 'text' })
    expect(visitor.status).toBe(302)
    expect(visitor.headers.get('Location')).toMatch(/^\/login/)
    for (const form of [
      { intent: 'save-draft', draftKey: 'profile:1', body: 'text' },
      { intent: 'save-draft', draftKey: 'answer:99999999999', body: 'text' },
      { intent: 'save-draft', draftKey: 'answer:0', body: 'text' },
      { intent: 'save-draft', draftKey: QUESTION_DRAFT_KEY, body: 'x'.repeat(30_001) },
      { intent: 'save-draft', draftKey: QUESTION_DRAFT_KEY, body: 'a\u0000b' },
      { intent: 'publish', draftKey: QUESTION_DRAFT_KEY, body: 'text' },
    ]) {
      const res = await postDraft(form, user.id)
      expect(res.status, JSON.stringify(form).slice(0, 80)).toBe(400)
    }
    expect(await getDraft({ userId: user.id, key: QUESTION_DRAFT_KEY })).toBeNull()
  })
})

describe('composers on the pages', () => {
  test('the ask page loads the draft, and posting the question deletes it', async () => {
    const user = await createTestUser()
    await saveDraft({ userId: user.id, key: QUESTION_DRAFT_KEY, title: 'Draft title here', body: 'Draft body' })
    const page = await responseOf(async () => newQuestion.loader(await routeArgs({ path: '/questions/new', userId: user.id })))
    expect((await page.json()).draft).toMatchObject({ title: 'Draft title here', body: 'Draft body' })

    const res = await responseOf(async () =>
      newQuestion.action(
        await routeArgs({ path: '/questions/new', method: 'POST', userId: user.id, form: { intent: 'save', title: 'Draft title here', body: 'Draft body, now long enough to post.', categoryId: String(await categoryId()) } }),
      ),
    )
    expect(res.status).toBe(302)
    expect(await getDraft({ userId: user.id, key: QUESTION_DRAFT_KEY })).toBeNull()
  })

  test('an answer’s Preview round trip renders it and keeps the text; posting deletes the draft', async () => {
    const [asker, answerer] = await Promise.all([createTestUser(), createTestUser()])
    const question = await createTestQuestion({ authorId: asker.id })
    const args = async (form: Record<string, string>) => routeArgs({ path: `/questions/${question.id}`, method: 'POST', userId: answerer.id, params: { id: String(question.id) }, form })

    const previewed = await responseOf(async () => thread.action(await args({ intent: 'preview', body: 'Use `--force` <script>x</script>' })))
    expect(previewed.status).toBe(200)
    const data = await previewed.json()
    expect(data.preview).toContain('<code>--force</code>')
    expect(data.preview).not.toContain('<script')
    expect(data.result.initialValue.body).toBe('Use `--force` <script>x</script>')

    await saveDraft({ userId: answerer.id, key: answerDraftKey(question.id), body: 'Use the force, Luke' })
    const posted = await responseOf(async () => thread.action(await args({ intent: 'answer', body: 'Use the force, Luke, and restart.' })))
    expect(posted.status).toBe(302)
    expect(await getDraft({ userId: answerer.id, key: answerDraftKey(question.id) })).toBeNull()
  })

  test('a ticket’s draft goes when it is submitted; a reply’s when it is sent', async () => {
    const user = await createTestUser()
    await saveDraft({ userId: user.id, key: TICKET_DRAFT_KEY, title: 'Sync', body: 'Sync stops' })
    const previewed = await responseOf(async () => newTicket.action(await routeArgs({ path: '/tickets/new', method: 'POST', userId: user.id, form: { intent: 'preview', subject: 'Sync', whatHappened: '**Sync** stops' } })))
    expect((await previewed.json()).preview).toContain('<strong>Sync</strong>')
    expect(await getDraft({ userId: user.id, key: TICKET_DRAFT_KEY })).not.toBeNull()

    const created = await responseOf(async () =>
      newTicket.action(await routeArgs({ path: '/tickets/new', method: 'POST', userId: user.id, form: { intent: 'submit', subject: 'Sync stops after an hour', priority: 'medium', whatHappened: 'Sync stops after about an hour of use.' } })),
    )
    expect(created.status).toBe(302)
    expect(await getDraft({ userId: user.id, key: TICKET_DRAFT_KEY })).toBeNull()
    const number = Number(created.headers.get('Location')!.split('/').pop())

    await saveDraft({ userId: user.id, key: ticketReplyDraftKey(number), body: 'Also on my phone' })
    const ticketArgs = async (form: Record<string, string>) => routeArgs({ path: `/tickets/${number}`, method: 'POST', userId: user.id, params: { number: String(number) }, form })
    const replyPreview = await responseOf(async () => ticketPage.action(await ticketArgs({ intent: 'preview', body: '_Also_ on my phone' })))
    expect(await replyPreview.json()).toMatchObject({ intent: 'reply', preview: expect.stringContaining('<em>Also</em>') })
    const sent = await responseOf(async () => ticketPage.action(await ticketArgs({ intent: 'reply', body: 'Also on my phone, since Monday.' })))
    expect(sent.status).toBe(302)
    expect(await getDraft({ userId: user.id, key: ticketReplyDraftKey(number) })).toBeNull()
  })

  test('editing an answer previews without saving', async () => {
    const author = await createTestUser()
    const question = await createTestQuestion({ authorId: author.id })
    const answer = await createTestAnswer({ questionId: question.id, authorId: author.id, body: 'The original answer text.' })
    const res = await responseOf(async () =>
      editAnswer.action(await routeArgs({ path: `/answers/${answer.id}/edit`, method: 'POST', userId: author.id, params: { id: String(answer.id) }, form: { intent: 'preview', body: '# Changed' } })),
    )
    expect(res.status).toBe(200)
    expect((await res.json()).preview).toContain('<h1>Changed</h1>')
    const page = await getThread({ questionId: question.id, viewerId: author.id })
    expect(page?.answers[0].bodyHtml).toContain('The original answer text.')
  })
})
